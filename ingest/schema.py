"""The contract between source parsers and the warehouse loader.

A parser turns one source file into a `Parsed` frame whose columns are exactly the
`RawTable` columns, in order, plus the rows it could not parse as rejects. The
loader (`ingest.loader`) knows nothing about any source: it only reads these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

REJECT_COLUMNS = ["row_number", "raw_text", "reason"]
REJECT_DTYPES = {"row_number": "int64", "raw_text": "string", "reason": "string"}


class SourceFormatError(ValueError):
    """A source file cannot be read at all (missing column, wrong format)."""


class MalformedFileError(SourceFormatError):
    """A file that cannot be loaded as a whole; names the file and, where known, the line."""

    def __init__(self, path: str | Path, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = self.path if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {reason}")


class MissingColumnError(SourceFormatError):
    def __init__(self, source_file: str | Path, column: str, found: list[str] | None = None):
        self.source_file = str(source_file)
        self.column = column
        found_text = f"; found columns: {', '.join(found)}" if found else ""
        super().__init__(f"{self.source_file}: required column {column!r} is missing{found_text}")


@dataclass(frozen=True)
class RawTable:
    """One table of the `raw` schema, shaped like its source.

    `columns` maps column name to a PostgreSQL type, in table order. `key` is the
    natural key the loader replaces by; `docs` documents each column (it feeds the
    dbt source YAML and the README).
    """

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    description: str
    docs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.key) - set(self.columns)
        if unknown:
            raise ValueError(f"{self.name}: key columns {sorted(unknown)} are not columns")


@dataclass
class Parsed:
    """A parsed source file: the rows that are good, and the ones that are not."""

    table: RawTable
    frame: pd.DataFrame
    source_file: str
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))

    def __post_init__(self) -> None:
        expected = list(self.table.columns)
        if list(self.frame.columns) != expected:
            raise ValueError(
                f"{self.table.name}: parser produced columns {list(self.frame.columns)}, "
                f"expected {expected}"
            )
        if list(self.rejects.columns) != REJECT_COLUMNS:
            raise ValueError(f"{self.table.name}: rejects must have columns {REJECT_COLUMNS}")


def require_columns(source_file: str | Path, found: list[str], required: list[str]) -> None:
    """Fail naming the file and the first missing column, before anything is loaded."""
    for column in required:
        if column not in found:
            raise MissingColumnError(source_file, column, found)


def rejects_frame(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    """Build the rejects frame from (row_number, raw_text, reason) tuples."""
    return pd.DataFrame(rows, columns=REJECT_COLUMNS).astype(REJECT_DTYPES)
