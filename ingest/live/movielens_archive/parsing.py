"""movies.csv, links.csv and tags.csv records into their raw tables' typed frames (ratings.csv
uses the demo MovieLens parser's conversion)."""

from __future__ import annotations

import pandas as pd

from ingest.live.movielens_archive.tables import LINKS, MOVIES, TAGS
from ingest.parsing import Conversion, SourceRecords
from ingest.schema import Parsed

# "Toy Story (1995)", "Babylon 5 (1994-1998)", "Stardust (2007) "
TITLE_YEAR = r"^(?P<title>.*?)\s*\((?P<year>\d{4})(?:[-–]\d{4})?\)\s*$"


def movies(records: SourceRecords) -> Parsed:
    c = Conversion(records)
    title = c.text("title").str.strip()
    split = title.str.extract(TITLE_YEAR)
    frame = pd.DataFrame(
        {
            "movie_id": c.integer("movieId", minimum=1),
            "title": split["title"].fillna(title).astype("string"),
            "year": pd.to_numeric(split["year"]).astype("Int64"),
            "genres": c.text("genres"),
        }
    )
    c.require("title")
    return c.parsed(MOVIES, frame)


def links(records: SourceRecords) -> Parsed:
    c = Conversion(records)
    imdb_number = c.integer("imdbId", minimum=1)
    frame = pd.DataFrame(
        {
            "movie_id": c.integer("movieId", minimum=1),
            "imdb_id": ("tt" + imdb_number.astype("string").str.zfill(7)).astype("string"),
            "tmdb_id": c.integer("tmdbId", minimum=1),
        }
    )
    return c.parsed(LINKS, frame)


def tags(records: SourceRecords) -> Parsed:
    c = Conversion(records)
    frame = pd.DataFrame(
        {
            "user_id": c.integer("userId", minimum=1),
            "movie_id": c.integer("movieId", minimum=1),
            "tag": c.text("tag"),
            "tagged_at": c.unix_time("timestamp"),
        }
    )
    return c.parsed(TAGS, frame)
