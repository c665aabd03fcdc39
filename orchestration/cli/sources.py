"""`cinegraph sources`: which sources this deployment loads, and what each last loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg2

from orchestration import warehouse
from orchestration.settings import Settings, settings, sources_from_settings

if TYPE_CHECKING:
    from ingest.config import SourcesConfig


def describe(sources: SourcesConfig) -> dict[str, str]:
    """One line per connector: active or not, and from where (never a credential)."""
    from ingest.http import display_location  # requests: loaded when the command runs

    tmdb = sources.tmdb
    credential = "TMDB_API_TOKEN" if tmdb.api_token else "TMDB_API_KEY" if tmdb.api_key else None
    return {
        "tmdb": (
            f"active: {tmdb.base_url} ({credential} set)"
            if tmdb.active
            else "off: set TMDB_API_KEY or TMDB_API_TOKEN"
        ),
        "imdb_datasets": (
            f"active: {display_location(sources.imdb_datasets.location)} "
            f"(title types: {', '.join(sources.imdb_datasets.title_types)})"
            if sources.imdb_datasets.active
            else "off: set CINEGRAPH_IMDB_DATASETS or imdb_datasets.location"
        ),
        "movielens_archive": (
            f"active: {display_location(sources.movielens_archive.location)}"
            if sources.movielens_archive.active
            else "off: set CINEGRAPH_MOVIELENS_ARCHIVE or movielens_archive.location"
        ),
    }


def _letterboxd_users(conn) -> int | None:
    from ingest.live.letterboxd import SOURCE as LETTERBOXD

    with conn.cursor() as cur:
        cur.execute("select to_regclass('app.users')")
        if cur.fetchone()[0] is None:
            return None
        cur.execute("select count(*) from app.users where source = %s", (LETTERBOXD,))
        return cur.fetchone()[0]


def _connect(config: Settings):
    if config.embedded and not warehouse.is_running(config):
        return None
    try:
        return warehouse.connect(config.warehouse, connect_timeout=5)
    except psycopg2.OperationalError:
        return None


def run(args) -> int:
    from ingest.connectors import CONNECTOR_TABLES, table_status
    from ingest.files.registry import SOURCES as DEMO_SOURCES

    config = settings()
    sources = sources_from_settings()
    print(
        f"sources file: {config.sources_config}"
        f"{'' if config.sources_config.exists() else ' (absent: every connector off)'}"
    )
    for name, line in describe(sources).items():
        print(f"  {name:<18} {line}")
    print(f"  {'letterboxd':<18} drop export zips in {config.ratings_inbox}")
    print(f"  {'demo':<18} always on: {', '.join(DEMO_SOURCES)}")

    conn = _connect(config)
    if conn is None:
        print("\nwarehouse not running (`cinegraph up`): no load history to show")
        return 0
    try:
        print(
            f"\n{'table':<36} {'rows':>11}  {'last loaded (UTC)':<19} {'files':>5} {'rejects':>7}"
        )
        for tables in CONNECTOR_TABLES.values():
            for table in tables:
                status = table_status(conn, table)
                loaded = (
                    status.last_loaded_at.strftime("%Y-%m-%d %H:%M:%S")
                    if status.last_loaded_at
                    else "never"
                )
                print(
                    f"raw.{status.table:<32} {status.rows:>11,}  {loaded:<19} "
                    f"{status.source_files:>5} {status.rejects:>7}"
                )
        users = _letterboxd_users(conn)
        print(f"\nletterboxd users loaded: {users or 'none yet'}")
    finally:
        conn.close()
    return 0


def register(commands) -> None:
    parser = commands.add_parser(
        "sources", help="list the configured sources and what each last loaded"
    )
    parser.set_defaults(handler=run)
