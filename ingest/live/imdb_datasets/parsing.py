"""One conversion per dataset file, from its records to its raw table's typed frame.

Text columns are taken as read: `read_chunks` already made '\\N' null and rejected empty
fields, and skipping `Conversion.text` on millions of values is what keeps the load fast.
"""

from __future__ import annotations

import pandas as pd

from ingest.live.imdb_datasets.tables import (
    NAME_BASICS,
    TITLE_BASICS,
    TITLE_CREW,
    TITLE_PRINCIPALS,
    TITLE_RATINGS,
)
from ingest.parsing import Conversion, SourceRecords
from ingest.schema import Parsed

IMDB_NAME_ID = r"nm\d{7,}"


def pg_text_array(values: pd.Series, sep: str = ",") -> pd.Series:
    """'a,b' -> '{"a","b"}', a PostgreSQL array literal with every element quoted."""
    escaped = values.str.replace("\\", "\\\\", regex=False).str.replace('"', '\\"', regex=False)
    return '{"' + escaped.str.replace(sep, '","', regex=False) + '"}'


def title_basics(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    genres = given["genres"]
    frame = pd.DataFrame(
        {
            "tconst": c.imdb_title_id("tconst"),
            "title_type": given["titleType"],
            "primary_title": given["primaryTitle"],
            "original_title": given["originalTitle"],
            "is_adult": c.flag("isAdult", "1", "0"),
            "start_year": c.year("startYear"),
            "end_year": c.year("endYear"),
            "runtime_minutes": c.integer("runtimeMinutes", minimum=0),
            "genres": pg_text_array(genres),
        }
    )
    return c.parsed(TITLE_BASICS, frame)


def title_ratings(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "tconst": given["tconst"],
            "average_rating": c.number("averageRating", minimum=1, maximum=10),
            "num_votes": c.integer("numVotes", minimum=0),
        }
    )
    return c.parsed(TITLE_RATINGS, frame)


def title_principals(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "tconst": given["tconst"],
            "ordering": c.integer("ordering", minimum=1),
            "nconst": c.matches(
                given["nconst"], IMDB_NAME_ID, "nconst", "an IMDb name id (nm0000138)"
            ),
            "category": given["category"],
            "job": given["job"],
            "characters": given["characters"],
        }
    )
    c.require("nconst")
    return c.parsed(TITLE_PRINCIPALS, frame)


def title_crew(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "tconst": given["tconst"],
            "directors": pg_text_array(given["directors"]),
            "writers": pg_text_array(given["writers"]),
        }
    )
    return c.parsed(TITLE_CREW, frame)


def name_basics(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "nconst": given["nconst"],
            "primary_name": given["primaryName"],
            "birth_year": c.integer("birthYear", minimum=0, maximum=2100),
            "death_year": c.integer("deathYear", minimum=0, maximum=2100),
            "primary_profession": pg_text_array(given["primaryProfession"]),
            "known_for_titles": pg_text_array(given["knownForTitles"]),
        }
    )
    return c.parsed(NAME_BASICS, frame)
