"""Materialise every asset in dependency order, each partitioned set as one ranged run.

Dagster runs a partitioned and an unpartitioned asset in one run only if the run has no
partition, so the graph is cut into stages: the unpartitioned ancestors of the monthly
assets, the monthly assets over their whole partition range (a single run, as their
backfill policy asks), then everything downstream.
"""

from __future__ import annotations

import time
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


def plan_stages(defs: dg.Definitions) -> list[tuple[str, dg.AssetSelection, dg.PartitionsDefinition | None]]:
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys()) - {k for k in graph.get_all_asset_keys() if graph.get(k).is_external}
    monthly = {k for k in keys if graph.get(k).partitions_def is not None}
    partitions_defs = {graph.get(k).partitions_def for k in monthly}
    if len(partitions_defs) > 1:
        raise ValueError("materialize_all expects a single partitions definition")
    before = dg.AssetSelection.assets(*monthly).upstream().resolve(graph) - monthly
    after = keys - before - monthly
    stages = [
        ("upstream", before, None),
        ("monthly", monthly, next(iter(partitions_defs), None)),
        ("downstream", after, None),
    ]
    return [(name, dg.AssetSelection.assets(*sel), pdef) for name, sel, pdef in stages if sel]


def materialize_all(defs: dg.Definitions, instance: dg.DagsterInstance) -> list[StageResult]:
    """Run every stage; stop at the first failing one (later stages would read stale inputs)."""
    assets = [*defs.assets, *(defs.asset_checks or [])]
    results = []
    for name, selection, partitions_def in plan_stages(defs):
        tags = {}
        if partitions_def is not None:
            keys = partitions_def.get_partition_keys()
            tags = {ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]}
        started = time.perf_counter()
        run = dg.materialize(
            assets, selection=selection, resources=defs.resources, instance=instance,
            tags=tags, raise_on_error=False,
        )
        failures = [
            f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
            for event in run.all_events
            if event.is_step_failure
        ]
        results.append(StageResult(
            name=name, success=run.success, elapsed_s=time.perf_counter() - started,
            materializations=len(run.get_asset_materialization_events()), failures=failures,
        ))
        if not run.success:
            break
    return results
