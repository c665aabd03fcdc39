"""Metrics registry assets (group `metrics`): the custom-profile store, the metric time
series, the coverage checks, the nightly coverage snapshot and the film_scores sensor.

The registry seeds and models themselves (metric definitions, fct_film_metrics,
film_scores, metric_coverage_stats ...) are dbt assets; the translator puts them in this
group because they live in the `metrics` folders. Each Python asset here is a thin wrapper
over `ml.metrics`.

film_scores is kept current by a sensor, not by declarative automation: besides upstream
materialisations, its inputs change when someone edits a custom profile through the API,
which is a warehouse write Dagster never sees as an event. The sensor watches both, the
materialisations of film_scores' inputs and `app.weight_profile_history`, and requests one
refresh run per new state (the run key is that state).
"""

from __future__ import annotations

import dagster as dg
import pandas as pd

from ml.metrics.coverage import below_threshold, latest_coverage, lost_data
from ml.metrics.profiles import latest_profile_edit
from ml.metrics.timeseries import DAILY, RISING, TABLE, TRENDS, append_observations
from orchestration.owners import owned, team
from orchestration.pictures import bars_picture
from orchestration.resources import WarehouseResource

GROUP = "metrics"
PROFILE_TABLES = [
    dg.AssetKey(["app", "custom_weight_profiles"]),
    dg.AssetKey(["app", "custom_profile_metric_weights"]),
]
OBSERVATIONS = dg.AssetKey(["intermediate", "int_metric_observations"])
TIMESERIES = dg.AssetKey(["ml", TABLE])
COVERAGE = dg.AssetKey(["marts", "metric_coverage_stats"])
FILM_METRIC_VALUES = dg.AssetKey(["marts", "film_metric_values"])
FILM_SCORES = dg.AssetKey(["marts", "film_scores"])
# What film_scores is computed from, besides profile edits made through the API.
FILM_SCORES_INPUTS = [
    dg.AssetKey(["marts", "fct_film_metrics"]),
    dg.AssetKey(["marts", "metric_definitions"]),
    dg.AssetKey(["marts", "weight_profiles"]),
    dg.AssetKey(["marts", "profile_metric_weights"]),
    *PROFILE_TABLES,
]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            PROFILE_TABLES[0],
            description="Custom weight profiles (editable through the API).",
            group_name=GROUP,
            kinds={"python", "postgres"},
        ),
        dg.AssetSpec(
            PROFILE_TABLES[1],
            description="Custom profiles' per-metric weights.",
            group_name=GROUP,
            kinds={"python", "postgres"},
        ),
    ],
)
def custom_profile_store(warehouse: WarehouseResource):
    """Report what the custom-profile tables hold (the warehouse catalogue creates them)."""
    with warehouse.connection() as conn, conn.cursor() as cur:
        cur.execute("select count(*) from app.custom_weight_profiles")
        profiles = cur.fetchone()[0]
        cur.execute("select count(*) from app.custom_profile_metric_weights")
        overrides = cur.fetchone()[0]
    yield dg.MaterializeResult(asset_key=PROFILE_TABLES[0], metadata={"custom_profiles": profiles})
    yield dg.MaterializeResult(asset_key=PROFILE_TABLES[1], metadata={"metric_weights": overrides})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            TIMESERIES,
            deps=[OBSERVATIONS],
            group_name=GROUP,
            kinds={"python", "postgres"},
            description="Each metric observation and its time; append-only, partitioned by month.",
        ),
        dg.AssetSpec(
            ["ml", DAILY],
            deps=[TIMESERIES],
            group_name=GROUP,
            kinds={"postgres"},
            description="Daily rollup of the time series (materialised view).",
        ),
        dg.AssetSpec(
            ["ml", TRENDS],
            deps=[["ml", DAILY]],
            group_name=GROUP,
            kinds={"postgres"},
            description="Change over each feed's last 7 and 30 days, per film, metric and source.",
        ),
        dg.AssetSpec(
            ["ml", RISING],
            deps=[["ml", TRENDS]],
            group_name=GROUP,
            kinds={"postgres"},
            description="Films whose normalised value rose over their feed's last 30 days, ranked.",
        ),
    ],
)
def metric_timeseries(warehouse: WarehouseResource):
    """Append the new observations to the series, then refresh the daily rollup."""
    with warehouse.connection() as conn:
        result = append_observations(conn)
    yield dg.MaterializeResult(
        asset_key=TIMESERIES,
        metadata={
            "observations": result.observations,
            "appended": result.appended,
            "restated_not_rewritten": result.restated,
            "partitions_created": result.partitions_created,
            "partitions": result.partitions,
            "dagster/row_count": result.series_rows,
        },
    )
    for key in (["ml", DAILY], ["ml", TRENDS], ["ml", RISING]):
        yield dg.MaterializeResult(asset_key=dg.AssetKey(key))


def _check_result(
    rows: list[dict],
    severity: dg.AssetCheckSeverity,
    label: str,
    columns: list[str],
    pictures: dict | None = None,
) -> dg.AssetCheckResult:
    """Passed when `rows` is empty; otherwise their count and a table of them as metadata."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    return dg.AssetCheckResult(
        passed=not rows,
        severity=severity,
        metadata={
            label: len(rows),
            "metrics": dg.MetadataValue.md("\n".join(lines)),
            **(pictures or {}),
        },
    )


@dg.asset_check(
    asset=COVERAGE,
    description="Warns when an active metric covers fewer films than its coverage_threshold.",
)
def metrics_meet_coverage_threshold(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connection() as conn:
        breaches = below_threshold(conn)
        by_source = pd.DataFrame(latest_coverage(conn, "metric_source"))
    pictures = {}
    if not by_source.empty:
        mean = by_source.groupby("source", as_index=False)["coverage_share"].mean()
        pictures["coverage_by_source"] = bars_picture(
            mean.sort_values("coverage_share", ascending=False),
            "source", "coverage_share", "mean coverage of its metrics (share of films)",
            "Coverage by source",
        )  # fmt: skip
    return _check_result(
        breaches,
        dg.AssetCheckSeverity.WARN,
        "metrics_below_threshold",
        ["metric_code", "coverage_share", "coverage_threshold"],
        pictures,
    )


@dg.asset_check(
    asset=COVERAGE,
    description="Fails when an active metric that had data has none in the newest snapshot.",
)
def no_active_metric_lost_its_data(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.connection() as conn:
        lost = lost_data(conn)
    return _check_result(
        lost,
        dg.AssetCheckSeverity.ERROR,
        "metrics_that_lost_their_data",
        ["metric_code", "last_snapshot_with_data", "most_films_before"],
    )


coverage_snapshot_job = dg.define_asset_job(
    "metrics_coverage_snapshot",
    selection=dg.AssetSelection.assets(COVERAGE),
    description="Append one coverage snapshot and run its checks.",
)

nightly_coverage_snapshot = dg.ScheduleDefinition(
    name="metrics_coverage_nightly",
    job=coverage_snapshot_job,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# Everything from film_metric_values to film_scores: rebuilding a table makes dbt drop the
# views that read it, so the views in between (breakdown, live scores) are rebuilt too.
refresh_film_scores_job = dg.define_asset_job(
    "refresh_film_scores",
    selection=(
        dg.AssetSelection.assets(FILM_METRIC_VALUES).downstream()
        & dg.AssetSelection.assets(FILM_SCORES).upstream()
    ),
    description="Rebuild the winning metric values, the score views and every film's scores.",
)


def _latest_materialization(instance: dg.DagsterInstance, key: dg.AssetKey):
    records = instance.fetch_materializations(key, limit=1).records
    return records[0] if records else None


@dg.sensor(
    job=refresh_film_scores_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Rebuilds film_scores after its inputs are materialised or a profile is edited.",
)
def film_scores_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    scored = _latest_materialization(context.instance, FILM_SCORES)
    scored_id, scored_at = (scored.storage_id, scored.timestamp) if scored else (0, 0.0)
    inputs = {key: _latest_materialization(context.instance, key) for key in FILM_SCORES_INPUTS}
    newer = sorted(
        key.to_user_string()
        for key, record in inputs.items()
        if record and record.storage_id > scored_id
    )
    with warehouse.connection() as conn:
        edit = latest_profile_edit(conn)
    reasons = [f"materialised since film_scores: {', '.join(newer)}"] if newer else []
    if edit and edit["changed_at"].timestamp() > scored_at:
        reasons.append(
            f"profile {edit['profile']} {edit['action']}d at {edit['changed_at']:%Y-%m-%d %H:%M:%S}"
        )
    if not reasons:
        return dg.SkipReason("film_scores is newer than its inputs and than every profile edit")
    newest_input = max((record.storage_id for record in inputs.values() if record), default=0)
    return dg.RunRequest(
        run_key=f"inputs-{newest_input}-edit-{edit['id'] if edit else 0}",
        tags={"cinegraph/reason": "; ".join(reasons)[:255]},
    )


defs = dg.Definitions(
    assets=owned(team("metrics"), [custom_profile_store, metric_timeseries]),
    asset_checks=[metrics_meet_coverage_threshold, no_active_metric_lost_its_data],
    jobs=[coverage_snapshot_job, refresh_film_scores_job],
    schedules=[nightly_coverage_snapshot],
    sensors=[film_scores_sensor],
)
