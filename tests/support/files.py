"""Source files in their published formats, written by tests."""

from __future__ import annotations

import gzip
from pathlib import Path


def write_gzip_tsv(path: Path, header: str, rows: list[str]) -> Path:
    """A file in IMDb's format: gzipped, tab-separated, `\\N` for null."""
    with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
        out.write("\n".join([header, *rows]) + "\n")
    return path
