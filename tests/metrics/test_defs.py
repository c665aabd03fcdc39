"""The metrics domain in Dagster: its assets and checks, the schedule, the film_scores sensor
(build_sensor_context on an ephemeral instance) and the coverage check logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from ml.metrics.coverage import below_threshold, lost_data
from orchestration.defs import metrics
from orchestration.resources import warehouse_resource

COVERAGE_SCHEMA = "metrics_test_coverage"


def test_metrics_group_holds_the_registry_scores_coverage_and_time_series(defs):
    graph = defs.resolve_asset_graph()
    group = {
        k.to_user_string()
        for k in graph.get_all_asset_keys()
        if graph.get(k).group_name == "metrics"
    }
    assert {
        "marts/metric_definitions",
        "marts/weight_profiles",
        "marts/profile_metric_weights",
        "marts/fct_film_metrics",
        "marts/film_scores",
        "marts/metric_coverage_stats",
        "marts/metric_timeseries",
        "app/custom_weight_profiles",
    } <= group
    # the time series appends from the observations; dbt reads the profile store through staging
    assert (
        dg.AssetKey(["intermediate", "int_metric_observations"])
        in graph.get(metrics.TIMESERIES).parent_keys
    )
    staged = dg.AssetKey(["staging", "stg_app__custom_weight_profiles"])
    assert metrics.PROFILE_TABLES[0] in graph.get(staged).parent_keys
    assert staged in graph.get(dg.AssetKey(["marts", "dim_weight_profiles"])).parent_keys
    checks = {c.name for c in graph.asset_check_keys if c.asset_key == metrics.COVERAGE}
    assert {"metrics_meet_coverage_threshold", "no_active_metric_lost_its_data"} <= checks


def test_schedule_and_refresh_job(defs):
    schedule = defs.get_schedule_def("metrics_coverage_nightly")
    assert schedule.job_name == "metrics_coverage_snapshot"
    job = defs.resolve_job_def("refresh_film_scores")
    keys = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    # the views between the two tables are rebuilt with them (dbt drops them with the table),
    # and which metrics have a feed (the scores' available coverage) with the values
    assert keys == {
        "marts/film_metric_values",
        "marts/metric_availability",
        "marts/film_score_breakdown",
        "marts/film_scores_live",
        "marts/film_scores",
    }


@pytest.fixture
def sensor_setup(settings, db):
    with dg.DagsterInstance.ephemeral() as instance:
        yield (
            instance,
            dg.build_sensor_context(
                instance=instance, resources={"warehouse": warehouse_resource(settings)}
            ),
        )
    db.rollback()
    with db.cursor() as cur:
        cur.execute("delete from app.weight_profile_history where profile = 'sensor_test'")
    db.commit()


def report(instance, key: dg.AssetKey) -> None:
    instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key))


def test_sensor_refreshes_scores_after_inputs_and_profile_edits(sensor_setup, db):
    instance, context = sensor_setup
    report(instance, dg.AssetKey(["marts", "fct_film_metrics"]))
    request = metrics.film_scores_sensor(context)
    assert isinstance(request, dg.RunRequest)
    assert "marts/fct_film_metrics" in request.tags["cinegraph/reason"]

    report(instance, metrics.FILM_SCORES)
    assert isinstance(metrics.film_scores_sensor(context), dg.SkipReason)

    with db.cursor() as cur:  # a profile edit through the API lands in the history table
        cur.execute(
            "insert into app.weight_profile_history (profile, action, changed_by, changed_at, "
            "new_values, change_reason) values ('sensor_test', 'update', 'test', %s, '{}', 'test') "
            "returning id",
            (datetime.now(UTC) + timedelta(seconds=1),),
        )
        edit_id = cur.fetchone()[0]
    db.commit()
    request = metrics.film_scores_sensor(context)
    assert isinstance(request, dg.RunRequest)
    assert "profile sensor_test updated" in request.tags["cinegraph/reason"]
    assert request.run_key.endswith(f"edit-{edit_id}")
    # the same state asks for the same run: Dagster skips a run key it has seen
    assert metrics.film_scores_sensor(context).run_key == request.run_key


@pytest.fixture
def coverage_history(db, scratch_schema):
    with scratch_schema(COVERAGE_SCHEMA):
        with db.cursor() as cur:
            cur.execute(f"""
                create table {COVERAGE_SCHEMA}.metric_coverage_stats as
                select *, null::text as source from (values
                    ('2024-01-01'::timestamptz, 'metric', 'imdb_rating', 'rating',
                     50000, 0.8, true, 0.7),
                    ('2024-01-01', 'metric', 'oscar_wins', 'award', 10, 0.01, true, 0.03),
                    ('2024-01-01', 'metric', 'tmdb_rating', 'rating', 0, 0.0, true, 0.7),
                    ('2024-01-02', 'metric', 'imdb_rating', 'rating', 0, 0.0, true, 0.7),
                    ('2024-01-02', 'metric', 'oscar_wins', 'award', 2000, 0.032, true, 0.03),
                    ('2024-01-02', 'metric', 'tmdb_rating', 'rating', 0, 0.0, true, 0.7)
                ) as rows (snapshot_at, level, metric_code, category, films_with_data,
                           coverage_share, active, coverage_threshold)
            """)
        db.commit()
        yield db


def test_coverage_checks_read_the_newest_snapshot(coverage_history):
    assert [row["metric_code"] for row in below_threshold(coverage_history, COVERAGE_SCHEMA)] == [
        "imdb_rating",
        "tmdb_rating",
    ]
    lost = lost_data(coverage_history, COVERAGE_SCHEMA)
    # tmdb_rating never had data: a gap, not a loss
    assert [(row["metric_code"], row["most_films_before"]) for row in lost] == [
        ("imdb_rating", 50000)
    ]


@pytest.mark.slow
def test_coverage_asset_checks_on_the_built_warehouse(materialized, settings):
    resource = warehouse_resource(settings)
    threshold = metrics.metrics_meet_coverage_threshold(warehouse=resource)
    assert not threshold.passed and threshold.severity == dg.AssetCheckSeverity.WARN
    assert threshold.metadata["metrics_below_threshold"].value > 0  # tmdb_* are never fed
    lost = metrics.no_active_metric_lost_its_data(warehouse=resource)
    assert lost.passed
