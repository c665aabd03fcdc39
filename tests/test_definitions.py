"""The Definitions load, and the dbt graph and the ingest assets are one lineage."""

from __future__ import annotations

import dagster as dg


def test_definitions_load_and_resolve(defs):
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert "raw/movielens__ratings" in keys
    assert "marts/dim_films" in keys
    defs.resolve_implicit_global_asset_job_def()


def test_every_dbt_source_is_an_ingest_asset(defs, dbt_manifest):
    """A dbt source whose key has no asset would be a dangling, never-materialised node."""
    import json

    manifest = json.loads(dbt_manifest.read_text())
    graph = defs.resolve_asset_graph()
    materializable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    for source in manifest["sources"].values():
        key = dg.AssetKey([source["schema"], source["name"]])
        if source["name"] == "_rejects":  # written by every ingest asset, declared as a spec
            assert key in graph.get_all_asset_keys()
            continue
        assert key in materializable, f"dbt source {key.to_user_string()} has no ingest asset"


def test_staging_reads_its_ingest_asset(defs):
    graph = defs.resolve_asset_graph()
    parents = graph.get(dg.AssetKey(["staging", "stg_oscars__nominations"])).parent_keys
    assert dg.AssetKey(["raw", "oscars__nominations"]) in parents


def test_ratings_are_monthly_partitioned_with_single_run_backfills(defs):
    graph = defs.resolve_asset_graph()
    nodes = [
        graph.get(dg.AssetKey(key))
        for key in (["raw", "movielens__ratings"], ["marts", "fct_ratings"])
    ]
    for node in nodes:
        assert isinstance(node.partitions_def, dg.MonthlyPartitionsDefinition), node.key
        assert node.backfill_policy == dg.BackfillPolicy.single_run(), node.key
    # A month's run loads the raw month and rebuilds the same month of the mart.
    assert nodes[0].partitions_def == nodes[1].partitions_def


def test_dbt_tests_surface_as_asset_checks(defs):
    graph = defs.resolve_asset_graph()
    checks = {c.asset_key.to_user_string() for c in graph.asset_check_keys}
    assert "marts/dim_films" in checks


def test_automation_runs_by_default_or_says_why_not(defs):
    """Sensors and schedules start running, except those whose description says why not."""
    automations = [*defs.sensors, *defs.schedules]
    assert len(automations) >= 10
    for automation in automations:
        running = automation.default_status.value == "RUNNING"
        assert running or "Off by default" in (automation.description or ""), automation.name


def test_materialize_runs_named_jobs_stage_by_stage(defs):
    from orchestration.materialize_all import plan_stages

    stages = plan_stages(defs)
    assert [stage.name for stage in stages] == [
        "upstream_python",
        "upstream",
        "upstream_leaves",
        "monthly",
        "downstream_python",
        "downstream_beside",
        "downstream",
        "downstream_tail",
    ]
    for stage in stages:
        job = defs.resolve_job_def(stage.job_name)
        assert job.partitions_def == stage.partitions_def
    graph = defs.resolve_asset_graph()
    materializable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    assert set().union(*(stage.keys for stage in stages)) == materializable


def test_python_first_stages_leave_dbt_few_builds(defs):
    """A `<stage>_python` run holds no asset that reads a dbt model of its stage, so the stage's
    own run cuts dbt only where a Python asset sits between two models: one `dbt build` before
    the person quality scores and one after, instead of four (seeds, staging, marts, scores)."""
    from orchestration.materialize_all import plan_stages

    graph = defs.resolve_asset_graph()
    stages = {stage.name: stage for stage in plan_stages(defs)}
    for name in ("upstream", "downstream"):
        first, rest = stages[f"{name}_python"].keys, stages[name].keys
        assert first and not any("dbt" in graph.get(key).kinds for key in first)
        for key in first:
            assert not (graph.get(key).parent_keys & rest), key
    dbt_steps = {
        name: [
            node.name
            for node in defs.resolve_job_def(f"everything__{name}").graph.nodes
            if node.name.startswith("dbt_")
        ]
        for name in ("upstream", "downstream")
    }
    assert len(dbt_steps["upstream"]) == 2, dbt_steps
    assert len(dbt_steps["downstream"]) == 2, dbt_steps


def test_the_companion_fits_run_beside_the_downstream_dbt_build(defs):
    """The rating-model fits run in their own process while dbt builds the downstream models:
    nothing that run builds may read them, and the picks' models wait for them in a last run."""
    import dagster as dg

    from orchestration.materialize_all import plan_stages

    graph = defs.resolve_asset_graph()
    stages = {stage.name: stage for stage in plan_stages(defs)}
    beside, dbt_run = stages["downstream_beside"], stages["downstream"]
    assert beside.beside_next
    assert dg.AssetKey(["ml", "companion_model"]) in beside.keys
    read_by_the_build = dg.AssetSelection.assets(*dbt_run.keys).upstream().resolve(graph)
    assert not (read_by_the_build & beside.keys)
    read_before = dg.AssetSelection.assets(*stages["downstream_python"].keys).upstream()
    assert not (read_before.resolve(graph) & beside.keys)
    assert dg.AssetKey(["marts", "personal_picks"]) in stages["downstream_tail"].keys


def test_the_casting_model_runs_beside_the_monthly_stage(defs):
    """Nothing in the upstream stage or the monthly one reads the casting model: it trains
    in its own process while the ratings load."""
    import dagster as dg

    from orchestration.materialize_all import plan_stages

    graph = defs.resolve_asset_graph()
    stages = {stage.name: stage for stage in plan_stages(defs)}
    leaves = stages["upstream_leaves"]
    assert leaves.beside_next
    assert dg.AssetKey(["ml", "casting_model"]) in leaves.keys
    assert not any("dbt" in graph.get(key).kinds for key in leaves.keys)
    for name in ("upstream", "monthly"):
        read = dg.AssetSelection.assets(*stages[name].keys).upstream().resolve(graph)
        assert not (read & leaves.keys), name


def test_a_dbt_test_depends_on_other_models_only_where_that_adds_order(defs):
    """A relationships test's `to:` model that is already upstream of the tested model is not
    declared again: Dagster would give the check a `dbt build` of its own."""
    import dagster as dg

    from orchestration.defs.dbt import dbt_models

    graph = defs.resolve_asset_graph()
    specs = {spec.key: spec for spec in dbt_models.check_specs}
    for spec in specs.values():
        upstream = dg.AssetSelection.assets(spec.asset_key).upstream().resolve(graph)
        assert not {dep.asset_key for dep in spec.additional_deps} & upstream, spec.key
    to_dim_films = next(key for key in specs if "fct_film_metrics_film_id" in key.name)
    assert to_dim_films.asset_key == dg.AssetKey(["marts", "fct_film_metrics"])
