"""The cohort jobs, schedule and refresh sensor, as Dagster resolves and evaluates them."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg


def keys(defs, job_name: str) -> set[str]:
    job = defs.resolve_job_def(job_name)
    return {key.to_user_string() for key in job.asset_layer.selected_asset_keys}


def test_jobs_select_what_each_refresh_rebuilds(defs):
    refresh = keys(defs, "cohort_refresh_job")
    assert {"marts/cohort_film_stats", "marts/film_rankings", "marts/ranking_insights"} <= refresh
    assert not refresh & {"marts/fct_ratings", "ml/user_clusters", "app/rating_events"}
    # a new month leaves what does not read the ratings, and views over incremental tables
    assert not refresh & {
        "marts/film_lists",
        "intermediate/int_film_credits",
        "marts/film_histograms",
    }
    refit = keys(defs, "taste_cluster_refit_job")
    assert {
        "ml/user_clusters",
        "ml/rating_prediction_holdout",
        "marts/cohort_members",
        "marts/film_rankings",
    } <= refit
    assert "marts/fct_ratings" not in refit
    assert {"marts/fct_ratings", "marts/rating_rejects", "marts/user_activity"} <= keys(
        defs, "ratings_month_job"
    )


def test_the_nightly_schedule_requests_the_refit(defs):
    schedule = defs.resolve_schedule_def("taste_clusters_nightly")
    assert schedule.job_name == "taste_cluster_refit_job"
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 1, 2, 3, tzinfo=UTC)
    )
    assert len(schedule.evaluate_tick(context).run_requests) == 1


def test_new_ratings_trigger_one_cohort_refresh(defs, instance):
    from orchestration.defs.cohorts import cohort_refresh_sensor

    instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=["marts", "fct_ratings"]))
    context = dg.build_sensor_context(instance=instance, repository_def=defs.get_repository_def())
    first = list(cohort_refresh_sensor(context))
    assert len(first) == 1 and first[0].run_key.startswith("fct_ratings@")
    again = list(
        cohort_refresh_sensor(
            dg.build_sensor_context(
                instance=instance, cursor=context.cursor, repository_def=defs.get_repository_def()
            )
        )
    )
    assert [type(result) for result in again] == [dg.SkipReason]
