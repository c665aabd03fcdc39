"""The raw tables TMDb's answers load into: trending and discovered lists, and each film's
details (the movie, its cast, crew and release dates)."""

from __future__ import annotations

from ingest.parsing import raw_table

_LISTED_MOVIE = [
    ("tmdb_id", "integer", "TMDb movie id."),
    ("title", "text", "Title in TMDb's default language (English)."),
    ("original_title", "text", "Title in the original language."),
    ("original_language", "text", "ISO 639-1 code of the original language."),
    ("release_date", "date", "Primary release date; null when TMDb has none."),
    ("popularity", "double precision", "TMDb popularity score at fetch time."),
    ("vote_average", "double precision", "Mean TMDb user vote, 0 to 10."),
    ("vote_count", "integer", "Number of TMDb user votes."),
    ("genre_ids", "integer[]", "TMDb genre ids."),
]

TRENDING = raw_table(
    "tmdb__trending",
    key=("snapshot_hour", "time_window", "rank"),
    description="TMDb trending movies, one snapshot per hour and window (day, week), by rank.",
    columns=[
        (
            "snapshot_hour",
            "timestamptz",
            "The UTC hour the snapshot belongs to (fetch time, floored).",
        ),
        ("time_window", "text", "TMDb trending window: day or week."),
        ("rank", "integer", "Position in the trending list, from 1, across pages."),
        *_LISTED_MOVIE,
    ],
)

DISCOVER = raw_table(
    "tmdb__discover",
    key=("release_year", "rank"),
    description="TMDb /discover/movie by primary release year, most popular first.",
    columns=[
        ("release_year", "integer", "The primary release year asked for."),
        ("rank", "integer", "Position by popularity, from 1, across pages."),
        *_LISTED_MOVIE,
    ],
)

MOVIES = raw_table(
    "tmdb__movies",
    key=("tmdb_id",),
    description="TMDb movie details with their IMDb id (external_ids), one row per film fetched.",
    columns=[
        ("tmdb_id", "integer", "TMDb movie id."),
        ("imdb_id", "text", "IMDb title id from external_ids; null when TMDb has none."),
        ("wikidata_id", "text", "Wikidata id from external_ids."),
        ("title", "text", "Title in TMDb's default language."),
        ("original_title", "text", "Title in the original language."),
        ("original_language", "text", "ISO 639-1 code of the original language."),
        ("release_date", "date", "Primary release date."),
        ("runtime", "integer", "Runtime in minutes."),
        ("budget", "bigint", "Budget in US dollars; 0 in TMDb means unknown and is kept as null."),
        ("revenue", "bigint", "Revenue in US dollars; 0 (unknown) kept as null."),
        ("popularity", "double precision", "TMDb popularity score at fetch time."),
        ("vote_average", "double precision", "Mean TMDb user vote, 0 to 10."),
        ("vote_count", "integer", "Number of TMDb user votes."),
        ("status", "text", "Released, Post Production, ..."),
        ("genres", "text[]", "TMDb genre names."),
        ("fetched_at", "timestamptz", "When the details were fetched (or taken from the cache)."),
    ],
)

CAST = raw_table(
    "tmdb__cast",
    key=("tmdb_id", "credit_id"),
    description="Cast of each fetched film (credits.cast), with TMDb's billing order.",
    columns=[
        ("tmdb_id", "integer", "TMDb movie id."),
        ("credit_id", "text", "TMDb credit id."),
        ("person_tmdb_id", "integer", "TMDb person id."),
        ("name", "text", "Name as credited."),
        ("character", "text", "Character played."),
        ("cast_order", "integer", "Billing order, 0 = top billed (TMDb `order`)."),
    ],
)

CREW = raw_table(
    "tmdb__crew",
    key=("tmdb_id", "credit_id"),
    description="Crew of each fetched film (credits.crew): department and job as TMDb gives them.",
    columns=[
        ("tmdb_id", "integer", "TMDb movie id."),
        ("credit_id", "text", "TMDb credit id."),
        ("person_tmdb_id", "integer", "TMDb person id."),
        ("name", "text", "Name as credited."),
        ("department", "text", "Directing, Writing, Camera, Sound, ..."),
        (
            "job",
            "text",
            "Director, Screenplay, Director of Photography, Original Music Composer, ...",
        ),
    ],
)

RELEASE_DATES = raw_table(
    "tmdb__release_dates",
    key=("tmdb_id", "country", "release_type", "release_date"),
    description="Release dates and certifications per country of each fetched film.",
    columns=[
        ("tmdb_id", "integer", "TMDb movie id."),
        ("country", "text", "ISO 3166-1 country code."),
        (
            "release_type",
            "integer",
            "1 premiere, 2 limited theatrical, 3 theatrical, 4 digital, 5 physical, 6 TV.",
        ),
        ("release_date", "date", "Release date (TMDb gives midnight UTC timestamps)."),
        ("certification", "text", "Age certification, e.g. 'PG-13'; null when none."),
        ("note", "text", "TMDb's note (festival name, ...); null when none."),
    ],
)

DETAIL_TABLES = [CAST, CREW, RELEASE_DATES, MOVIES]  # the movie row last: it marks a film done
TABLES = [TRENDING, DISCOVER, *DETAIL_TABLES]
