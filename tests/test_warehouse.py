"""The embedded warehouse: reachable over TCP, idempotent start, a read-only BI role."""

from __future__ import annotations

import psycopg2
import pytest

from orchestration import warehouse as server
from orchestration.settings import parse_database_url


def test_tcp_and_second_start_reuses_the_running_server(settings, warehouse):
    assert warehouse.host == "127.0.0.1"
    pid_before = (settings.pgdata / "postmaster.pid").read_text().splitlines()[0]
    server.start(settings)
    assert (settings.pgdata / "postmaster.pid").read_text().splitlines()[0] == pid_before
    with server.connect(warehouse) as conn, conn.cursor() as cur:
        cur.execute(
            "select nspname from pg_namespace where nspname = any(%s) order by 1",
            (["app", "intermediate", "marts", "ml", "raw", "staging"],),
        )
        assert [r[0] for r in cur.fetchall()] == [
            "app",
            "intermediate",
            "marts",
            "ml",
            "raw",
            "staging",
        ]


def test_dagster_storage_database_exists(settings, warehouse):
    with server.connect(warehouse.with_database("postgres")) as conn, conn.cursor() as cur:
        cur.execute(
            "select 1 from pg_database where datname = %s", (settings.dagster_storage.database,)
        )
        assert cur.fetchone() == (1,)
    assert "CINEGRAPH_DAGSTER_STORAGE_URL" in (settings.dagster_home / "dagster.yaml").read_text()


def test_bi_reader_reads_marts_only(settings, warehouse, db):
    with db.cursor() as cur:
        cur.execute("create table if not exists marts.test_bi_probe (x int)")
        cur.execute("create table if not exists raw.test_bi_probe (x int)")
    db.commit()
    bi = server.connect(settings.bi_reader)
    bi.autocommit = True
    try:
        with bi.cursor() as cur:
            cur.execute("select count(*) from marts.test_bi_probe")
            assert cur.fetchone() == (0,)
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("insert into marts.test_bi_probe values (1)")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("select * from raw.test_bi_probe")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("create table marts.bi_made (x int)")
    finally:
        bi.close()
        with db.cursor() as cur:
            cur.execute("drop table marts.test_bi_probe; drop table raw.test_bi_probe")
        db.commit()


@pytest.mark.nodb
def test_database_url_parsing_keeps_secrets_out_of_display():
    conn = parse_database_url("postgresql://ana:s3cr%40t@db.example:6543/films")
    assert (conn.host, conn.port, conn.user, conn.password, conn.database) == (
        "db.example",
        6543,
        "ana",
        "s3cr@t",
        "films",
    )
    assert "s3cr" not in conn.redacted_url()
    assert "s3cr" not in repr(conn)
    with pytest.raises(ValueError):
        parse_database_url("mysql://x@y/z")
