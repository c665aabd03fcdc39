"""The TMDb API (v3): trending and discovered films, and film details with credits.

`TmdbClient` is the only code that talks to TMDb. Every request goes through the response
cache (a rerun inside the TTL costs no call), then the rate limit, then a session that
retries 5xx, timeouts and 429 (honouring `Retry-After`). A 401 is not retried: the key is
wrong and asking again only burns quota. The API key or token never appears in an error,
a log line or a cache file: errors name the endpoint (`/movie/550`), not the URL.

The parsers turn TMDb's JSON into `Parsed` frames for the raw tables below, with the
same typing and rejects as every other source.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd
import requests

from ingest.config import TmdbConfig
from ingest.http import RateLimiter, ResponseCache, protect_secrets, redact, retrying_session
from ingest.loader import LoadResult, Slice, load
from ingest.parsing import Conversion, SourceRecords, raw_table
from ingest.schema import Parsed, rejects_frame

log = logging.getLogger(__name__)

# TMDb serves at most 500 pages of any list.
MAX_PAGES = 500
DETAILS_APPEND = "credits,release_dates,external_ids"
DATE_FORMATS = ["%Y-%m-%d"]


class TmdbError(RuntimeError):
    """TMDb could not give a usable answer; the message names the endpoint, never the key."""


class TmdbAuthError(TmdbError):
    pass


class TmdbNotFound(TmdbError):
    pass


# -- raw tables ----------------------------------------------------------------------------

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


# -- client --------------------------------------------------------------------------------


class TmdbClient:
    """A cached, rate-limited, retrying TMDb v3 client."""

    def __init__(
        self,
        config: TmdbConfig,
        cache: ResponseCache | None = None,
        session: requests.Session | None = None,
    ):
        if config.api_key is None and config.api_token is None:
            raise TmdbError("TMDb needs TMDB_API_KEY or TMDB_API_TOKEN in the environment")
        self.config = config
        self.cache = cache
        self.session = session or retrying_session(config.max_retries, config.backoff_s)
        self.limiter = RateLimiter(config.requests_per_second)
        self.calls = 0
        self.cache_hits = 0
        # A v4 read token goes in a header; a v3 key can only go in the query string.
        self._headers, self._params = {}, {}
        if config.api_token is not None:
            self._headers["Authorization"] = f"Bearer {config.api_token.get_secret_value()}"
        else:
            self._params["api_key"] = config.api_key.get_secret_value()
        self._secrets = tuple(s.get_secret_value() for s in (config.api_key, config.api_token) if s)
        protect_secrets(*self._secrets)

    def get(self, endpoint: str, params: dict | None = None, kind: str = "details") -> dict:
        """One JSON object from `endpoint` ('/movie/550'), from the cache when fresh enough."""
        params = dict(params or {})
        key = ResponseCache.key(self.config.base_url, endpoint, params)
        if self.cache is not None:
            cached = self.cache.get(key, self.config.cache_ttl_s.get(kind, 0))
            if cached is not None:
                self.cache_hits += 1
                return cached
        self.limiter.wait()
        self.calls += 1
        log.debug("TMDb GET %s %s", endpoint, params)
        try:
            response = self.session.get(
                self.config.base_url.rstrip("/") + endpoint,
                params={**params, **self._params},
                headers=self._headers,
                timeout=self.config.timeout_s,
            )
        except requests.RequestException as error:
            # The exception text holds the URL, query string included: never pass it on.
            raise TmdbError(
                f"TMDb {endpoint}: no answer after {self.config.max_retries} retries "
                f"({type(error).__name__})"
            ) from None
        body = self._body(endpoint, response)
        if self.cache is not None:
            self.cache.put(key, body)
        return body

    def _body(self, endpoint: str, response: requests.Response) -> dict:
        status = response.status_code
        if status == 401:
            raise TmdbAuthError(
                f"TMDb {endpoint}: 401 Unauthorized, the API key or token was "
                "refused (check TMDB_API_KEY / TMDB_API_TOKEN); not retried"
            )
        if status == 404:
            raise TmdbNotFound(f"TMDb {endpoint}: 404, no such resource")
        if status != 200:
            retried = len(response.raw.retries.history) if response.raw.retries else 0
            raise TmdbError(
                f"TMDb {endpoint}: HTTP {status} after {retried} retries: {self._excerpt(response)}"
            )
        try:
            body = response.json()
        except ValueError:
            raise TmdbError(
                f"TMDb {endpoint}: the answer is not JSON: {self._excerpt(response)}"
            ) from None
        if not isinstance(body, dict):
            raise TmdbError(f"TMDb {endpoint}: expected a JSON object, got {type(body).__name__}")
        return body

    def _excerpt(self, response: requests.Response) -> str:
        return repr(redact(response.text[:120], self._secrets))

    def pages(self, endpoint: str, params: dict, max_pages: int, kind: str) -> Iterator[list[dict]]:
        """The `results` of each page, following `total_pages` up to `max_pages`."""
        page = 1
        while True:
            body = self.get(endpoint, {**params, "page": page}, kind)
            results, total = body.get("results"), body.get("total_pages")
            if not isinstance(results, list) or not isinstance(total, int):
                raise TmdbError(
                    f"TMDb {endpoint} page {page}: malformed answer, expected "
                    "'results' (a list) and 'total_pages' (a number)"
                )
            yield results
            if page >= min(total, max_pages, MAX_PAGES):
                return
            page += 1

    def trending(self, window: str, max_pages: int) -> list[dict]:
        endpoint = f"/trending/movie/{window}"
        return [movie for page in self.pages(endpoint, {}, max_pages, "trending") for movie in page]

    def discover_year(self, year: int, max_pages: int) -> list[dict]:
        params = {
            "primary_release_year": year,
            "sort_by": "popularity.desc",
            "include_adult": "false",
        }
        return [
            m for page in self.pages("/discover/movie", params, max_pages, "discover") for m in page
        ]

    def movie_details(self, tmdb_id: int) -> dict:
        endpoint = f"/movie/{tmdb_id}"
        body = self.get(endpoint, {"append_to_response": DETAILS_APPEND}, "details")
        missing = [
            part for part in ("id", "credits", "release_dates", "external_ids") if part not in body
        ]
        if missing:
            raise TmdbError(f"TMDb {endpoint}: malformed answer, missing {', '.join(missing)}")
        return body


# -- JSON to raw tables --------------------------------------------------------------------


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


# -- loading -------------------------------------------------------------------------------

# TMDb ids the platform knows of, most wanted first: trending now, discovered, MovieLens links.
KNOWN_TMDB_IDS = """
    select tmdb_id, 1 as priority from raw.tmdb__trending
    union all
    select tmdb_id, 2 from raw.tmdb__discover
    union all
    select tmdb_id, 3 from raw.movielens_archive__links where tmdb_id is not null
"""
MISSING_DETAILS = f"""
    select tmdb_id
    from ({KNOWN_TMDB_IDS}) as known
    where not exists (select 1 from raw.tmdb__movies as m where m.tmdb_id = known.tmdb_id)
        and not exists (
            select 1 from raw._rejects as r
            where r.source = 'tmdb__movies' and r.source_file = 'tmdb:/movie/' || known.tmdb_id
        )
    group by tmdb_id
    order by min(priority), tmdb_id
"""


@dataclass(frozen=True)
class DetailsRun:
    fetched: int
    unusable: int
    backlog: int  # films still without details after this run


def load_trending(conn, client: TmdbClient, now: datetime) -> LoadResult:
    """This hour's trending snapshot for every configured window; a rerun replaces it."""
    hour = pd.Timestamp(now).floor("h")
    lists = {
        window: client.trending(window, client.config.trending_pages)
        for window in client.config.trending_windows
    }
    return load(
        conn,
        parse_trending(lists, hour),
        Slice("snapshot_hour", hour, hour + pd.Timedelta(hours=1)),
    )


def load_discover(conn, client: TmdbClient) -> list[LoadResult]:
    """The most popular films of each configured release year, one slice per year."""
    return [
        load(
            conn,
            parse_discover(year, client.discover_year(year, client.config.discover_pages)),
            Slice("release_year", year, year + 1),
        )
        for year in client.config.discover_years
    ]


def films_missing_details(conn, limit: int) -> list[int]:
    with conn.cursor() as cur:
        cur.execute(MISSING_DETAILS + " limit %s", (limit,))
        return [row[0] for row in cur.fetchall()]


def details_backlog(conn) -> int:
    with conn.cursor() as cur:
        cur.execute(f"select count(*) from ({MISSING_DETAILS}) as missing")
        return cur.fetchone()[0]


def fetch_missing_details(conn, client: TmdbClient, limit: int) -> DetailsRun:
    """Fetch details for up to `limit` films that have none, committing film by film.

    A film is done once its `tmdb__movies` row is committed (it is written last), so a run
    that fails half-way keeps what it fetched and the next run starts where it stopped. A
    404 is recorded as a reject and not asked again; any other error stops the run.
    """
    fetched = unusable = 0
    for tmdb_id in films_missing_details(conn, limit):
        film = Slice("tmdb_id", tmdb_id, tmdb_id + 1)
        try:
            body = client.movie_details(tmdb_id)
        except TmdbNotFound as error:
            load(conn, unusable_details(tmdb_id, str(error)), film)
            unusable += 1
            continue
        if int(body["id"]) != tmdb_id:
            load(conn, unusable_details(tmdb_id, f"TMDb answered with movie {body['id']}"), film)
            unusable += 1
            continue
        for parsed in parse_details(body, datetime.now(timezone.utc)):
            load(conn, parsed, film)
        fetched += 1
    return DetailsRun(fetched, unusable, backlog=details_backlog(conn))
