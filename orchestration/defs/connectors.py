"""Live-source connectors as assets: TMDb, IMDb's datasets and MovieLens archives.

Each asset is a thin wrapper over `ingest/`. A connector that its deployment has not
configured (see `config/sources.yaml`) materialises as "not configured" and leaves its
tables as they are (empty ones from bootstrap), so the demo build runs every asset.

TMDb trending is **partitioned by run, not by hour**: the API only tells what trends *now*,
so an hourly partition could never be backfilled truthfully (materialising yesterday 10:00
today would file today's list under yesterday). Each run stores the snapshot of the hour it
runs in (`snapshot_hour`); a rerun in the same hour replaces it, and the hourly schedule's
run key is that hour, so a tick never runs twice.
"""

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from ingest.config import SourcesConfig
from ingest.connectors import table_status
from ingest.http import ResponseCache, display_location, retrying_session
from ingest.live.imdb_datasets import tables as imdb_tables
from ingest.live.imdb_datasets.loading import load_imdb_datasets
from ingest.live.movielens_archive import tables as archive_tables
from ingest.live.movielens_archive.archive import open_archive
from ingest.live.movielens_archive.loading import load_ratings, load_snapshot_tables
from ingest.live.tmdb import tables as tmdb_tables
from ingest.live.tmdb.client import TmdbClient
from ingest.live.tmdb.loading import fetch_missing_details, load_discover, load_trending
from ingest.loader import Slice
from ingest.schema import RawTable
from orchestration.defs.ingest import load_metadata
from orchestration.owners import owned, team
from orchestration.partitions import monthly_ratings
from orchestration.resources import WarehouseResource
from orchestration.settings import sources_from_settings

GROUP = "connectors"
KINDS = {"python", "postgres"}


def _key(table: RawTable) -> dg.AssetKey:
    return dg.AssetKey(["raw", table.name])


def _spec(table: RawTable, deps: list[dg.AssetKey] = ()) -> dg.AssetSpec:
    return dg.AssetSpec(
        _key(table), description=table.description, group_name=GROUP, kinds=KINDS, deps=deps
    )


def _not_configured(tables: list[RawTable], why: str) -> Iterator[dg.MaterializeResult]:
    for table in tables:
        yield dg.MaterializeResult(
            asset_key=_key(table), metadata={"status": f"not configured: {why}"}
        )


NO_TMDB = "set TMDB_API_KEY or TMDB_API_TOKEN"


def tmdb_client(sources: SourcesConfig) -> TmdbClient:
    cache = ResponseCache(sources.cache_dir / "tmdb") if sources.cache_dir else None
    return TmdbClient(sources.tmdb, cache)


def _client_metadata(client: TmdbClient) -> dict:
    return {"tmdb_calls": client.calls, "tmdb_cache_hits": client.cache_hits}


# -- TMDb ------------------------------------------------------------------------------------


@dg.multi_asset(name="tmdb_trending", specs=[_spec(tmdb_tables.TRENDING)])
def tmdb_trending(warehouse: WarehouseResource, sources: dg.ResourceParam[SourcesConfig]):
    """This hour's TMDb trending movies (day and week windows), one snapshot per hour."""
    if not sources.tmdb.active:
        yield from _not_configured([tmdb_tables.TRENDING], NO_TMDB)
        return
    started = time.perf_counter()
    client = tmdb_client(sources)
    with warehouse.connection() as conn:
        result = load_trending(conn, client, datetime.now(UTC))
    yield dg.MaterializeResult(
        metadata={
            **load_metadata(result, "tmdb:/trending/movie", time.perf_counter() - started),
            **_client_metadata(client),
        }
    )


@dg.multi_asset(name="tmdb_discover", specs=[_spec(tmdb_tables.DISCOVER)])
def tmdb_discover(warehouse: WarehouseResource, sources: dg.ResourceParam[SourcesConfig]):
    """The most popular TMDb films of each configured release year (`discover_years`)."""
    if not sources.tmdb.active:
        yield from _not_configured([tmdb_tables.DISCOVER], NO_TMDB)
        return
    client = tmdb_client(sources)
    with warehouse.connection() as conn:
        results = load_discover(conn, client)
    yield dg.MaterializeResult(
        metadata={
            "years": ", ".join(map(str, sources.tmdb.discover_years)) or "none configured",
            "rows": sum(r.rows for r in results),
            "rejects": sum(r.rejects for r in results),
            **_client_metadata(client),
        }
    )


class DetailsConfig(dg.Config):
    batch_limit: int | None = None  # overrides tmdb.details_batch_limit for this run


@dg.multi_asset(
    name="tmdb_movie_details",
    specs=[
        _spec(
            table,
            deps=[
                _key(tmdb_tables.TRENDING),
                _key(tmdb_tables.DISCOVER),
                _key(archive_tables.LINKS),
            ],
        )
        for table in tmdb_tables.DETAIL_TABLES
    ],
)
def tmdb_movie_details(
    config: DetailsConfig, warehouse: WarehouseResource, sources: dg.ResourceParam[SourcesConfig]
):
    """Details, credits, release dates and IMDb ids of films that have no TMDb details yet.

    Incremental and resumable: each run fetches at most the batch limit, film by film, and
    a failed run keeps the films it finished.
    """
    if not sources.tmdb.active:
        yield from _not_configured(tmdb_tables.DETAIL_TABLES, NO_TMDB)
        return
    client = tmdb_client(sources)
    limit = config.batch_limit or sources.tmdb.details_batch_limit
    with warehouse.connection() as conn:
        run = fetch_missing_details(conn, client, limit)
        statuses = [table_status(conn, table) for table in tmdb_tables.DETAIL_TABLES]
    for table, status in zip(tmdb_tables.DETAIL_TABLES, statuses, strict=True):
        yield dg.MaterializeResult(
            asset_key=_key(table),
            metadata={
                "films_fetched": run.fetched,
                "films_unusable": run.unusable,
                "films_still_missing": run.backlog,
                "batch_limit": limit,
                "rows": status.rows,
                "rejects": status.rejects,
                **_client_metadata(client),
            },
        )


tmdb_job = dg.define_asset_job(
    "tmdb_hourly",
    selection=dg.AssetSelection.assets(tmdb_trending, tmdb_discover, tmdb_movie_details),
)


@dg.schedule(
    job=tmdb_job,
    cron_schedule="0 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def tmdb_hourly(context: dg.ScheduleEvaluationContext, sources: dg.ResourceParam[SourcesConfig]):
    """The hourly trending scout: snapshot trending, then fetch details of new films."""
    if not sources.tmdb.active:
        return dg.SkipReason(f"TMDb is not configured: {NO_TMDB}")
    hour = context.scheduled_execution_time.astimezone(UTC).strftime("%Y-%m-%dT%H:00Z")
    return dg.RunRequest(run_key=f"tmdb-{hour}")


# -- IMDb datasets ---------------------------------------------------------------------------


@dg.multi_asset(name="imdb_datasets", specs=[_spec(table) for table in imdb_tables.TABLES])
def imdb_datasets_asset(warehouse: WarehouseResource, sources: dg.ResourceParam[SourcesConfig]):
    """IMDb's five dataset files, streamed in chunks, all five tables in one transaction."""
    imdb = sources.imdb_datasets
    if not imdb.active:
        yield from _not_configured(imdb_tables.TABLES, "set CINEGRAPH_IMDB_DATASETS")
        return
    started = time.perf_counter()
    with warehouse.connection() as conn:
        loads = load_imdb_datasets(
            conn, imdb.location, imdb.title_types, imdb.chunk_rows, session=retrying_session()
        )
    elapsed = time.perf_counter() - started
    for loaded in loads:
        yield dg.MaterializeResult(
            asset_key=["raw", loaded.result.table],
            metadata={
                **load_metadata(
                    loaded.result, display_location(imdb.location) + f" {loaded.file}", elapsed
                ),
                "records_read": loaded.records_read,
                "title_types": ", ".join(imdb.title_types),
            },
        )


# -- MovieLens archives ----------------------------------------------------------------------

NO_ARCHIVE = "set CINEGRAPH_MOVIELENS_ARCHIVE"


@dg.multi_asset(
    name="movielens_archive", specs=[_spec(table) for table in archive_tables.SNAPSHOT_TABLES]
)
def movielens_archive_snapshot(
    warehouse: WarehouseResource, sources: dg.ResourceParam[SourcesConfig]
):
    """movies.csv, links.csv (IMDb and TMDb ids) and tags.csv of a MovieLens archive."""
    archive_config = sources.movielens_archive
    if not archive_config.active:
        yield from _not_configured(archive_tables.SNAPSHOT_TABLES, NO_ARCHIVE)
        return
    started = time.perf_counter()
    with (
        open_archive(archive_config.location, retrying_session()) as archive,
        warehouse.connection() as conn,
    ):
        results = load_snapshot_tables(conn, archive, archive_config.chunk_rows)
    elapsed = time.perf_counter() - started
    for result in results:
        yield dg.MaterializeResult(
            asset_key=["raw", result.table],
            metadata=load_metadata(result, display_location(archive_config.location), elapsed),
        )


@dg.multi_asset(
    name="movielens_archive_ratings",
    specs=[_spec(archive_tables.RATINGS)],
    partitions_def=monthly_ratings,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def movielens_archive_ratings(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    sources: dg.ResourceParam[SourcesConfig],
):
    """A MovieLens archive's ratings.csv, streamed, for the partition window of months."""
    archive_config = sources.movielens_archive
    if not archive_config.active:
        yield from _not_configured([archive_tables.RATINGS], NO_ARCHIVE)
        return
    started = time.perf_counter()
    window = context.partition_time_window
    with (
        open_archive(archive_config.location, retrying_session()) as archive,
        warehouse.connection() as conn,
    ):
        result = load_ratings(
            conn, archive, Slice("rated_at", window.start, window.end), archive_config.chunk_rows
        )
    yield dg.MaterializeResult(
        metadata=load_metadata(
            result, display_location(archive_config.location), time.perf_counter() - started
        )
    )


defs = dg.Definitions(
    assets=owned(
        team("connectors"),
        [
            tmdb_trending,
            tmdb_discover,
            tmdb_movie_details,
            imdb_datasets_asset,
            movielens_archive_snapshot,
            movielens_archive_ratings,
        ],
    ),
    jobs=[tmdb_job],
    schedules=[tmdb_hourly],
    resources={"sources": sources_from_settings()},
)
