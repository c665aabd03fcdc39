"""dbt models as Dagster assets.

Two `@dbt_assets` over one manifest: the monthly-partitioned incremental models (run for a
half-open window of months, always as a single run so Postgres' `__dbt_tmp` relations never
collide) and every other model. dbt tests surface as asset checks.
"""


import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.dbt_project import dbt_project
from orchestration.partitions import monthly_ratings

# Parses only under `dagster dev`; everywhere else `cinegraph` prepares the manifest first.
dbt_project.prepare_if_dev()

# Models that follow the monthly rating partitions (incrementals and the views they read).
MONTHLY_SELECTOR = "tag:monthly"


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


translator = CinegraphTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_source_metadata=False)
)


class DbtRunConfig(dg.Config):
    full_refresh: bool = False


def window_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    """The half-open partition window, as the vars the incremental models filter on."""
    window = context.partition_time_window
    return {"min_date": window.start.isoformat(), "max_date": window.end.isoformat()}


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select=MONTHLY_SELECTOR,
    partitions_def=monthly_ratings,
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
    name="dbt_monthly_models",
)
def dbt_monthly_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtRunConfig):
    """Incremental models partitioned by rating month; a full refresh drops the window."""
    args = ["build", "--full-refresh"] if config.full_refresh else [
        "build", "--vars", json.dumps(window_vars(context))
    ]
    yield from dbt.cli(args, context=context).stream()


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
    yield from dbt.cli(["build"], context=context).stream()


defs = dg.Definitions(assets=[dbt_monthly_models, dbt_models])
