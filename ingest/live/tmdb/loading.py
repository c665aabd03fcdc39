"""Loading TMDb into the warehouse: this hour's trending snapshot, discovered years, and the
backlog of films without details, fetched film by film."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from ingest.live.tmdb.client import TmdbClient, TmdbNotFound
from ingest.live.tmdb.parsing import (
    parse_details,
    parse_discover,
    parse_trending,
    unusable_details,
)
from ingest.loader import LoadResult, Slice, load

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
        for parsed in parse_details(body, datetime.now(UTC)):
            load(conn, parsed, film)
        fetched += 1
    return DetailsRun(fetched, unusable, backlog=details_backlog(conn))
