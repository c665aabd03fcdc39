"""Write parsed frames into `raw.<table>` with PostgreSQL COPY, transactionally and idempotently.

A load owns a *slice* of its table (the whole table for a snapshot file, one month for a
partition of ratings). Inside one transaction it COPYs the frame into a temporary table,
upserts by the natural key (rows whose content hash is unchanged are left alone, so
`_loaded_at` only moves when a row really changed), deletes the slice's rows that the new
input no longer has, and replaces the slice's rejects. Either all of that commits or none.
When the slice is still empty (a first load) the frame is COPYed straight into the table.

The COPY itself is `warehouse.io`'s (`copy_frame`, `copy_payload`, `csv_payload`), shared with
every other bulk write. The raw tables are contract-driven: `ensure_table` creates each one from
its `RawTable` declaration in `ingest.schema` (and rebuilds it when the parser's columns
change), so they are not in the catalogue of `warehouse.catalog`; `raw._rejects` is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from psycopg2 import sql

from ingest.schema import REJECT_COLUMNS, Parsed, RawTable
from warehouse.io import copy_frame, copy_payload, csv_payload

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


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_NIBBLE_SHIFTS = np.arange(60, -4, -4, dtype=np.uint64)


def row_hashes(frame: pd.DataFrame) -> pd.Series:
    """A stable content hash per row as 16 hex digits, so unchanged rows are recognised on a
    re-load. Formatted with numpy: a Python format call per row cost more than the hash."""
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    nibbles = (hashes[:, None] >> _NIBBLE_SHIFTS) & np.uint64(0xF)
    digits = _HEX_DIGITS[nibbles].view("S16").ravel()
    return pd.Series(digits.astype(str), index=frame.index, dtype="string")


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
        # The staging views that read it are held and re-pointed at the new table in this
        # transaction (warehouse/migrations/0008), not dropped with it.
        cur.execute(
            sql.SQL("select app.hold_dependent_views({}::regclass)").format(
                sql.Literal(target.as_string(cur))
            )
        )
        cur.execute(sql.SQL("drop table {} cascade").format(target))
    column_defs = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_type))
        for name, pg_type in declared.items()
    )
    key = sql.SQL(", ").join(sql.Identifier(c) for c in table.key)
    cur.execute(sql.SQL("create table {} ({}, primary key ({}))").format(target, column_defs, key))
    if existing:
        cur.execute("select count(*) from app.restore_held_views()")


def restrict(parsed: Parsed, slice_: Slice) -> Parsed:
    """The rows of a parsed file that fall in one slice (for example one month of ratings)."""
    inside = slice_.contains(parsed.frame[slice_.column])
    return Parsed(
        parsed.table,
        parsed.frame[inside].reset_index(drop=True),
        parsed.source_file,
        parsed.rejects,
    )


def copy_stamped(cur, target: sql.Composable, columns: list[str], payload, source_file: str):
    """COPY `payload` (CSV of `columns`) into `target`, stamping each row with the load's lineage.

    `_loaded_at` and `_source_file` are the same for every row of a load, so instead of being
    sent and parsed per row (two thirds of an IMDb row's bytes) they are the columns'
    defaults for the COPY alone: set before it, dropped after it, and rolled back with it.
    """
    cur.execute(
        sql.SQL(
            "alter table {} alter column _loaded_at set default transaction_timestamp(), "
            "alter column _source_file set default {}"
        ).format(target, sql.Literal(source_file))
    )
    copy_payload(cur, target, columns, payload)
    cur.execute(
        sql.SQL(
            "alter table {} alter column _loaded_at drop default, "
            "alter column _source_file drop default"
        ).format(target)
    )


def load(conn, parsed: Parsed, slice_: Slice | None = None) -> LoadResult:
    """Load one parsed frame into its raw table, replacing the slice it owns, in one transaction.

    `conn` is a psycopg2 connection; it is committed on success and rolled back on any error,
    which leaves the previous table and rejects exactly as they were.
    """
    table = parsed.table
    _check_rows(parsed, slice_)
    staged = parsed.frame.assign(_row_hash=row_hashes(parsed.frame))
    target = sql.Identifier(RAW_SCHEMA, table.name)
    try:
        with conn.cursor() as cur:
            ensure_table(cur, table)
            if _slice_is_empty(cur, target, slice_):
                # A first load has nothing to compare with: COPY straight into the table.
                payload = pa.BufferReader(csv_payload(staged))
                copy_stamped(cur, target, list(staged.columns), payload, parsed.source_file)
                inserted, updated, deleted = len(staged), 0, 0
            else:
                inserted, updated, deleted = _merge(
                    cur, target, table, staged, parsed.source_file, slice_
                )
            rejects = replace_rejects(cur, table.name, parsed.source_file, parsed.rejects)
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return LoadResult(
        table=table.name,
        rows=len(staged),
        inserted=inserted,
        updated=updated,
        deleted=deleted,
        rejects=rejects,
    )


def _check_rows(parsed: Parsed, slice_: Slice | None) -> None:
    """Refuse rows outside the slice or sharing a key, before anything is written."""
    table, frame = parsed.table, parsed.frame
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


def _slice_is_empty(cur, target: sql.Composable, slice_: Slice | None) -> bool:
    predicate, params = _slice_predicate(slice_)
    cur.execute(
        sql.SQL("select not exists (select 1 from {} as t where {})").format(target, predicate),
        params,
    )
    return cur.fetchone()[0]


def _merge(
    cur, target, table: RawTable, staged: pd.DataFrame, source_file: str, slice_: Slice | None
):
    """Upsert the staged rows by key and delete the slice's vanished rows, set-based.

    Rows whose content hash is unchanged are left alone, so `_loaded_at` only moves when a
    row really changed. Returns (inserted, updated, deleted).
    """
    cur.execute(sql.SQL("create temp table stage (like {}) on commit drop").format(target))
    copy_frame(cur, sql.Identifier("stage"), staged)
    stamped = [*staged.columns, "_loaded_at", "_source_file"]
    cur.execute(
        sql.SQL(
            "insert into {target} ({cols}) "
            "select {staged}, transaction_timestamp(), %s from stage "
            "on conflict ({key}) do update set {updates} "
            "where {target}._row_hash is distinct from excluded._row_hash "
            "returning (xmax = 0) as inserted"
        ).format(
            target=target,
            cols=sql.SQL(", ").join(sql.Identifier(c) for c in stamped),
            staged=sql.SQL(", ").join(sql.Identifier(c) for c in staged.columns),
            key=sql.SQL(", ").join(sql.Identifier(c) for c in table.key),
            updates=sql.SQL(", ").join(
                sql.SQL("{c} = excluded.{c}").format(c=sql.Identifier(c))
                for c in stamped
                if c not in table.key
            ),
        ),
        (source_file,),
    )
    flags = [row[0] for row in cur.fetchall()]
    deleted = _delete_missing(cur, target, table, slice_)
    return sum(flags), len(flags) - sum(flags), deleted


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


def replace_rejects(cur, source: str, source_file: str, rejects: pd.DataFrame) -> int:
    """Replace the rejects of table `source` and `source_file` with `rejects` (REJECT_COLUMNS)."""
    # Rejects belong to a source file, not to a slice: every slice of one file carries the
    # same rejects, and replacing them per (table, file) keeps one copy.
    cur.execute(
        "delete from raw._rejects where source = %s and source_file = %s", (source, source_file)
    )
    if rejects.empty:
        return 0
    rows = rejects.assign(source=source, source_file=source_file)
    columns = ["source", "source_file", *REJECT_COLUMNS]
    copy_frame(cur, sql.Identifier(RAW_SCHEMA, "_rejects"), rows[columns])
    return len(rows)
