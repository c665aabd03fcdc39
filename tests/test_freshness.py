"""Freshness checks on the raw sources and the daily-scheduled assets, and their sensor."""

from __future__ import annotations

import dagster as dg

RAW = dg.AssetKey(["raw", "festivals__awards"])


def freshness_keys(defs) -> dict[dg.AssetKey, dg.AssetCheckKey]:
    graph = defs.resolve_asset_graph()
    return {c.asset_key: c for c in graph.asset_check_keys if c.name == "freshness_check"}


def test_sources_and_daily_scheduled_assets_have_freshness_checks(defs):
    from orchestration.defs.ingest import ingest_assets

    checked = freshness_keys(defs)
    assert {asset.key for asset in ingest_assets} <= set(checked)
    for key in (["ml", "user_clusters"], ["ml", "experiment_results"], ["ml", "companion_model"]):
        assert dg.AssetKey(key) in checked, key
    # The hourly TMDb schedule has nothing to fetch without a token: no check.
    assert dg.AssetKey(["raw", "tmdb__trending"]) not in checked


def test_daily_crons():
    from orchestration.defs.freshness import is_daily

    assert is_daily("30 3 * * *")
    assert not is_daily("5 * * * *")
    assert not is_daily("*/15 * * * *")
    assert not is_daily("0 3 * * 1")


def test_the_sensor_runs_by_default_and_requests_the_unevaluated_checks(defs):
    sensor = defs.resolve_sensor_def("freshness_checks_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    # On an instance where no check has run yet, every freshness check is due.
    with (
        dg.DagsterInstance.ephemeral() as instance,
        dg.build_sensor_context(instance=instance, definitions=defs) as context,
    ):
        requests = sensor.evaluate_tick(context).run_requests
    checks = {key for request in requests for key in request.asset_check_keys}
    assert checks == set(freshness_keys(defs).values())


def test_a_fresh_load_passes_its_freshness_check(defs, materialize):
    check = freshness_keys(defs)[RAW]
    materialize([RAW])
    result = materialize(dg.AssetSelection.checks(check))
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.asset_check_key == check]
    assert evaluation.passed


def test_an_asset_never_materialised_is_overdue(defs):
    # An instance of its own: the session's may have built the experiments' results already.
    check = freshness_keys(defs)[dg.AssetKey(["ml", "experiment_results"])]
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            [*defs.assets, *(defs.asset_checks or [])],
            selection=dg.AssetSelection.checks(check),
            resources=defs.resources,
            instance=instance,
        )
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.asset_check_key == check]
    assert not evaluation.passed
