"""The console's role (`console_app`, migration 0012): it reads, writes only the app tables a
page changes, runs no DDL, and is kept out of the other databases like the BI role."""

from __future__ import annotations

import psycopg2
import pytest

from orchestration import warehouse as server
from orchestration.settings import DAGSTER_DATABASE


@pytest.fixture
def console_db(settings, warehouse):
    conn = server.connect(settings.console_app)
    yield conn
    conn.rollback()
    conn.close()


def refused(conn, statement: str) -> bool:
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    except psycopg2.errors.InsufficientPrivilege:
        return True
    finally:
        conn.rollback()
    return False


def test_the_console_role_reads_and_writes_feedback(console_db):
    with console_db.cursor() as cur:
        cur.execute("show statement_timeout")
        assert cur.fetchone() == (server.BI_STATEMENT_TIMEOUT,)
        cur.execute("select count(*) from app.weight_profile_history")
        cur.execute(
            "insert into app.feedback_events (user_id, film_id, kind, context) "
            "values (1, 1, 'liked', '{\"surface\": \"console\"}') returning event_id"
        )
        assert cur.fetchone()[0] > 0


@pytest.mark.parametrize(
    "statement",
    [
        "create table app.probe (x int)",
        "create temp table probe (x int)",
        "drop table app.feedback_events",
        "delete from app.weight_profile_history",
        "update app.feedback_events set kind = 'liked'",
        "truncate ml.personal_picks",
        "insert into app.schema_migrations (version, name, checksum) values (999, 'x', 'x')",
    ],
)
def test_the_console_role_runs_no_ddl_and_no_other_write(console_db, statement):
    assert refused(console_db, statement)


def test_the_console_role_is_kept_to_the_warehouse(settings, warehouse):
    for database in (DAGSTER_DATABASE, "postgres"):
        with pytest.raises(psycopg2.OperationalError, match="CONNECT privilege"):
            server.connect(settings.console_app.with_database(database))
