"""The catalogue of non-dbt tables: versioned migrations applied once at bootstrap, a changed
migration refused, and the write paths of the API and the models running no DDL."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pandas as pd
import psycopg2
import pytest

from ingest import app_events
from ml import runs
from ml.metrics import categories
from ml.people import store
from ml.people.config import people_config
from orchestration import warehouse as server
from warehouse.catalog import VERSION_TABLE, MigrationError, migrate, migrations

PROBE = "catalog_probe"


def applied(db) -> list[tuple[int, str, str]]:
    with db.cursor() as cur:
        cur.execute(f"select version, name, checksum from {VERSION_TABLE} order by version")
        return cur.fetchall()


def test_bootstrap_twice_applies_each_migration_once(warehouse, db):
    server.bootstrap(warehouse)
    server.bootstrap(warehouse)
    catalogue = migrations()
    assert applied(db) == [(m.version, m.name, m.checksum) for m in catalogue]
    assert migrate(db) == []  # nothing pending: a no-op


def test_every_catalogue_table_says_what_it_holds(warehouse, db):
    """A BI tool or psql's \\dt+ shows a comment on every table and view of ml and app."""
    with db.cursor() as cur:
        cur.execute("""
            select n.nspname || '.' || c.relname
            from pg_class as c
            inner join pg_namespace as n on c.relnamespace = n.oid
            where n.nspname in ('ml', 'app') and c.relkind in ('r', 'v', 'm', 'p')
                and not c.relispartition
                and coalesce(obj_description(c.oid, 'pg_class'), '') = ''
            order by 1
        """)
        assert cur.fetchall() == []
        cur.execute("select obj_description('ml.person_quality_scores'::regclass, 'pg_class')")
        assert "marts.person_quality_scores" in cur.fetchone()[0]


def test_a_changed_applied_migration_is_a_clear_error(db, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(migrations()[0].path.parent, folder)
    first = migrations(folder)[0]
    first.path.write_text(first.sql + "\n-- edited after it was applied\n")
    before = applied(db)
    changed = rf"migration {first.path.name} changed after it was applied"
    with pytest.raises(MigrationError, match=changed):
        migrate(db, folder)
    assert applied(db) == before


def test_a_migration_the_code_does_not_have_is_refused(db, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(migrations()[0].path.parent, folder)
    newest = migrations(folder)[-1]
    newest.path.unlink()
    with pytest.raises(MigrationError, match=rf"{newest.version:04d}_{newest.name} applied"):
        migrate(db, folder)


@pytest.mark.nodb
def test_versions_without_a_gap(tmp_path):
    (tmp_path / "0001_first.sql").write_text("select 1;")
    (tmp_path / "0003_third.sql").write_text("select 1;")
    with pytest.raises(MigrationError, match=r"must run 1, 2, 3...; found \[1, 3\]"):
        migrations(tmp_path)


def columns(db, schema: str, table: str) -> list[str]:
    with db.cursor() as cur:
        cur.execute(
            "select column_name from information_schema.columns "
            "where table_schema = %s and table_name = %s order by ordinal_position",
            (schema, table),
        )
        return [row[0] for row in cur.fetchall()]


def test_seed_shaped_tables_match_their_seeds(db):
    """A seed that adds a category, measure or gravitas component needs a migration."""
    weights = [c for c in columns(db, "app", "custom_weight_profiles") if c.endswith("_weight")]
    assert weights == [f"{category}_weight" for category in categories()]
    config = people_config()
    expected = {
        store.PQS_TABLE: store.pqs_columns(config),
        store.ASOF_TABLE: store.asof_columns(config),
        store.GRAVITAS_TABLE: store.gravitas_columns(config),
        store.GRAVITAS_ASOF_TABLE: store.gravitas_columns(config, as_of=True),
        store.STATE[1]: store.STATE_COLUMNS,
    }
    for table, wanted in expected.items():
        assert columns(db, store.SCHEMA, table) == list(wanted), table


@contextmanager
def ddl_refused(db):
    """Any DDL in the database while inside fails (an event trigger raises on it)."""
    with db.cursor() as cur:
        cur.execute(
            """
            create function public.catalog_refuse_ddl() returns event_trigger
            language plpgsql as $$
            begin
                raise exception 'DDL (%) after bootstrap', tg_tag;
            end $$;
            create event trigger catalog_refuse_ddl on ddl_command_start
                execute function public.catalog_refuse_ddl();
            """
        )
    db.commit()
    try:
        yield
    finally:
        db.rollback()
        with db.cursor() as cur:
            cur.execute(
                "drop event trigger catalog_refuse_ddl; drop function public.catalog_refuse_ddl()"
            )
        db.commit()


@pytest.fixture
def probe_cleanup(db):
    yield
    db.rollback()
    with db.cursor() as cur:
        cur.execute("delete from app.rating_events where source = %s", (PROBE,))
        cur.execute("delete from app.cohorts where cohort_name = %s", (PROBE,))
        cur.execute("delete from app.users where source = %s", (PROBE,))
        cur.execute("delete from ml.model_runs where model_name = %s", (PROBE,))
        cur.execute("delete from ml.people_input_state where unit_key = %s", (PROBE,))
    db.commit()


def test_write_paths_run_no_ddl(warehouse, probe_cleanup):
    conn = server.connect(warehouse)
    try:
        with ddl_refused(conn):
            refused = r"DDL \(CREATE TABLE\) after bootstrap"
            with pytest.raises(psycopg2.Error, match=refused), conn.cursor() as cur:
                cur.execute("create table public.catalog_probe (x int)")
            conn.rollback()

            user_id = app_events.register_user(conn, f"{PROBE}:someone", PROBE)
            events = pd.DataFrame(
                {
                    "source_row": [1],
                    "user_id": [user_id],
                    "movie_id": [1],
                    "rating": [4.0],
                    "event_at": [pd.Timestamp("2020-05-01", tz="UTC")],
                }
            )
            loaded = app_events.load_rating_events(conn, events, PROBE, "probe.csv")
            members = app_events.add_cohort_members(conn, PROBE, [user_id], "probe cohort")
            run_id = runs.record_run(conn, PROBE, {"a": 1}, {"b": 2.0}, {"c": "d"})
            latest = runs.latest_run(conn, PROBE)
            state = pd.DataFrame(
                {
                    "unit_key": [PROBE],
                    "unit": ["film"],
                    "unit_id": [1],
                    "input_hash": ["h"],
                    "people": [[1, 2]],
                    "calculation_version": ["v"],
                }
            )
            with conn, conn.cursor() as cur:
                store.write_rows(
                    cur, *store.STATE, store.STATE_COLUMNS, state, ("unit_key", [PROBE])
                )
    finally:
        conn.close()
    assert (loaded.rows, loaded.months, members) == (1, ["2020-05-01"], 1)
    assert latest["run_id"] == run_id
