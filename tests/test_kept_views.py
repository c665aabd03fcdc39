"""The views that read a relation dbt or a loader rebuilds are never missing: they are held and
re-pointed in the rebuild's transaction (warehouse/migrations/0008, dbt_project/macros/
rename_relation.sql), and views an older run left missing are rebuilt at the next start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import DBT_PROJECT_DIR


def _exists(db, name: str) -> bool:
    with db.cursor() as cur:
        cur.execute("select to_regclass(%s) is not null", (name,))
        found = cur.fetchone()[0]
    db.rollback()
    return found


@pytest.fixture
def scratch(db):
    """Schema `keep_probe` with table t, view v1 over it, view v2 over v1 readable by bi_reader."""
    with db, db.cursor() as cur:
        cur.execute("drop schema if exists keep_probe cascade")
        cur.execute("create schema keep_probe")
        cur.execute("create table keep_probe.t as select 1 as a, 'old'::text as b")
        cur.execute("create view keep_probe.v1 as select a, b from keep_probe.t")
        cur.execute("create view keep_probe.v2 as select a from keep_probe.v1")
        cur.execute("comment on view keep_probe.v2 is 'kept'")
        cur.execute("grant select on keep_probe.v2 to bi_reader")
    yield db
    with db, db.cursor() as cur:
        cur.execute("drop schema keep_probe cascade")


def _swap(db, new_table_sql: str) -> list[tuple[str, str]]:
    """What dbt's table materialisation does: build __dbt_tmp, rename the old one away and the
    new one in, commit, drop the backup with cascade."""
    with db, db.cursor() as cur:
        cur.execute(f"create table keep_probe.t__dbt_tmp as {new_table_sql}")
        cur.execute("select app.hold_dependent_views('keep_probe.t')")
        cur.execute("alter table keep_probe.t rename to t__dbt_backup")
        cur.execute("alter table keep_probe.t__dbt_tmp rename to t")
        cur.execute("select view_schema, view_name from app.restore_held_views()")
        kept = cur.fetchall()
    with db, db.cursor() as cur:
        cur.execute("drop table keep_probe.t__dbt_backup cascade")
    return kept


def test_a_table_swap_keeps_the_views_over_it_with_their_grants(scratch):
    kept = _swap(scratch, "select 2 as a, 'new'::text as b")
    assert sorted(kept) == [("keep_probe", "v1"), ("keep_probe", "v2")]
    with scratch.cursor() as cur:
        cur.execute("select a from keep_probe.v2")
        assert cur.fetchall() == [(2,)]
        cur.execute("select obj_description('keep_probe.v2'::regclass)")
        assert cur.fetchone()[0] == "kept"
        cur.execute("select has_table_privilege('bi_reader', 'keep_probe.v2', 'select')")
        assert cur.fetchone()[0]


def test_a_view_whose_column_types_changed_is_created_afresh(scratch):
    _swap(scratch, "select 'two'::text as a, 'new'::text as b")
    with scratch.cursor() as cur:
        cur.execute("select a from keep_probe.v2")
        assert cur.fetchall() == [("two",)]


def test_a_view_reading_a_column_that_is_gone_is_left_to_dbt(scratch):
    kept = _swap(scratch, "select 3 as a")
    assert kept == []
    assert not _exists(scratch, "keep_probe.v1")
    assert not _exists(scratch, "keep_probe.v2")


def test_a_raw_table_rebuilt_for_new_columns_keeps_its_staging_views(db):
    from ingest.loader import ensure_table
    from ingest.schema import RawTable

    table = RawTable("keep_probe_raw", {"id": "integer"}, ("id",), "a probe")
    with db, db.cursor() as cur:
        cur.execute("drop table if exists raw.keep_probe_raw cascade")
        ensure_table(cur, table)
        cur.execute("create view raw.keep_probe_stg as select id from raw.keep_probe_raw")
    wider = RawTable("keep_probe_raw", {"id": "integer", "title": "text"}, ("id",), "a probe")
    try:
        with db, db.cursor() as cur:
            ensure_table(cur, wider)
        assert _exists(db, "raw.keep_probe_stg")
    finally:
        with db, db.cursor() as cur:
            cur.execute("drop table raw.keep_probe_raw cascade")


def _dbt(*args: str) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [str(dbt), *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir"]
        + [str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stdout[-3000:]


# The weight-profile views read seeds and app tables only: a dbt rebuild without the raw data.
PROFILE_VIEWS = "dim_weight_profiles int_profile_metric_weights"
PROFILE_SEEDS = "weight_profiles metric_definitions profile_metric_weights"


@pytest.fixture
def profile_views(dbt_manifest, db):
    _dbt("seed", "--select", *PROFILE_SEEDS.split())
    _dbt("run", "--select", *PROFILE_VIEWS.split())
    return db


def test_a_dbt_rebuild_never_shows_a_reader_a_missing_view(profile_views, warehouse):
    from orchestration.warehouse import connect
    from warehouse.view_probe import RelationPoller

    reader = RelationPoller(
        lambda: connect(warehouse),
        ["marts.dim_weight_profiles", "intermediate.int_profile_metric_weights"],
    )
    reader.start()
    try:
        # dim_weight_profiles is rebuilt; int_profile_metric_weights reads it.
        _dbt("run", "--select", "dim_weight_profiles")
        _dbt("run", "--select", "dim_weight_profiles")
    finally:
        reader.stop()
    assert reader.polls > 0
    assert (reader.missing, reader.errors) == (set(), set())
    assert _exists(profile_views, "intermediate.int_profile_metric_weights")


def test_views_an_older_run_left_missing_are_healed_at_the_next_start(
    profile_views, dbt_manifest, warehouse
):
    from orchestration.view_healing import heal_views, views_to_heal

    with profile_views, profile_views.cursor() as cur:
        # What dbt's cascade left behind when a run died between the drop and the rebuild.
        cur.execute("drop view intermediate.int_profile_metric_weights cascade")
    manifest = json.loads(Path(dbt_manifest).read_text())
    assert "int_profile_metric_weights" in views_to_heal(warehouse, manifest)
    assert "int_profile_metric_weights" in heal_views(warehouse)
    assert _exists(profile_views, "intermediate.int_profile_metric_weights")


@pytest.mark.slow
def test_a_full_materialisation_never_shows_a_reader_a_missing_view(
    materialized, defs, instance, warehouse, db
):
    from orchestration.materialize_all import materialize_all
    from orchestration.settings import SCHEMAS
    from orchestration.warehouse import connect
    from warehouse.view_probe import RelationPoller

    with db.cursor() as cur:
        cur.execute(
            "select schemaname || '.' || viewname from pg_views where schemaname = any(%s)",
            (list(SCHEMAS),),
        )
        views = [row[0] for row in cur.fetchall()]
    db.rollback()
    assert {"marts.film_scores_live", "intermediate.int_rating_events"} <= set(views)
    reader = RelationPoller(lambda: connect(warehouse), views)
    reader.start()
    try:
        stages = materialize_all(defs, instance)
    finally:
        reader.stop()
    assert all(stage.success for stage in stages)
    assert reader.polls > 10  # it read throughout the run (fewer polls on a loaded machine)
    # A read that meets a rebuild's re-pointing can lose a deadlock (docs/warehouse.md, known
    # limit): it is counted apart and must stay rare; a missing view or any other error fails.
    assert (reader.missing, reader.errors) == (set(), set())
    assert reader.deadlocks <= reader.polls // 10


def test_up_leaves_healing_to_a_running_materialisation(warehouse, db):
    from orchestration import run_lock
    from orchestration.view_healing import heal_when_idle

    with run_lock.hold(warehouse, "first-run"):
        assert heal_when_idle(warehouse) == []
