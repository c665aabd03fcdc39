"""TMDb's JSON into `Parsed` frames for the raw tables in `tables`, with the same typing and
rejects as every other source."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from ingest.live.tmdb.tables import CAST, CREW, DISCOVER, MOVIES, RELEASE_DATES, TRENDING
from ingest.parsing import Conversion, SourceRecords
from ingest.schema import Parsed, rejects_frame

DATE_FORMATS = ["%Y-%m-%d"]


def _records(rows: list[dict], source_file: str, columns: list[str]) -> SourceRecords:
    """JSON objects as `SourceRecords` numbered from 1; an absent key reads as null.

    A reject's raw text is the object as TMDb sent it.
    """
    index = pd.RangeIndex(1, len(rows) + 1, name="record")
    frame = pd.DataFrame.from_records(rows, columns=columns).set_axis(index)
    raw_text = pd.Series(
        [json.dumps(row, ensure_ascii=False) for row in rows], index=index, dtype="string"
    )
    return SourceRecords(source_file, frame, raw_text, rejects_frame([]))


def _listed_movies(c: Conversion) -> dict[str, pd.Series]:
    genre_ids = c.frame["genre_ids"].map(
        lambda ids: (
            "{" + ",".join(str(int(i)) for i in ids) + "}" if isinstance(ids, list) else None
        )
    )
    return {
        "tmdb_id": c.integer("id", minimum=1),
        "title": c.text("title"),
        "original_title": c.text("original_title"),
        "original_language": c.text("original_language"),
        "release_date": c.dates("release_date", DATE_FORMATS)["date"],
        "popularity": c.number("popularity", minimum=0),
        "vote_average": c.number("vote_average", minimum=0, maximum=10),
        "vote_count": c.integer("vote_count", minimum=0),
        "genre_ids": genre_ids.astype("string"),
    }


LISTED_FIELDS = [
    "id",
    "title",
    "original_title",
    "original_language",
    "release_date",
    "popularity",
    "vote_average",
    "vote_count",
    "genre_ids",
]


def parse_trending(snapshots: dict[str, list[dict]], snapshot_hour: datetime) -> Parsed:
    """Trending lists by window ('day', 'week') -> one snapshot of `tmdb__trending`."""
    rows = [
        {**movie, "time_window": window, "rank": rank}
        for window, movies in snapshots.items()
        for rank, movie in enumerate(movies, start=1)
    ]
    c = Conversion(_records(rows, "tmdb:/trending/movie", [*LISTED_FIELDS, "time_window", "rank"]))
    frame = pd.DataFrame(
        {
            "snapshot_hour": pd.Series(snapshot_hour, index=c.frame.index),
            "time_window": c.text("time_window"),
            "rank": c.integer("rank"),
            **_listed_movies(c),
        }
    )
    c.require("id")
    return c.parsed(TRENDING, frame)


def parse_discover(year: int, movies: list[dict]) -> Parsed:
    rows = [{**movie, "rank": rank} for rank, movie in enumerate(movies, start=1)]
    c = Conversion(
        _records(
            rows, f"tmdb:/discover/movie?primary_release_year={year}", [*LISTED_FIELDS, "rank"]
        )
    )
    frame = pd.DataFrame(
        {
            "release_year": pd.Series(year, index=c.frame.index, dtype="Int64"),
            "rank": c.integer("rank"),
            **_listed_movies(c),
        }
    )
    c.require("id")
    return c.parsed(DISCOVER, frame)


def details_source_file(tmdb_id: int) -> str:
    return f"tmdb:/movie/{tmdb_id}"


def parse_details(body: dict, fetched_at: datetime) -> list[Parsed]:
    """One film's details -> its rows of `DETAIL_TABLES`, in that order."""
    tmdb_id = int(body["id"])
    source_file = details_source_file(tmdb_id)
    return [
        _cast(body["credits"].get("cast") or [], tmdb_id, source_file),
        _crew(body["credits"].get("crew") or [], tmdb_id, source_file),
        _release_dates(body["release_dates"].get("results") or [], tmdb_id, source_file),
        _movie(body, tmdb_id, source_file, fetched_at),
    ]


def _movie(body: dict, tmdb_id: int, source_file: str, fetched_at: datetime) -> Parsed:
    external = body.get("external_ids") or {}
    row = {
        **body,
        "imdb_id": external.get("imdb_id"),
        "wikidata_id": external.get("wikidata_id"),
        "genres": [g.get("name") for g in body.get("genres") or [] if isinstance(g, dict)],
    }
    fields = [
        "id",
        "imdb_id",
        "wikidata_id",
        "title",
        "original_title",
        "original_language",
        "release_date",
        "runtime",
        "budget",
        "revenue",
        "popularity",
        "vote_average",
        "vote_count",
        "status",
        "genres",
    ]
    c = Conversion(_records([row], source_file, fields))
    unknown_zero = lambda values: values.mask(values == 0)  # noqa: E731 (TMDb: 0 = unknown)
    frame = pd.DataFrame(
        {
            "tmdb_id": c.integer("id", minimum=1),
            "imdb_id": c.imdb_title_id("imdb_id"),
            "wikidata_id": c.text("wikidata_id"),
            "title": c.text("title"),
            "original_title": c.text("original_title"),
            "original_language": c.text("original_language"),
            "release_date": c.dates("release_date", DATE_FORMATS)["date"],
            "runtime": c.integer("runtime", minimum=0),
            "budget": unknown_zero(c.integer("budget", minimum=0)),
            "revenue": unknown_zero(c.integer("revenue", minimum=0)),
            "popularity": c.number("popularity", minimum=0),
            "vote_average": c.number("vote_average", minimum=0, maximum=10),
            "vote_count": c.integer("vote_count", minimum=0),
            "status": c.text("status"),
            "genres": c.frame["genres"].map(_pg_array).astype("string"),
            "fetched_at": pd.Series(pd.Timestamp(fetched_at), index=c.frame.index),
        }
    )
    return c.parsed(MOVIES, frame)


def _pg_array(names: list[str]) -> str:
    quoted = (name.replace("\\", "\\\\").replace('"', '\\"') for name in names if name)
    return "{" + ",".join(f'"{name}"' for name in quoted) + "}"


def _cast(rows: list[dict], tmdb_id: int, source_file: str) -> Parsed:
    c = Conversion(_records(rows, source_file, ["credit_id", "id", "name", "character", "order"]))
    frame = pd.DataFrame(
        {
            "tmdb_id": pd.Series(tmdb_id, index=c.frame.index, dtype="Int64"),
            "credit_id": c.text("credit_id"),
            "person_tmdb_id": c.integer("id", minimum=1),
            "name": c.text("name"),
            "character": c.text("character"),
            "cast_order": c.integer("order", minimum=0),
        }
    )
    c.require("name")
    return c.parsed(CAST, frame)


def _crew(rows: list[dict], tmdb_id: int, source_file: str) -> Parsed:
    c = Conversion(_records(rows, source_file, ["credit_id", "id", "name", "department", "job"]))
    frame = pd.DataFrame(
        {
            "tmdb_id": pd.Series(tmdb_id, index=c.frame.index, dtype="Int64"),
            "credit_id": c.text("credit_id"),
            "person_tmdb_id": c.integer("id", minimum=1),
            "name": c.text("name"),
            "department": c.text("department"),
            "job": c.text("job"),
        }
    )
    c.require("name")
    return c.parsed(CREW, frame)


def _release_dates(countries: list[dict], tmdb_id: int, source_file: str) -> Parsed:
    rows = [
        {**release, "country": country.get("iso_3166_1")}
        for country in countries
        if isinstance(country, dict)
        for release in country.get("release_dates") or []
        if isinstance(release, dict)
    ]
    c = Conversion(
        _records(rows, source_file, ["country", "type", "release_date", "certification", "note"])
    )
    frame = pd.DataFrame(
        {
            "tmdb_id": pd.Series(tmdb_id, index=c.frame.index, dtype="Int64"),
            "country": c.text("country"),
            "release_type": c.integer("type", minimum=1, maximum=6),
            "release_date": c.dates(
                "release_date", DATE_FORMATS, values=c.text("release_date").str.slice(0, 10)
            )["date"],
            "certification": c.text("certification"),
            "note": c.text("note"),
        }
    )
    return c.parsed(RELEASE_DATES, frame)


def unusable_details(tmdb_id: int, reason: str) -> Parsed:
    """A film TMDb cannot give details for (404, or an answer that does not parse), kept as
    a reject of `tmdb__movies` so the next run does not ask again and the reason is visible."""
    return Parsed(
        MOVIES,
        pd.DataFrame(columns=list(MOVIES.columns)),
        details_source_file(tmdb_id),
        rejects_frame([(1, f"tmdb_id {tmdb_id}", reason)]),
    )
