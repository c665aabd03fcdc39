"""The "Movie Industry" data set: 7,668 films of 1980-2020 scraped from IMDb.

`released` mixes a date and a country, at three precisions: 'June 13, 1980 (United States)',
'April 1991 (United States)' and '1985 (United States)'. The raw table keeps the text and
adds the parsed date (the first day of the month or year when less precise), its precision
and the country. Junk values (director 'Directors') stay here and are nulled in staging.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.parsing import DEMO_DATA_DIR, Conversion, raw_table, read_delimited
from ingest.schema import Parsed

DEMO_FILE = DEMO_DATA_DIR / "movie_industry.csv"
SOURCE_COLUMNS = [
    "name",
    "rating",
    "genre",
    "year",
    "released",
    "score",
    "votes",
    "director",
    "writer",
    "star",
    "country",
    "budget",
    "gross",
    "company",
    "runtime",
]
TEXT_COLUMNS = ["name", "rating", "genre", "director", "writer", "star", "country", "company"]
# Tried in order; the precision names the first that matches.
RELEASE_FORMATS = {"%B %d, %Y": "day", "%B %Y": "month", "%Y": "year"}
RELEASED_PATTERN = r"^(?P<date>.*?)\s*(?:\((?P<country>[^()]*)\))?$"

MOVIES = raw_table(
    "movie_industry__movies",
    key=("source_row",),
    description="Films of 1980-2020 with IMDb score, budget, gross and credits (Movie Industry "
    "data set), as given.",
    columns=[
        ("source_row", "integer", "1-based data row of the CSV (the header is not counted)."),
        ("name", "text", "Film title as given."),
        ("rating", "text", "MPAA or TV rating as given (R, PG-13, Not Rated, Unrated, TV-MA ...)."),
        ("genre", "text", "Main genre."),
        ("year", "integer", "Release year as the data set gives it."),
        (
            "released",
            "text",
            "Release date and country as given, e.g. 'June 13, 1980 (United States)'.",
        ),
        (
            "released_date",
            "date",
            "The date part of `released`; the first of the month or "
            "year when only those are given (see `released_precision`).",
        ),
        (
            "released_precision",
            "text",
            "day, month or year: how much of `released_date` the source gave.",
        ),
        ("released_country", "text", "The country in parentheses in `released`."),
        ("score", "numeric(3, 1)", "IMDb user score, 0 to 10."),
        ("votes", "integer", "IMDb vote count."),
        ("director", "text", "Director as given (contains junk such as 'Directors')."),
        ("writer", "text", "First credited writer."),
        ("star", "text", "Lead actor."),
        ("country", "text", "Country of origin."),
        ("budget", "numeric", "Budget in dollars; missing for about 2,200 films."),
        ("gross", "numeric", "Worldwide gross in dollars."),
        ("company", "text", "Production company."),
        ("runtime", "integer", "Running time in minutes."),
    ],
)

TABLES = [MOVIES]


def parse(path: Path | None = None) -> list[Parsed]:
    records = read_delimited(path or DEMO_FILE, required=SOURCE_COLUMNS)
    conversion = Conversion(records)
    released = _released(conversion)
    frame = pd.DataFrame(
        {
            "source_row": records.frame.index.to_series().astype("Int64"),
            **{column: conversion.text(column) for column in TEXT_COLUMNS},
            "year": conversion.year("year"),
            "released": conversion.text("released"),
            "released_date": released["date"],
            "released_precision": released["format"].map(RELEASE_FORMATS).astype("string"),
            "released_country": released["country"],
            "score": conversion.number("score", minimum=0, maximum=10),
            "votes": conversion.integer("votes", minimum=0),
            "budget": conversion.number("budget", minimum=0),
            "gross": conversion.number("gross", minimum=0),
            "runtime": conversion.integer("runtime", minimum=1),
        }
    )
    return [conversion.parsed(MOVIES, frame)]


def _released(conversion: Conversion) -> pd.DataFrame:
    """Split 'June 13, 1980 (United States)' into a date, its precision and the country."""
    parts = conversion.text("released").str.extract(RELEASED_PATTERN)
    dates = conversion.dates("released", list(RELEASE_FORMATS), values=parts["date"])
    country = parts["country"].astype("string")
    return dates.assign(country=country.mask(country == ""))
