"""The raw tables of IMDb's non-commercial datasets, and which file (with which header)
loads each."""

from __future__ import annotations

from ingest.parsing import raw_table

TITLE_BASICS = raw_table(
    "imdb__title_basics",
    key=("tconst",),
    description="IMDb titles of the kept title types (title.basics.tsv.gz), as given.",
    columns=[
        ("tconst", "text", "IMDb title id, e.g. 'tt0120338'."),
        ("title_type", "text", "IMDb title type (movie, short, tvMovie, ...)."),
        ("primary_title", "text", "The title used on IMDb (`primaryTitle`)."),
        ("original_title", "text", "Title in the original language (`originalTitle`)."),
        ("is_adult", "boolean", "Adult title (`isAdult`, 0/1)."),
        ("start_year", "integer", "Release year (`startYear`)."),
        ("end_year", "integer", "End year of a series; null for films (`endYear`)."),
        ("runtime_minutes", "integer", "Primary runtime in minutes (`runtimeMinutes`)."),
        ("genres", "text[]", "Up to three IMDb genres (`genres`)."),
    ],
)

TITLE_RATINGS = raw_table(
    "imdb__title_ratings",
    key=("tconst",),
    description="IMDb's average user rating and vote count per kept title (title.ratings.tsv.gz).",
    columns=[
        ("tconst", "text", "IMDb title id."),
        (
            "average_rating",
            "numeric(3, 1)",
            "Weighted average of user ratings, 1 to 10 (`averageRating`).",
        ),
        ("num_votes", "integer", "Number of votes (`numVotes`)."),
    ],
)

TITLE_PRINCIPALS = raw_table(
    "imdb__title_principals",
    key=("tconst", "ordering"),
    description="Principal cast and crew of kept titles in billing order (title.principals).",
    columns=[
        ("tconst", "text", "IMDb title id."),
        ("ordering", "integer", "Billing position on the title, from 1 (`ordering`)."),
        ("nconst", "text", "IMDb name id, e.g. 'nm0000138'."),
        (
            "category",
            "text",
            "Kind of job: actor, actress, director, writer, producer, composer, "
            "cinematographer, self, ...",
        ),
        ("job", "text", "Specific job title where given, else null."),
        (
            "characters",
            "text",
            "Characters played, as IMDb's JSON list text, e.g. '[\"Jack Dawson\"]'.",
        ),
    ],
)

TITLE_CREW = raw_table(
    "imdb__title_crew",
    key=("tconst",),
    description="Directors and writers of kept titles (title.crew.tsv.gz).",
    columns=[
        ("tconst", "text", "IMDb title id."),
        ("directors", "text[]", "IMDb name ids of the directors."),
        ("writers", "text[]", "IMDb name ids of the writers."),
    ],
)

NAME_BASICS = raw_table(
    "imdb__name_basics",
    key=("nconst",),
    description="People credited on kept titles (name.basics.tsv.gz).",
    columns=[
        ("nconst", "text", "IMDb name id."),
        ("primary_name", "text", "Name as credited most often (`primaryName`)."),
        ("birth_year", "integer", "Birth year."),
        ("death_year", "integer", "Death year; null if alive or unknown."),
        ("primary_profession", "text[]", "Top three professions."),
        ("known_for_titles", "text[]", "IMDb title ids the person is known for."),
    ],
)

TABLES = [TITLE_BASICS, TITLE_RATINGS, TITLE_PRINCIPALS, TITLE_CREW, NAME_BASICS]

# Dataset file name -> (its table, its header).
FILES = {
    "title.basics": (
        TITLE_BASICS,
        [
            "tconst",
            "titleType",
            "primaryTitle",
            "originalTitle",
            "isAdult",
            "startYear",
            "endYear",
            "runtimeMinutes",
            "genres",
        ],
    ),
    "title.ratings": (TITLE_RATINGS, ["tconst", "averageRating", "numVotes"]),
    "title.principals": (
        TITLE_PRINCIPALS,
        ["tconst", "ordering", "nconst", "category", "job", "characters"],
    ),
    "title.crew": (TITLE_CREW, ["tconst", "directors", "writers"]),
    "name.basics": (
        NAME_BASICS,
        ["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"],
    ),
}
