"""Box office and ratings of 3,201 US releases: vega-datasets `movies.json`.

The publishers left data-quality errors in on purpose: release dates up to 2046, zero
grosses, missing directors, numeric titles, duplicate titles. The raw table keeps all of
them, typed; staging flags the impossible dates. Titles that JSON holds as numbers
('1776', '300') become text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.parsing import DEMO_DATA_DIR, Conversion, raw_table, read_json_records
from ingest.schema import Parsed

DEMO_FILE = DEMO_DATA_DIR / "vega_movies.json"
RELEASE_DATE_FORMAT = "%b %d %Y"  # 'Jun 12 1998'

MONEY = {
    "us_gross": "US Gross",
    "worldwide_gross": "Worldwide Gross",
    "us_dvd_sales": "US DVD Sales",
    "production_budget": "Production Budget",
}
LABELS = {
    "mpaa_rating": "MPAA Rating",
    "distributor": "Distributor",
    "source": "Source",
    "major_genre": "Major Genre",
    "creative_type": "Creative Type",
    "director": "Director",
}
REQUIRED = [
    "Title",
    *MONEY.values(),
    "Release Date",
    "Running Time min",
    *LABELS.values(),
    "Rotten Tomatoes Rating",
    "IMDB Rating",
    "IMDB Votes",
]

MOVIES = raw_table(
    "box_office__movies",
    key=("record_index",),
    description=(
        "US box office, budget and ratings per film (vega-datasets movies.json), one row per "
        "JSON record, including the publisher's deliberate errors."
    ),
    columns=[
        ("record_index", "integer", "1-based position of the record in the JSON array."),
        ("title", "text", "Title as given; numeric JSON titles (1776, 300) as text."),
        ("us_gross", "numeric", "US gross in dollars (`US Gross`); 0 appears for unknown."),
        ("worldwide_gross", "numeric", "Worldwide gross in dollars; 0 appears for unknown."),
        ("us_dvd_sales", "numeric", "US DVD sales in dollars."),
        ("production_budget", "numeric", "Production budget in dollars."),
        ("release_date_text", "text", "`Release Date` as given, e.g. 'Jun 12 1998'."),
        (
            "release_date",
            "date",
            "`Release Date` parsed; years up to 2046 are kept as given (flagged in staging).",
        ),
        ("mpaa_rating", "text", "MPAA rating as given (includes 'Not Rated', 'Open')."),
        ("running_time_min", "integer", "Running time in minutes."),
        ("distributor", "text", "US distributor."),
        ("source", "text", "What the story is based on, e.g. 'Original Screenplay'."),
        ("major_genre", "text", "Genre label, e.g. 'Thriller/Suspense'."),
        ("creative_type", "text", "Creative type, e.g. 'Contemporary Fiction'."),
        ("director", "text", "Director as given; missing for about 40% of films."),
        ("rotten_tomatoes_rating", "integer", "Rotten Tomatoes critics score, 0 to 100."),
        ("imdb_rating", "numeric(3, 1)", "IMDb mean user rating, 0 to 10."),
        ("imdb_votes", "integer", "IMDb vote count."),
    ],
)

TABLES = [MOVIES]


def parse(path: Path | None = None) -> list[Parsed]:
    records = read_json_records(path or DEMO_FILE, required=REQUIRED)
    conversion = Conversion(records)
    release = conversion.dates("Release Date", [RELEASE_DATE_FORMAT])
    frame = pd.DataFrame(
        {
            "record_index": records.frame.index.to_series().astype("Int64"),
            "title": conversion.text("Title"),
            **{name: conversion.number(source, minimum=0) for name, source in MONEY.items()},
            "release_date_text": conversion.text("Release Date"),
            "release_date": release["date"],
            "mpaa_rating": conversion.text("MPAA Rating"),
            "running_time_min": conversion.integer("Running Time min", minimum=1),
            **{name: conversion.text(source) for name, source in LABELS.items()},
            "rotten_tomatoes_rating": conversion.integer(
                "Rotten Tomatoes Rating", minimum=0, maximum=100
            ),
            "imdb_rating": conversion.number("IMDB Rating", minimum=0, maximum=10),
            "imdb_votes": conversion.integer("IMDB Votes", minimum=0),
        }
    )
    return [conversion.parsed(MOVIES, frame)]
