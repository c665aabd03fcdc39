"""Materialise every asset in dependency order, each partitioned set as one ranged run.

A run is either partitioned or not, so the graph is cut into stages: every unpartitioned
asset that does not depend on a monthly asset, the monthly assets over the months that hold
ratings (a single ranged run, as their backfill policy asks; see `rating_months`), then
everything downstream. Each unpartitioned stage runs its Python assets that read none of its
dbt models first (`<stage>_python`), so dbt builds the stage in as few calls as it can; the
long model fits among them (tagged `BESIDE_DBT_TAG`) run in a process of their own while dbt
builds the stage (`<stage>_beside`), then the few models that read them (`<stage>_tail`), and
the Python assets that nothing else of the stage reads run beside the next stage
(`<stage>_leaves`): two cores, two steps at a time.
Each stage is a named job (`everything__<stage>`), so the Dagster UI lists these runs under
a name rather than as anonymous ad-hoc runs.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Protocol

import dagster as dg

from orchestration.rating_months import last_rating_month

# Dagster's documented run tags for a ranged run over a partitioned job's partitions.
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
JOB_PREFIX = "everything__"
SELECTION_STAGE = "selection"
# Storage connections held open across a build (more open only while threads write at once).
STORAGE_POOL_OVERFLOW = 10
# On a Python asset: a model fit of tens of seconds that only a few dbt models of its stage
# read. A process of its own takes the machine's other core while dbt builds the stage.
BESIDE_DBT_TAG = "cinegraph/beside_dbt"


@dataclass
class StageResult:
    name: str
    success: bool
    elapsed_s: float
    materializations: int
    failures: list[str]


@dataclass(frozen=True)
class Stage:
    name: str
    keys: frozenset[dg.AssetKey]
    partitions_def: dg.PartitionsDefinition | None
    # The partitions the run covers: every one of `partitions_def`, or one, or those up to
    # the last.
    only_partition: str | None = None
    last_partition: str | None = None
    # Runs in a process of its own, at the same time as the stage after it.
    beside_next: bool = False

    @property
    def job_name(self) -> str:
        return JOB_PREFIX + self.name

    @property
    def partition_keys(self) -> list[str]:
        if self.only_partition:
            return [self.only_partition]
        keys = self.partitions_def.get_partition_keys() if self.partitions_def else []
        return [key for key in keys if not self.last_partition or key <= self.last_partition]

    @property
    def expected_materializations(self) -> int:
        return len(self.keys) * max(1, len(self.partition_keys))


class StageObserver(Protocol):
    """What a caller (the CLI's progress display) hears about each stage; of a stage run
    beside another, only that it finished."""

    def started(self, stage: Stage, run_id: str) -> None: ...

    def finished(self, stage: Stage, result: StageResult) -> None: ...


def plan_stages(defs: dg.Definitions) -> list[Stage]:
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
    stages = [
        *_python_first("upstream", keys - monthly - after, graph),
        Stage("monthly", frozenset(monthly), next(iter(partitions_defs), None)),
        *_python_first("downstream", after, graph),
    ]
    stages = [stage for stage in stages if stage.keys]
    for stage, following in pairwise(stages):
        if not stage.beside_next:
            continue
        read = dg.AssetSelection.assets(*following.keys).upstream().resolve(graph) & stage.keys
        if read:
            raise ValueError(f"stage {following.name} reads what runs beside it: {read}")
    return stages


def _python_first(name: str, keys: set[dg.AssetKey], graph) -> list[Stage]:
    """An unpartitioned stage as up to five runs: first its Python assets that read none of
    its dbt models, even through other assets (`<name>_python`); then the rest (`<name>`),
    beside the tagged fits among those Python assets and what they feed (`<name>_beside`);
    then the models that read the fits (`<name>_tail`). The Python assets that nothing else
    of the stage reads (`<name>_leaves`) run beside the next stage.

    Dagster cuts a dbt multi-asset into one step (one `dbt build`, some 8 s of start-up) per
    level of other steps above its models, Python-to-Python edges included: raw loaders that
    feed other loaders put the staging models three levels down and the seeds at the top. With
    those assets in an earlier run, only a dbt -> Python -> dbt chain cuts the models.
    """
    node = {key: graph.get(key).assets_def for key in keys}
    python = {key for key in keys if "dbt" not in graph.get(key).kinds}
    # An asset runs first only if all it reads in the stage does.
    first = _closed(python, keys, node, lambda key: graph.get(key).parent_keys)
    # The fits, what they feed among those Python assets, and their multi-assets whole.
    beside = {key for key in first if BESIDE_DBT_TAG in graph.get(key).tags}
    while True:
        fed = dg.AssetSelection.assets(*beside).downstream().resolve(graph) & first
        fed_nodes = {node[key] for key in fed}
        grown = {key for key in first if node[key] in fed_nodes}
        if grown == beside:
            break
        beside = grown
    tail = dg.AssetSelection.assets(*beside).downstream().resolve(graph) & keys - first
    rest = keys - first - tail
    # A leaf is read by nothing of the stage but other leaves.
    leaves = _closed(python & rest, keys, node, lambda key: graph.get(key).child_keys)
    return [
        Stage(f"{name}_python", frozenset(first - beside), None),
        Stage(f"{name}_beside", frozenset(beside), None, beside_next=True),
        Stage(name, frozenset(rest - leaves), None),
        Stage(f"{name}_tail", frozenset(tail), None),
        Stage(f"{name}_leaves", frozenset(leaves), None, beside_next=True),
    ]


def _closed(candidates: set, keys: set, node: dict, neighbours) -> set[dg.AssetKey]:
    """The largest part of `candidates` whose `neighbours` within `keys` all belong to it,
    each multi-asset whole (`node`: a key's asset definition)."""
    chosen = set(candidates)
    while True:
        open_ended = {
            node[key]
            for key in chosen
            if any(other in keys and other not in chosen for other in neighbours(key))
        }
        if not open_ended:
            return chosen
        chosen = {key for key in chosen if node[key] not in open_ended}


def everything_jobs(defs: dg.Definitions) -> list[dg.UnresolvedAssetJobDefinition]:
    """One named job per stage of `plan_stages`, for the definitions to carry."""
    return [
        dg.define_asset_job(
            stage.job_name,
            selection=dg.AssetSelection.assets(*stage.keys),
            description=f"Stage '{stage.name}' of `cinegraph materialize` (every asset, in "
            "dependency order); the monthly stage runs the months that hold ratings as one "
            "ranged run.",
        )
        for stage in plan_stages(defs)
    ]


@contextmanager
def build_instance() -> Iterator[dg.DagsterInstance]:
    """The project's Dagster instance (`dagster.yaml`), its storage connections pooled.

    dagster-postgres opens a new connection for every storage call unless told otherwise, which
    suits many short-lived processes. A build is one process writing some 10,000 events (a
    planned and a done event per asset and month), and each new connection costs about 8 ms of
    password authentication: 90 s of a cold build. The webserver holds a pool for the same
    reason, through the same call; no statement timeout, as a build's writes must finish.
    """
    with dg.DagsterInstance.get() as instance:
        instance.optimize_for_webserver(
            statement_timeout=0, pool_recycle=3600, max_overflow=STORAGE_POOL_OVERFLOW
        )
        yield instance


def _failures(result: dg.ExecuteInProcessResult) -> list[str]:
    return [
        f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
        for event in result.all_events
        if event.is_step_failure
    ]


def _run_stage(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    stage: Stage,
    tags: Mapping[str, str],
    observer: StageObserver | None,
) -> StageResult:
    run_tags = dict(tags)
    if stage.partition_keys and not stage.only_partition:
        run_tags[PARTITION_RANGE_START_TAG] = stage.partition_keys[0]
        run_tags[PARTITION_RANGE_END_TAG] = stage.partition_keys[-1]
    run_id = str(uuid.uuid4())
    if observer:
        observer.started(stage, run_id)
    started = time.perf_counter()
    job_defs = defs
    if stage.name == SELECTION_STAGE:
        selection = dg.AssetSelection.assets(*stage.keys)
        job_defs = dg.Definitions.merge(
            defs, dg.Definitions(jobs=[dg.define_asset_job(stage.job_name, selection)])
        )
    run = job_defs.resolve_job_def(stage.job_name).execute_in_process(
        instance=instance,
        tags=run_tags,
        run_id=run_id,
        partition_key=stage.only_partition,
        raise_on_error=False,
    )
    result = StageResult(
        name=stage.name,
        success=run.success,
        elapsed_s=time.perf_counter() - started,
        materializations=len(run.get_asset_materialization_events()),
        failures=_failures(run),
    )
    if observer:
        observer.finished(stage, result)
    return result


def materialize_all(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    tags: Mapping[str, str] | None = None,
    observer: StageObserver | None = None,
) -> list[StageResult]:
    """Run every stage's job, each run tagged with `tags`; stop at the first failing one
    (later stages would read stale inputs). The monthly stage ends at the last month with
    ratings, found once the stages before it have loaded theirs. A stage to run beside the
    next one runs in a spawned process and is reported when it ends."""
    tags = tags or {}
    stages = plan_stages(defs)
    results: list[StageResult] = []
    beside: tuple[Stage, Future] | None = None

    def join_beside() -> None:
        nonlocal beside
        if beside is not None:
            stage, running = beside
            results.append(running.result())
            if observer:
                observer.finished(stage, results[-1])
            beside = None

    spawn = multiprocessing.get_context("spawn")  # a fork would copy open connections
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        if any(stage.beside_next for stage in stages):
            # The process imports the definitions while the first stages run.
            pool.submit(_import_definitions)
        for stage in stages:
            if stage.partitions_def is not None:
                stage = replace(stage, last_partition=last_rating_month())
            if stage.beside_next:
                join_beside()  # one process beside the build, one stage in it at a time
                beside = (stage, pool.submit(_run_in_own_process, stage, tags))
                continue
            results.append(_run_stage(defs, instance, stage, tags, observer))
            join_beside()
            if not all(result.success for result in results):
                break
        join_beside()
    return results


def _import_definitions() -> None:
    import orchestration.definitions  # noqa: F401


def _run_in_own_process(stage: Stage, tags: Mapping[str, str]) -> StageResult:
    from orchestration.definitions import defs

    with build_instance() as instance:
        return _run_stage(defs, instance, stage, tags, observer=None)


def selected_stage(defs: dg.Definitions, selection: str, partition: str | None) -> Stage:
    """The assets a Dagster selection string names (`group:cohorts`, `key:"marts/film_scores"+`)
    as one stage; monthly assets need `partition`, a month of theirs."""
    graph = defs.resolve_asset_graph()
    materializable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    try:
        keys = dg.AssetSelection.from_string(selection).resolve(graph) & materializable
    except dg.DagsterError as error:  # the selection parser's own error is not public
        raise ValueError(f"--select {selection!r}: not a Dagster selection ({error})") from error
    if not keys:
        raise ValueError(f"--select {selection!r} names no asset")
    partitions_defs = {graph.get(k).partitions_def for k in keys} - {None}
    if partitions_defs and partition is None:
        raise ValueError(f"--select {selection!r} names monthly assets: add --partition YYYY-MM-01")
    if partition is not None:
        if not partitions_defs:
            raise ValueError(f"--partition {partition}: --select {selection!r} is not partitioned")
        if partition not in next(iter(partitions_defs)).get_partition_keys():
            raise ValueError(f"--partition {partition}: not a month of the ratings (YYYY-MM-01)")
    pdef = next(iter(partitions_defs), None)
    return Stage(SELECTION_STAGE, frozenset(keys), pdef, only_partition=partition)


def materialize_stage(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    stage: Stage,
    tags: Mapping[str, str] | None = None,
    observer: StageObserver | None = None,
) -> list[StageResult]:
    """One stage (from `selected_stage`) as one run."""
    return [_run_stage(defs, instance, stage, tags or {}, observer)]


def materialize_upstream(
    defs: dg.Definitions, instance: dg.DagsterInstance, keys: list[dg.AssetKey]
) -> StageResult:
    """`keys` and everything they read, in one run: what a consumer of a few models needs
    without materialising the whole graph. None of them may be partitioned."""
    # dbt and the ingest multi-assets run whole where they must.
    selection = dg.AssetSelection.assets(*keys).upstream().required_multi_asset_neighbors()
    started = time.perf_counter()
    run = dg.materialize(
        [*defs.assets, *(defs.asset_checks or [])],
        selection=selection,
        resources=defs.resources,
        instance=instance,
        raise_on_error=False,
    )
    return StageResult(
        name="upstream of " + ", ".join(k.to_user_string() for k in keys),
        success=run.success,
        elapsed_s=time.perf_counter() - started,
        materializations=len(run.get_asset_materialization_events()),
        failures=_failures(run),
    )
