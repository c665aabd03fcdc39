"""Materialise every asset in dependency order, each partitioned set as one ranged run.

A run is either partitioned or not, so the graph is cut into stages: every unpartitioned
asset that does not depend on a monthly asset, the monthly assets over their whole
partition range (a single run, as their backfill policy asks), then everything downstream.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)


@dataclass
class StageResult:
    name: str
    success: bool
    elapsed_s: float
    materializations: int
    failures: list[str]


def plan_stages(
    defs: dg.Definitions,
) -> list[tuple[str, dg.AssetSelection, dg.PartitionsDefinition | None]]:
    """Cut the graph into: what does not depend on the monthly assets, the monthly assets,
    and what depends on them. dbt runs with DBT_INDIRECT_SELECTION=buildable, so a test
    runs in the stage where every model it reads exists."""
    graph = defs.resolve_asset_graph()
    keys = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    monthly = {k for k in keys if graph.get(k).partitions_def is not None}
    partitions_defs = {graph.get(k).partitions_def for k in monthly}
    if len(partitions_defs) > 1:
        raise ValueError("materialize_all expects a single partitions definition")
    after = (dg.AssetSelection.assets(*monthly).downstream().resolve(graph) & keys) - monthly
    interleaved = dg.AssetSelection.assets(*after).downstream().resolve(graph) & monthly
    if interleaved:
        raise ValueError(
            "monthly assets depend on unpartitioned ones downstream of monthly assets: "
            f"{interleaved}"
        )
    before = keys - monthly - after
    stages = [
        ("upstream", before, None),
        ("monthly", monthly, next(iter(partitions_defs), None)),
        ("downstream", after, None),
    ]
    return [(name, dg.AssetSelection.assets(*sel), pdef) for name, sel, pdef in stages if sel]


def _run_stage(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    name: str,
    selection: dg.AssetSelection,
    tags: dict[str, str],
) -> StageResult:
    started = time.perf_counter()
    run = dg.materialize(
        [*defs.assets, *(defs.asset_checks or [])],
        selection=selection,
        resources=defs.resources,
        instance=instance,
        tags=tags,
        raise_on_error=False,
    )
    failures = [
        f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
        for event in run.all_events
        if event.is_step_failure
    ]
    return StageResult(
        name=name,
        success=run.success,
        elapsed_s=time.perf_counter() - started,
        materializations=len(run.get_asset_materialization_events()),
        failures=failures,
    )


def materialize_all(
    defs: dg.Definitions, instance: dg.DagsterInstance, tags: Mapping[str, str] | None = None
) -> list[StageResult]:
    """Run every stage, each run tagged with `tags`; stop at the first failing one (later
    stages would read stale inputs)."""
    results = []
    for name, selection, partitions_def in plan_stages(defs):
        stage_tags = dict(tags or {})
        if partitions_def is not None:
            keys = partitions_def.get_partition_keys()
            stage_tags[ASSET_PARTITION_RANGE_START_TAG] = keys[0]
            stage_tags[ASSET_PARTITION_RANGE_END_TAG] = keys[-1]
        results.append(_run_stage(defs, instance, name, selection, stage_tags))
        if not results[-1].success:
            break
    return results


def materialize_upstream(
    defs: dg.Definitions, instance: dg.DagsterInstance, keys: list[dg.AssetKey]
) -> StageResult:
    """`keys` and everything they read, in one run: what a consumer of a few models needs
    without materialising the whole graph. None of them may be partitioned."""
    # dbt and the ingest multi-assets run whole where they must.
    selection = dg.AssetSelection.assets(*keys).upstream().required_multi_asset_neighbors()
    return _run_stage(
        defs, instance, "upstream of " + ", ".join(k.to_user_string() for k in keys), selection, {}
    )
