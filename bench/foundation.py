"""Foundation figures: a cold materialisation, and the COPY loader against `DataFrame.to_sql`.

Runs on its own embedded warehouse under `.cinegraph-bench/` (see `bench/_env.py`), so a
benchmark never wipes the development warehouse.
"""

from __future__ import annotations

import statistics

import pandas as pd
import sqlalchemy

from bench._env import fresh_warehouse, peak_rss_mb, timed
from ingest.files import movielens
from ingest.loader import ensure_table, load, row_hashes
from ingest.schema import Parsed, RawTable

REPEATS = 3


def _drop_bench_tables(conn) -> None:
    with conn, conn.cursor() as cur:
        cur.execute("drop table if exists raw.bench__ratings_copy, raw.bench__ratings_to_sql")


def _copy_vs_to_sql(conn_info) -> dict[str, float]:
    """The COPY loader against `DataFrame.to_sql` on the 100,004 MovieLens ratings, same run.

    Like with like: both write the same rows, lineage columns included, into an empty table
    of the same shape (the raw table's columns and primary key, made by `ensure_table`).
    `to_sql` is handed the frame with its lineage already added (hashing is not timed for
    it); the loader's time covers everything `load` does. A re-load of the same input into
    the filled table (the upsert path: compare hashes, change nothing) is timed too and
    reported as its own rate, beside the first load the ratio is computed from. A first load
    takes about 0.4 s, so one timing is mostly noise: each figure is the median of REPEATS
    rounds, each round timing all three on new tables.
    """
    from orchestration.warehouse import connect

    ratings = next(p for p in movielens.parse() if p.table.name == "movielens__ratings")
    shape = ratings.table.columns, ratings.table.key
    copy_input = Parsed(RawTable("bench__ratings_copy", *shape, "bench"), ratings.frame, "bench")
    to_sql_table = RawTable("bench__ratings_to_sql", *shape, "bench")
    staged = ratings.frame.assign(
        _loaded_at=pd.Timestamp.now(tz="UTC"),
        _source_file="bench",
        _row_hash=row_hashes(ratings.frame),
    )
    conn = connect(conn_info)
    engine = sqlalchemy.create_engine(
        conn_info.url.replace("postgresql://", "postgresql+psycopg2://", 1)
    )
    rounds = []
    for _ in range(REPEATS):
        _drop_bench_tables(conn)
        with conn, conn.cursor() as cur:
            ensure_table(cur, to_sql_table)
        copy_s, _ = timed(lambda: load(conn, copy_input))
        reload_s, _ = timed(lambda: load(conn, copy_input))
        to_sql_s, _ = timed(
            lambda: staged.to_sql(
                to_sql_table.name,
                engine,
                schema="raw",
                if_exists="append",
                index=False,
                chunksize=10_000,
            )
        )
        rounds.append((copy_s, reload_s, to_sql_s))
    _drop_bench_tables(conn)
    conn.close()
    engine.dispose()
    copy_s, reload_s, to_sql_s = (statistics.median(column) for column in zip(*rounds, strict=True))
    rows = len(ratings.frame)
    return {
        "ingest_rows_per_s_copy": round(rows / copy_s),
        "ingest_rows_per_s_copy_reload": round(rows / reload_s),
        "ingest_rows_per_s_to_sql": round(rows / to_sql_s),
        "ingest_copy_vs_to_sql": round(to_sql_s / copy_s, 2),
        "ingest_copy_reload_vs_to_sql": round(to_sql_s / reload_s, 2),
    }


def run() -> dict[str, float]:
    settings = fresh_warehouse()

    from orchestration.dbt_project import prepare_manifest

    prepare_manifest()
    from orchestration.definitions import defs
    from orchestration.materialize_all import build_instance, materialize_all

    with build_instance() as instance:
        cold_s, stages = timed(lambda: materialize_all(defs, instance))
    if not all(stage.success for stage in stages):
        raise RuntimeError(
            "materialisation failed: " + "; ".join(f for s in stages for f in s.failures)
        )
    figures = {"materialize_cold_s": round(cold_s, 1)}
    figures.update(_copy_vs_to_sql(settings.warehouse))
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures
