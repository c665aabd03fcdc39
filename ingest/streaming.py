"""Read multi-million-row delimited files in chunks and load each table with one COPY.

`ingest.loader.load` holds a whole file in memory and upserts it row by row, which is right
for the demo files and wrong for IMDb's dumps (tens of millions of rows). Here a file is
read `chunk_rows` records at a time, each chunk is typed and checked with the same
`Conversion` the demo parsers use, and the chunks flow into a single `COPY` while the next
chunk is parsed, so PostgreSQL inserts on one core while Python parses on the other.

A streamed load replaces its slice wholesale (the whole table, or one month) in one
transaction: delete the slice, COPY the new rows, replace the file's rejects. Any error,
a truncated gzip mid-file included, rolls it all back and the previous rows stay. Streamed
tables leave `_row_hash` null: nothing is upserted, so no row is compared.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import pandas as pd
import psycopg2.errors
import pyarrow as pa
from psycopg2 import sql

from ingest.loader import (
    RAW_SCHEMA,
    LoadResult,
    Slice,
    copy_stamped,
    ensure_table,
    replace_rejects,
)
from ingest.parsing import SourceRecords
from ingest.schema import (
    REJECT_COLUMNS,
    Parsed,
    RawTable,
    SourceFormatError,
    rejects_frame,
    require_columns,
)
from warehouse.io import csv_payload

# A file where more rows fail than this is the wrong file, not a file with a few bad rows.
MAX_REJECT_SHARE = 0.01
MIN_REJECTS_BEFORE_GIVING_UP = 1000

T = TypeVar("T")


def read_chunks(
    stream: io.TextIOBase,
    source_file: str,
    required: list[str],
    *,
    chunk_rows: int,
    sep: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    null: str | None = None,
) -> Iterator[SourceRecords]:
    """Split a delimited text stream into `SourceRecords` of at most `chunk_rows` records.

    Every value stays a string; `null` (IMDb's '\\N') becomes a missing value, and with a
    null token an empty field rejects its record (short lines read as empty fields). A
    record with more fields than the header stops the read with its line number (the C
    parser cannot skip it without dropping it silently). Record numbers count data records
    from 1, as in `ingest.parsing`. `raw_text` is filled only for rejects, by `typed`.
    """
    # A byte-order mark is encoding, not the first column's name.
    header_line = stream.readline().removeprefix("\ufeff")
    if header_line.lstrip().startswith("<"):
        raise SourceFormatError(
            f"{source_file}: this is an HTML page, not a data file: {header_line.strip()[:80]!r}"
        )
    header = next(csv.reader([header_line], delimiter=sep, quoting=quoting), [])
    if not header:
        raise SourceFormatError(f"{source_file}: the file is empty, expected a header row")
    require_columns(source_file, header, required)
    reader = pd.read_csv(
        stream,
        sep=sep,
        quoting=quoting,
        header=None,
        names=header,
        # Arrow-backed strings: the typing that follows is vectorised on them, not per value.
        dtype="string",
        keep_default_na=False,
        na_values=[null] if null is not None else [],
        chunksize=chunk_rows,
        engine="c",
    )
    try:
        for chunk in reader:
            yield _records(chunk, source_file, header, sep, null)
    except pd.errors.ParserError as error:
        raise SourceFormatError(f"{source_file}: {error}") from None


def _records(
    chunk: pd.DataFrame, source_file: str, header: list[str], sep: str, null: str | None
) -> SourceRecords:
    chunk.index = chunk.index + 1
    rejects = rejects_frame([])
    if null is not None:
        # A format that writes a null token never writes an empty field (the parser also
        # pads a short line with ''), so an empty field means a broken line.
        empty = (chunk == "").fillna(False)
        broken = empty.any(axis=1)
        if broken.any():
            rows = chunk[broken].fillna(null)
            rejects = pd.DataFrame(
                {
                    "row_number": rows.index.astype("int64"),
                    "raw_text": rows.apply(sep.join, axis=1).astype("string"),
                    "reason": (
                        empty[broken].idxmax(axis=1)
                        + f" is empty, expected a value or '{null}' (a short line?)"
                    ).astype("string"),
                }
            )[REJECT_COLUMNS]
            chunk = chunk[~broken]
    raw_text = pd.Series(pd.NA, index=chunk.index, dtype="string")
    return SourceRecords(source_file, chunk, raw_text, rejects)


def typed(
    chunks: Iterable[SourceRecords],
    convert: Callable[[SourceRecords], Parsed],
    sep: str = ",",
    null: str = "",
) -> Iterator[Parsed]:
    """Type each chunk; a reject's raw text is rebuilt from its fields (only rejects pay)."""
    for records in chunks:
        parsed = convert(records)
        missing = parsed.rejects["raw_text"].isna()
        if missing.any():
            rows = records.frame.loc[parsed.rejects.loc[missing, "row_number"]]
            parsed.rejects.loc[missing, "raw_text"] = rows.apply(
                lambda row: sep.join(row.fillna(null)), axis=1
            ).to_numpy()
        yield parsed


class _CopySource:
    """A file-like object `copy_expert` reads: each chunk as CSV, produced on demand.

    psycopg2 reduces an exception raised inside `read` to a generic COPY error, so the
    original is kept here and re-raised by the loader.
    """

    def __init__(self, chunks: Iterable[Parsed]):
        self.chunks = iter(chunks)
        self.current = pa.BufferReader(b"")
        self.rows = 0
        self.rejects: list[pd.DataFrame] = []
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            while True:
                data = self.current.read(size)
                if data:
                    return data
                parsed = next(self.chunks, None)
                if parsed is None:
                    return b""
                self._take(parsed)
        except BaseException as error:
            self.error = error
            raise

    def _take(self, parsed: Parsed) -> None:
        if not parsed.rejects.empty:
            self.rejects.append(parsed.rejects)
            _check_reject_share(parsed, self.rows + len(parsed.frame), self.rejects)
        self.rows += len(parsed.frame)
        self.current = pa.BufferReader(csv_payload(parsed.frame))


def _check_reject_share(parsed: Parsed, rows: int, rejects: list[pd.DataFrame]) -> None:
    count = sum(len(r) for r in rejects)
    if count > MIN_REJECTS_BEFORE_GIVING_UP and count > MAX_REJECT_SHARE * (rows + count):
        example = parsed.rejects.iloc[0]
        raise SourceFormatError(
            f"{parsed.source_file}: {count} of the first {rows + count} records were rejected "
            f"(e.g. record {example.row_number}: {example.reason}); this does not look like "
            f"a {parsed.table.name} file, nothing was loaded"
        )


def replace_stream(
    conn,
    table: RawTable,
    chunks: Iterable[Parsed],
    source_file: str,
    slice_: Slice | None = None,
    *,
    commit: bool = True,
) -> LoadResult:
    """Replace `raw.<table>` (or the rows of `slice_`) with the rows of `chunks`, atomically.

    With `commit=False` the caller commits: a snapshot of several tables (`in_one_transaction`)
    loads them all before committing once. Any error rolls the whole transaction back."""
    target = sql.Identifier(RAW_SCHEMA, table.name)
    source = _CopySource(chunks)
    try:
        with conn.cursor() as cur:
            ensure_table(cur, table)
            deleted = _clear(cur, target, slice_)
            try:
                copy_stamped(cur, target, list(table.columns), source, source_file)
            except psycopg2.errors.UniqueViolation as error:
                raise SourceFormatError(
                    f"{source_file}: a key of {table.name} appears twice: "
                    f"{error.diag.message_detail}"
                ) from None
            except psycopg2.Error:
                if source.error is not None:
                    raise source.error from None
                raise
            rejects = pd.concat(source.rejects) if source.rejects else rejects_frame([])
            replace_rejects(cur, table.name, source_file, rejects)
        if commit:
            conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return LoadResult(
        table=table.name,
        rows=source.rows,
        inserted=source.rows,
        updated=0,
        deleted=deleted,
        rejects=len(rejects),
    )


def in_one_transaction(conn, loads: Iterable[T]) -> list[T]:
    """Run `loads`, a lazy sequence of `replace_stream(..., commit=False)` calls, and commit
    them together: a snapshot of several tables replaces all of them or none."""
    try:
        results = list(loads)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return results


def _clear(cur, target: sql.Composable, slice_: Slice | None) -> int:
    if slice_ is None:
        cur.execute(sql.SQL("select count(*) from {}").format(target))
        count = cur.fetchone()[0]
        cur.execute(sql.SQL("truncate {}").format(target))
        return count
    column = sql.Identifier(slice_.column)
    cur.execute(
        sql.SQL("delete from {} where {c} >= %s and {c} < %s").format(target, c=column),
        (slice_.start, slice_.end),
    )
    return cur.rowcount
