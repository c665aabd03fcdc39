"""Fixtures of the connector tests: a fake TMDb, configs pointing at it, clean tables.

Connector tests write the connector raw tables and Letterboxd app rows; `clean_tables`
empties them before and after each test, so marts built by other tests never see them.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from psycopg2 import sql

from tests.support.fake_tmdb import API_KEY, FakeTmdb


@pytest.fixture
def fake_tmdb():
    with FakeTmdb() as server:
        yield server


@pytest.fixture
def tmdb_config(fake_tmdb):
    from ingest.config import TmdbConfig

    # Fast retries and no rate limit to speak of, so failure tests take milliseconds.
    return TmdbConfig(
        base_url=fake_tmdb.base_url,
        api_key=API_KEY,
        requests_per_second=1000,
        backoff_s=0.01,
        max_retries=3,
        timeout_s=5,
    )


@pytest.fixture
def sources(tmdb_config, tmp_path):
    from ingest.config import SourcesConfig

    return SourcesConfig(tmdb=tmdb_config, cache_dir=tmp_path / "cache")


def _empty_connector_tables(conn) -> None:
    from ingest.connectors import CONNECTOR_TABLES

    with conn.cursor() as cur:
        for tables in CONNECTOR_TABLES.values():
            for table in tables:
                cur.execute(sql.SQL("truncate {}").format(sql.Identifier("raw", table.name)))
                cur.execute("delete from raw._rejects where source = %s", (table.name,))
        cur.execute("select to_regclass('app.users')")
        if cur.fetchone()[0] is not None:
            cur.execute("delete from app.rating_events where source = 'letterboxd'")
            cur.execute("delete from app.cohort_members where cohort_name = 'letterboxd'")
            cur.execute("delete from app.cohorts where cohort_name = 'letterboxd'")
            cur.execute("delete from app.users where source = 'letterboxd'")
    conn.commit()


@pytest.fixture
def clean_tables(db):
    _empty_connector_tables(db)
    yield db
    db.rollback()
    _empty_connector_tables(db)


@pytest.fixture
def file_server():
    """Serves a folder over HTTP on 127.0.0.1 (a stand-in for datasets.imdbws.com and GroupLens)."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
