"""Ingest assets: one per raw table, each a thin wrapper over a parser in `ingest/`.

Keys are `[raw, <table>]`, the same keys the dbt translator gives the dbt sources, so
each source and its loader are one node of the lineage graph.
"""

import time
from pathlib import Path
from types import ModuleType

import dagster as dg

from ingest.files.registry import SOURCES
from ingest.loader import LoadResult, Slice, load, restrict
from ingest.schema import RawTable
from orchestration.partitions import monthly_ratings
from orchestration.resources import WarehouseResource

# Tables loaded one calendar month at a time, and the timestamp column that decides the month.
MONTHLY_TABLES = {"movielens__ratings": "rated_at"}


def load_metadata(result: LoadResult, source_file: str, elapsed_s: float) -> dict:
    return {
        "rows": result.rows,
        "rejects": result.rejects,
        "inserted": result.inserted,
        "updated": result.updated,
        "deleted": result.deleted,
        "source_file": source_file,
        "elapsed_s": round(elapsed_s, 3),
    }


class SourceFileConfig(dg.Config):
    """Read another copy of the source file (same format) instead of the vendored demo one."""

    path: str | None = None


def build_ingest_asset(module: ModuleType, table: RawTable) -> dg.AssetsDefinition:
    time_column = MONTHLY_TABLES.get(table.name)

    @dg.asset(
        key=["raw", table.name],
        group_name="ingest",
        description=table.description,
        kinds={"python", "postgres"},
        partitions_def=monthly_ratings if time_column else None,
        backfill_policy=dg.BackfillPolicy.single_run() if time_column else None,
    )
    def _ingest(
        context: dg.AssetExecutionContext, config: SourceFileConfig, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        started = time.perf_counter()
        path = Path(config.path) if config.path else None
        parsed = next(p for p in module.parse(path) if p.table.name == table.name)
        slice_ = None
        if time_column:
            window = context.partition_time_window
            slice_ = Slice(time_column, window.start, window.end)
            parsed = restrict(parsed, slice_)
        with warehouse.connection() as conn:
            result = load(conn, parsed, slice_)
        return dg.MaterializeResult(
            metadata=load_metadata(result, parsed.source_file, time.perf_counter() - started)
        )

    return _ingest


ingest_assets = [
    build_ingest_asset(module, table) for module in SOURCES.values() for table in module.TABLES
]

# Every ingest asset writes its rejects here; declared so the dbt source over it is a known node.
rejects_table = dg.AssetSpec(
    key=["raw", "_rejects"],
    group_name="ingest",
    description="Source rows the parsers could not read, and why (written by every ingest asset).",
    kinds={"postgres"},
)

defs = dg.Definitions(assets=[*ingest_assets, rejects_table])
