"""Freshness checks on the raw sources and on the marts the daily schedules refresh, and the
sensor that evaluates them (running by default: it only reads the event log).

The limits fit an offline demo, where nothing arrives on its own:
- raw sources: 30 days. The vendored files are static and load when someone runs
  `cinegraph materialize` (or the inbox sensor loads a ratings file); a month-old load of
  the same files is still current, an older one means the warehouse is being left behind
  by the code that reads it.
- assets of the daily schedules (taste clusters, companion, experiments, coverage
  snapshot): 2 days, one missed night allowed (a laptop that was off), two not.
The hourly TMDb schedule gets no check: without a token it has nothing to fetch, and its
tables stay empty by design.
"""

from datetime import timedelta

import dagster as dg

from orchestration.defs.ingest import ingest_assets

SOURCE_LIMIT = timedelta(days=30)
DAILY_LIMIT = timedelta(days=2)
# How often the sensor looks; a check is re-run only once its asset could have gone stale.
SENSOR_INTERVAL_S = 15 * 60


def is_daily(cron: str) -> bool:
    """`M H * * *`: once a day at a fixed time."""
    minute, hour, *rest = cron.split()
    return minute.isdigit() and hour.isdigit() and rest == ["*", "*", "*"]


def scheduled_daily_keys(domains: dg.Definitions) -> set[dg.AssetKey]:
    """The assets of the daily schedules that run by default."""
    graph = domains.resolve_asset_graph()
    keys = set()
    for schedule in domains.schedules or []:
        if schedule.default_status != dg.DefaultScheduleStatus.RUNNING:
            continue
        if not is_daily(schedule.cron_schedule):
            continue
        keys |= schedule.job.selection.resolve(graph)
    return {key for key in keys if graph.get(key).is_materializable}


def freshness_defs(domains: dg.Definitions) -> dg.Definitions:
    sources = {asset.key for asset in ingest_assets}
    checks = [
        *dg.build_last_update_freshness_checks(
            assets=sorted(sources), lower_bound_delta=SOURCE_LIMIT
        ),
        *dg.build_last_update_freshness_checks(
            assets=sorted(scheduled_daily_keys(domains) - sources),
            lower_bound_delta=DAILY_LIMIT,
        ),
    ]
    sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=checks,
        minimum_interval_seconds=SENSOR_INTERVAL_S,
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    return dg.Definitions(asset_checks=checks, sensors=[sensor])
