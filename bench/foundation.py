"""Foundation figures: a cold materialisation, and the COPY loader against `DataFrame.to_sql`.

Runs on its own embedded warehouse under `.cinegraph-bench/` (see `bench/_env.py`), so a
benchmark never wipes the development warehouse.
"""

from __future__ import annotations

import time

import sqlalchemy

from bench._env import fresh_warehouse, peak_rss_mb
from ingest import movielens
from ingest.loader import load
from ingest.schema import Parsed, RawTable


def _copy_vs_to_sql(conn_info) -> dict[str, float]:
    """Both loaders write the same 100,004 ratings into empty tables, in the same run."""
    from orchestration.warehouse import connect

    ratings = next(p for p in movielens.parse() if p.table.name == "movielens__ratings")
    table = RawTable("bench__ratings_copy", ratings.table.columns, ratings.table.key, "bench")
    conn = connect(conn_info)
    with conn, conn.cursor() as cur:
        cur.execute("drop table if exists raw.bench__ratings_copy, raw.bench__ratings_to_sql")
    started = time.perf_counter()
    load(conn, Parsed(table, ratings.frame, "bench"))
    copy_s = time.perf_counter() - started
    with conn, conn.cursor() as cur:
        cur.execute("drop table raw.bench__ratings_copy")
    conn.close()

    engine = sqlalchemy.create_engine(conn_info.url.replace("postgresql://", "postgresql+psycopg2://", 1))
    started = time.perf_counter()
    ratings.frame.to_sql("bench__ratings_to_sql", engine, schema="raw", index=False, chunksize=10_000)
    to_sql_s = time.perf_counter() - started
    with engine.begin() as db:
        db.exec_driver_sql("drop table raw.bench__ratings_to_sql")
    engine.dispose()
    rows = len(ratings.frame)
    return {
        "ingest_rows_per_s_copy": round(rows / copy_s),
        "ingest_rows_per_s_to_sql": round(rows / to_sql_s),
        "ingest_copy_vs_to_sql": round(to_sql_s / copy_s, 2),
    }


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
