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
from orchestration.owners import INGEST, owned
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


def range_metadata(times, window: dg.TimeWindow) -> dict:
    """A ranged run records one materialisation for every month of its range, so its figures
    are the range's: say so, and give the rows of each month that has any."""
    by_month = times.dt.strftime("%Y-%m").value_counts().sort_index()
    return {
        "partition_range": f"{window.start:%Y-%m} .. {window.end:%Y-%m} (end exclusive)",
        "figures_cover": "the whole range of the run, not this month alone",
        "months_with_rows": len(by_month),
        "rows_by_month": dg.MetadataValue.json({k: int(v) for k, v in by_month.items()}),
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
        metadata = load_metadata(result, parsed.source_file, time.perf_counter() - started)
        if time_column:
            metadata.update(range_metadata(parsed.frame[time_column], window))
        return dg.MaterializeResult(metadata=metadata)

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

defs = dg.Definitions(assets=owned(INGEST, [*ingest_assets, rejects_table]))
