"""Canonical film lists: AFI Top 100 (2007), Sight & Sound 2012 top 250, National Film Registry.

The criterion_collection and 1001_movies lists were removed from the demo file for licensing
(PROVENANCE-lists.md); a user's own copy in the same format loads the same way. `rank` means
different things per list: a position (AFI), a tied competition rank (Sight & Sound: 250
rows, 55 distinct ranks) or the induction year (NFR).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.parsing import DEMO_DATA_DIR, Conversion, raw_table, read_delimited
from ingest.schema import Parsed

DEMO_FILE = DEMO_DATA_DIR / "canonical_lists.csv"
SOURCE_COLUMNS = ["list", "rank", "film_title", "film_year", "director", "imdb_id"]

ENTRIES = raw_table(
    "canonical_lists__entries",
    key=("source_row",),
    description="Entries of canonical film lists (AFI, Sight & Sound, National Film Registry), "
    "one row per list and film.",
    columns=[
        ("source_row", "integer", "1-based data row of the CSV (the header is not counted)."),
        (
            "list",
            "text",
            "List code: afi_top_100, sight_sound, nfr (criterion_collection and "
            "1001_movies when a user loads them).",
        ),
        (
            "rank",
            "integer",
            "Position on the list; ties share a rank (Sight & Sound); the "
            "induction year for nfr; null when the list has no rank.",
        ),
        ("film_title", "text", "Film title; null where only the IMDb id is known."),
        ("film_year", "integer", "Release year; null where unknown."),
        ("director", "text", "Director(s) as given; co-directors comma-separated."),
        ("imdb_id", "text", "IMDb title id (tt...); null for 14 AFI entries."),
    ],
)

TABLES = [ENTRIES]


def parse(path: Path | None = None) -> list[Parsed]:
    records = read_delimited(path or DEMO_FILE, required=SOURCE_COLUMNS)
    conversion = Conversion(records)
    frame = pd.DataFrame(
        {
            "source_row": records.frame.index.to_series().astype("Int64"),
            "list": conversion.text("list"),
            "rank": conversion.integer("rank", minimum=1),
            "film_title": conversion.text("film_title"),
            "film_year": conversion.year("film_year"),
            "director": conversion.text("director"),
            "imdb_id": conversion.imdb_title_id("imdb_id"),
        }
    )
    conversion.require("list")
    return [conversion.parsed(ENTRIES, frame)]
