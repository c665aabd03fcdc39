"""Foundation figures: a cold materialisation, and the COPY loader against `DataFrame.to_sql`.

Runs on its own embedded warehouse under `.cinegraph-bench/` (see `bench/_env.py`), so a
benchmark never wipes the development warehouse.
"""

from __future__ import annotations

import time

import pandas as pd
import sqlalchemy

from bench._env import fresh_warehouse, peak_rss_mb
from ingest import movielens
from ingest.loader import ensure_table, load, row_hashes
from ingest.schema import Parsed, RawTable


def _copy_vs_to_sql(conn_info) -> dict[str, float]:
    """The COPY loader against `DataFrame.to_sql` on the 100,004 MovieLens ratings, same run.

    Like with like: both write the same rows, lineage columns included, into an empty table
    of the same shape (the raw table's columns and primary key, made by `ensure_table`).
    `to_sql` is handed the frame with its lineage already added (hashing is not timed for
    it); the loader's time covers everything `load` does. A re-load of the same input into
    the filled table (the upsert path: compare hashes, change nothing) is timed too and
    reported as its own rate, beside the first load the ratio is computed from.
    """
    from orchestration.warehouse import connect

    ratings = next(p for p in movielens.parse() if p.table.name == "movielens__ratings")
    shape = ratings.table.columns, ratings.table.key
    copy_table = RawTable("bench__ratings_copy", *shape, "bench")
    to_sql_table = RawTable("bench__ratings_to_sql", *shape, "bench")
    conn = connect(conn_info)
    with conn, conn.cursor() as cur:
        cur.execute("drop table if exists raw.bench__ratings_copy, raw.bench__ratings_to_sql")
        ensure_table(cur, to_sql_table)
    copy_s = _timed(lambda: load(conn, Parsed(copy_table, ratings.frame, "bench")))
    reload_s = _timed(lambda: load(conn, Parsed(copy_table, ratings.frame, "bench")))
    with conn, conn.cursor() as cur:
        cur.execute("drop table raw.bench__ratings_copy")
    conn.close()

    staged = ratings.frame.assign(
        _loaded_at=pd.Timestamp.now(tz="UTC"), _source_file="bench",
        _row_hash=row_hashes(ratings.frame),
    )
    url = conn_info.url.replace("postgresql://", "postgresql+psycopg2://", 1)
    engine = sqlalchemy.create_engine(url)
    to_sql_s = _timed(
        lambda: staged.to_sql(
            to_sql_table.name, engine, schema="raw", if_exists="append", index=False,
            chunksize=10_000,
        )
    )
    with engine.begin() as db:
        db.exec_driver_sql("drop table raw.bench__ratings_to_sql")
    engine.dispose()
    rows = len(ratings.frame)
    return {
        "ingest_rows_per_s_copy": round(rows / copy_s),
        "ingest_rows_per_s_copy_reload": round(rows / reload_s),
        "ingest_rows_per_s_to_sql": round(rows / to_sql_s),
        "ingest_copy_vs_to_sql": round(to_sql_s / copy_s, 2),
        "ingest_copy_reload_vs_to_sql": round(to_sql_s / reload_s, 2),
    }


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run() -> dict[str, float]:
    settings = fresh_warehouse()
    import dagster as dg

    from orchestration.dbt_project import prepare_manifest

    prepare_manifest()
    from orchestration.definitions import defs
    from orchestration.materialize_all import materialize_all

    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        stages = materialize_all(defs, instance)
    cold_s = time.perf_counter() - started
    if not all(stage.success for stage in stages):
        raise RuntimeError("materialisation failed: " + "; ".join(f for s in stages for f in s.failures))
    figures = {"materialize_cold_s": round(cold_s, 1)}
    figures.update(_copy_vs_to_sql(settings.warehouse))
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures
