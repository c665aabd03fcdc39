"""dbt models as Dagster assets.

Two `@dbt_assets` over one manifest: the monthly-partitioned incremental models (run for a
half-open window of months, always as a single run so Postgres' `__dbt_tmp` relations never
collide) and every other model. dbt tests surface as asset checks. Each materialisation carries
the relation's typed column schema (read from the catalogue after the model is built) and, for
the unpartitioned tables, its row count: a monthly model's count is the whole table's, and a
ranged run would stamp it on every month of the range as if it were that month's. Each runs
under the warehouse-wide materialisation lock (orchestration/run_lock.py), so a run launched
from the UI and `cinegraph materialize` never rebuild the same relations at once.

The metadata is fetched once dbt has finished, in two catalogue queries
(orchestration/relation_metadata.py), not while its events stream: dagster-dbt's fetchers poll
for the next event in a busy loop, which held a core for every second of every dbt run, and
open a connection per model. The step's materialisations therefore reach the UI together,
when dbt ends.
"""

import os
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration import owners, run_lock, warehouse
from orchestration.dbt_project import MONTHLY_SELECTOR, dbt_project, prepare_if_dev, window_env
from orchestration.partitions import monthly_ratings
from orchestration.relation_metadata import relation_metadata
from orchestration.settings import settings
from orchestration.view_healing import heal_views

# Parses only under `dagster dev`; everywhere else `cinegraph` prepares the manifest first.
prepare_if_dev()


class CinegraphTranslator(DagsterDbtTranslator):
    """Keys are `[schema, table]` on both sides; groups follow the model folders."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        relation = dbt_resource_props.get("alias") or dbt_resource_props["name"]
        return dg.AssetKey([dbt_resource_props["schema"], relation])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # models/<layer>/<area>/model.sql: intermediate and marts group by area, staging by layer.
        parts = dbt_resource_props.get("fqn", [])[1:-1]
        if not parts:
            return "dbt_seeds" if dbt_resource_props["resource_type"] == "seed" else None
        layer, area = parts[0], parts[1] if len(parts) > 1 else None
        return area if layer in ("intermediate", "marts") and area else layer

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return [owner_of_folder(dbt_resource_props.get("fqn", []))]

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """A test's other models (a relationships test's `to:`) stay its dependencies where
        they are not already upstream of the tested model. Those that are add no order, and
        Dagster gives a check on a model of an earlier run that depends on them a `dbt build`
        of its own (8 s for four relationships tests)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or not spec.additional_deps:
            return spec
        upstream = self._upstream_keys(manifest, unique_id, spec.asset_key)
        return dg.AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=spec.description,
            additional_deps=[dep for dep in spec.additional_deps if dep.asset_key not in upstream],
            metadata=spec.metadata,
            blocking=spec.blocking,
        )

    def _upstream_keys(self, manifest, test_id: str, tested: dg.AssetKey) -> set[dg.AssetKey]:
        """The keys of every node upstream of the model `tested` that test `test_id` checks."""
        parents = manifest["parent_map"]
        props = {**manifest["nodes"], **manifest["sources"]}
        seen: set[str] = set()
        todo = [uid for uid in parents[test_id] if self.get_asset_key(props[uid]) == tested]
        while todo:
            for parent in parents.get(todo.pop(), []):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return {self.get_asset_key(props[uid]) for uid in seen if uid in props}


# The core marts (films, people, their bridges) are what the identity layer resolves.
AREA_TEAMS = {"core": "identity"}


def owner_of_folder(fqn: list[str]) -> str:
    """The team that owns a dbt node, by its folder: staging models and sources belong to
    ingest, intermediate models and marts to the team of their area (`models/marts/casting`
    -> `team:casting`), seeds to the team of their seed folder."""
    folders = fqn[1:-1]
    if not folders or folders[0] == "staging":
        return owners.INGEST
    area = folders[1] if folders[0] in ("intermediate", "marts") and len(folders) > 1 else None
    return owners.team(AREA_TEAMS.get(area, area) if area else folders[0])


translator = CinegraphTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_source_metadata=False)
)


class DbtRunConfig(dg.Config):
    full_refresh: bool = False


@contextmanager
def environment(values: Mapping[str, str]):
    """os.environ with `values` set, then restored: `DbtCliResource.cli` starts dbt with a
    copy of this process's environment and takes none of its own."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


@contextmanager
def exclusive(context: dg.AssetExecutionContext):
    """The materialisation lock for this step: the lock of the `cinegraph materialize` that
    started the run, or its own, taken with the run's id and followed by healing missing
    views. The step fails with the one-line message when another materialisation holds it."""
    conn = settings().warehouse
    if run_lock.held_by(conn, context.run.tags.get(run_lock.RUN_TAG)):
        yield
        return
    with ExitStack() as held:
        try:
            held.enter_context(run_lock.hold(conn, context.run.run_id))
        except run_lock.MaterializationBusy as busy:
            raise dg.Failure(str(busy)) from None
        for name in heal_views(conn):
            context.log.info(f"rebuilt missing view {name}")
        yield


def finished_events(invocation: DbtCliInvocation, row_counts: bool) -> Iterator:
    """The invocation's events once dbt has exited, with typed column schemas (and row
    counts); a failed build raises after the models it did build are recorded."""
    events, failure = [], None
    try:
        events.extend(invocation.stream())
    except DagsterDbtCliRuntimeError as error:
        failure = error
    relations = [built_relation(event, invocation.manifest) for event in events]
    with warehouse.connect(settings().warehouse) as conn:
        found = relation_metadata(conn, filter(None, relations), count_rows=row_counts)
    conn.close()
    for event, relation in zip(events, relations, strict=True):
        extra = found.get(relation)
        yield event.with_metadata({**event.metadata, **extra}) if extra else event
    if failure is not None:
        raise failure


def built_relation(event, manifest: Mapping[str, Any]) -> tuple[str, str] | None:
    """The `(schema, name)` a materialisation event's model, seed or snapshot was built as."""
    if not isinstance(event, (dg.Output, dg.AssetMaterialization)):
        return None
    node = manifest["nodes"][event.metadata["unique_id"].text]
    return node["schema"], node["alias"]


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=MONTHLY_SELECTOR,
    partitions_def=monthly_ratings,
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
    name="dbt_monthly_models",
)
def dbt_monthly_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtRunConfig
):
    """Incremental models partitioned by rating month; a full refresh drops the window."""
    with exclusive(context):
        if config.full_refresh:
            invocation = dbt.cli(["build", "--full-refresh"], context=context)
        else:
            window = context.partition_time_window
            with environment(window_env(window.start.isoformat(), window.end.isoformat())):
                invocation = dbt.cli(["build"], context=context)
        yield from finished_events(invocation, row_counts=False)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude=MONTHLY_SELECTOR,
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
    name="dbt_models",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Every unpartitioned model, seed and test."""
    with exclusive(context):
        yield from finished_events(dbt.cli(["build"], context=context), row_counts=True)


defs = dg.Definitions(assets=[dbt_monthly_models, dbt_models])
