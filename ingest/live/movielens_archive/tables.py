"""The raw tables a MovieLens archive loads into, beside the dslabs demo cohort's."""

from __future__ import annotations

from ingest.files import movielens
from ingest.parsing import raw_table
from ingest.schema import RawTable

RATINGS = RawTable(
    "movielens_archive__ratings",
    movielens.RATINGS.columns,
    movielens.RATINGS.key,
    "MovieLens archive star ratings (ratings.csv), one row per user, movie and rating time.",
    movielens.RATINGS.docs,
)

MOVIES = raw_table(
    "movielens_archive__movies",
    key=("movie_id",),
    description="MovieLens archive movies (movies.csv): title and year split, genres as given.",
    columns=[
        ("movie_id", "integer", "MovieLens movie id (`movieId`)."),
        ("title", "text", "Title without its trailing '(year)', as given ('Deer Hunter, The')."),
        (
            "year",
            "integer",
            "Year from the title's trailing '(1978)'; null when the title has none.",
        ),
        ("genres", "text", "Pipe-separated genres, e.g. 'Drama|War'."),
    ],
)

LINKS = raw_table(
    "movielens_archive__links",
    key=("movie_id",),
    description="IMDb and TMDb ids of each MovieLens movie (links.csv).",
    columns=[
        ("movie_id", "integer", "MovieLens movie id."),
        ("imdb_id", "text", "IMDb title id, 'tt' + the zero-padded `imdbId` (tt0114709)."),
        ("tmdb_id", "integer", "TMDb movie id; null when MovieLens has none."),
    ],
)

TAGS = raw_table(
    "movielens_archive__tags",
    key=("user_id", "movie_id", "tag", "tagged_at"),
    description="Free-text tags users put on movies (tags.csv).",
    columns=[
        ("user_id", "integer", "MovieLens user id."),
        ("movie_id", "integer", "MovieLens movie id."),
        ("tag", "text", "The tag as typed."),
        ("tagged_at", "timestamptz", "When the tag was applied (unix seconds, UTC)."),
    ],
)

SNAPSHOT_TABLES = [MOVIES, LINKS, TAGS]
TABLES = [RATINGS, *SNAPSHOT_TABLES]
