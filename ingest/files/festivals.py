"""Festival awards and selections: Cannes, Venice, Berlin, Sundance (see PROVENANCE-lists.md).

Most Venice, Berlin and Sundance winners come with an IMDb id only (no title), and
`film_year` is empty for all Cannes rows; both stay null here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.parsing import DEMO_DATA_DIR, Conversion, raw_table, read_delimited
from ingest.schema import Parsed

DEMO_FILE = DEMO_DATA_DIR / "festival_awards.csv"
SOURCE_COLUMNS = ["festival", "award", "year", "film_title", "film_year", "director", "imdb_id"]

AWARDS = raw_table(
    "festivals__awards",
    key=("source_row",),
    description="Festival prizes and competition selections, one row per film and award "
    "(ties are separate rows).",
    columns=[
        ("source_row", "integer", "1-based data row of the CSV (the header is not counted)."),
        ("festival", "text", "Cannes, Venice, Berlin or Sundance."),
        (
            "award",
            "text",
            "Award or selection, e.g. \"Palme d'Or\", 'Competition (official selection)'.",
        ),
        ("year", "integer", "Festival edition year."),
        ("film_title", "text", "Film title; null where only the IMDb id is known."),
        ("film_year", "integer", "Release year; null for all Cannes rows and most winners."),
        ("director", "text", "Director(s) as given; co-directors comma-separated."),
        ("imdb_id", "text", "IMDb title id (tt...)."),
    ],
)

TABLES = [AWARDS]


def parse(path: Path | None = None) -> list[Parsed]:
    records = read_delimited(path or DEMO_FILE, required=SOURCE_COLUMNS)
    conversion = Conversion(records)
    frame = pd.DataFrame(
        {
            "source_row": records.frame.index.to_series().astype("Int64"),
            "festival": conversion.text("festival"),
            "award": conversion.text("award"),
            "year": conversion.year("year"),
            "film_title": conversion.text("film_title"),
            "film_year": conversion.year("film_year"),
            "director": conversion.text("director"),
            "imdb_id": conversion.imdb_title_id("imdb_id"),
        }
    )
    for column in ("festival", "award", "year"):
        conversion.require(column)
    return [conversion.parsed(AWARDS, frame)]
