"""Write parsed frames into `raw.<table>` with PostgreSQL COPY, transactionally and idempotently.

A load owns a *slice* of its table (the whole table for a snapshot file, one month for a
partition of ratings). Inside one transaction it COPYs the frame into a temporary table,
upserts by the natural key (rows whose content hash is unchanged are left alone, so
`_loaded_at` only moves when a row really changed), deletes the slice's rows that the new
input no longer has, and replaces the slice's rejects. Either all of that commits or none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from psycopg2 import sql

from ingest.schema import Parsed, RawTable

RAW_SCHEMA = "raw"
LINEAGE_COLUMNS = {"_loaded_at": "timestamptz", "_source_file": "text", "_row_hash": "text"}


@dataclass(frozen=True)
class Slice:
    """The part of a table one load replaces: rows where `column` is in [start, end)."""

    column: str
    start: object
    end: object

    def contains(self, values: pd.Series) -> pd.Series:
        return (values >= self.start) & (values < self.end)


@dataclass(frozen=True)
class LoadResult:
    table: str
    rows: int
    inserted: int
    updated: int
    deleted: int
    rejects: int


def _row_hashes(frame: pd.DataFrame) -> pd.Series:
    """A stable content hash per row, so unchanged rows are recognised on a re-load."""
    return pd.util.hash_pandas_object(frame, index=False).map("{:016x}".format)


def copy_frame(cur, table: sql.Composable, frame: pd.DataFrame) -> None:
    """COPY a frame (columns already in table order) into `table`, in CSV format.

    CSV quoting carries tabs, newlines and quotes inside text safely; `\\N` marks NULL so
    that an empty string stays an empty string.
    """
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False, na_rep="\\N", lineterminator="\n")
    buffer.seek(0)
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in frame.columns)
    statement = sql.SQL("copy {} ({}) from stdin with (format csv, null '\\N')").format(
        table, columns
    )
    cur.copy_expert(statement.as_string(cur), buffer)


def ensure_table(cur, table: RawTable) -> None:
    """Create `raw.<table>` as declared; recreate it if the declared columns changed."""
    declared = {**table.columns, **LINEAGE_COLUMNS}
    cur.execute(
        "select column_name from information_schema.columns "
        "where table_schema = %s and table_name = %s order by ordinal_position",
        (RAW_SCHEMA, table.name),
    )
    existing = [row[0] for row in cur.fetchall()]
    if existing == list(declared):
        return
    target = sql.Identifier(RAW_SCHEMA, table.name)
    if existing:
        # The parser's schema changed: the raw table is a cache of the source, rebuild it.
        cur.execute(sql.SQL("drop table {} cascade").format(target))
    column_defs = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type))
        for name, pg_type in declared.items()
    )
    key = sql.SQL(", ").join(sql.Identifier(c) for c in table.key)
    cur.execute(sql.SQL("create table {} ({}, primary key ({}))").format(target, column_defs, key))


def restrict(parsed: Parsed, slice_: Slice) -> Parsed:
    """The rows of a parsed file that fall in one slice (for example one month of ratings)."""
    inside = slice_.contains(parsed.frame[slice_.column])
    return Parsed(parsed.table, parsed.frame[inside].reset_index(drop=True), parsed.source_file,
                  parsed.rejects)


def load(conn, parsed: Parsed, slice_: Slice | None = None) -> LoadResult:
    """Load one parsed frame into its raw table, replacing the slice it owns, in one transaction.

    `conn` is a psycopg2 connection; it is committed on success and rolled back on any error,
    which leaves the previous table and rejects exactly as they were.
    """
    table = parsed.table
    frame = parsed.frame
    if slice_ is not None:
        outside = ~slice_.contains(frame[slice_.column])
        if outside.any():
            raise ValueError(
                f"{table.name}: {int(outside.sum())} rows fall outside the slice "
                f"[{slice_.start}, {slice_.end}) of {slice_.column}"
            )
    duplicated = frame.duplicated(list(table.key), keep=False)
    if duplicated.any():
        sample = frame.loc[duplicated, list(table.key)].head(3).to_dict("records")
        raise ValueError(f"{table.name}: {int(duplicated.sum())} rows share a key, e.g. {sample}")

    staged = frame.copy()
    staged["_loaded_at"] = pd.Timestamp.now(tz="UTC")
    staged["_source_file"] = parsed.source_file
    staged["_row_hash"] = _row_hashes(frame)

    target = sql.Identifier(RAW_SCHEMA, table.name)
    key = sql.SQL(", ").join(sql.Identifier(c) for c in table.key)
    data_columns = [*table.columns, "_source_file", "_row_hash"]
    all_columns = sql.SQL(", ").join(sql.Identifier(c) for c in staged.columns)
    try:
        with conn.cursor() as cur:
            ensure_table(cur, table)
            cur.execute(
                sql.SQL("create temp table stage (like {}) on commit drop").format(target)
            )
            copy_frame(cur, sql.Identifier("stage"), staged)
            cur.execute(
                sql.SQL(
                    "insert into {target} ({cols}) select {cols} from stage "
                    "on conflict ({key}) do update set {updates} "
                    "where {target}._row_hash is distinct from excluded._row_hash "
                    "returning (xmax = 0) as inserted"
                ).format(
                    target=target, cols=all_columns, key=key,
                    updates=sql.SQL(", ").join(
                        sql.SQL("{c} = excluded.{c}").format(c=sql.Identifier(c))
                        for c in [*data_columns, "_loaded_at"]
                    ),
                )
            )
            flags = [row[0] for row in cur.fetchall()]
            deleted = _delete_missing(cur, target, table, slice_)
            rejects = _replace_rejects(cur, parsed)
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return LoadResult(
        table=table.name, rows=len(frame), inserted=sum(flags), updated=len(flags) - sum(flags),
        deleted=deleted, rejects=rejects,
    )


def _slice_predicate(slice_: Slice | None, alias: str = "t") -> tuple[sql.Composable, tuple]:
    if slice_ is None:
        return sql.SQL("true"), ()
    column = sql.Identifier(alias, slice_.column)
    return sql.SQL("{c} >= %s and {c} < %s").format(c=column), (slice_.start, slice_.end)


def _delete_missing(cur, target, table: RawTable, slice_: Slice | None) -> int:
    """Delete rows of the slice this load owns that the new input no longer has."""
    predicate, params = _slice_predicate(slice_)
    key_match = sql.SQL(" and ").join(
        sql.SQL("s.{c} = t.{c}").format(c=sql.Identifier(c)) for c in table.key
    )
    cur.execute(
        sql.SQL(
            "delete from {target} as t where {predicate} "
            "and not exists (select 1 from stage as s where {key_match})"
        ).format(target=target, predicate=predicate, key_match=key_match),
        params,
    )
    return cur.rowcount


def _replace_rejects(cur, parsed: Parsed) -> int:
    """Replace the rejects of this table and source file with the ones of this load."""
    # Rejects belong to a source file, not to a slice: every slice of one file carries the
    # same rejects, and replacing them per (table, file) keeps one copy.
    cur.execute(
        "delete from raw._rejects where source = %s and source_file = %s",
        (parsed.table.name, parsed.source_file),
    )
    if parsed.rejects.empty:
        return 0
    rejects = parsed.rejects.assign(source=parsed.table.name, source_file=parsed.source_file)
    rejects = rejects[["source", "source_file", "row_number", "raw_text", "reason"]]
    copy_frame(cur, sql.Identifier("raw", "_rejects"), rejects)
    return len(rejects)
