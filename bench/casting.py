"""Casting recommender: training time and holdout quality on the demo data, and slate latency.

Reads the long table from the identity marts of the bench warehouse (see `bench/_env.py`),
which it first materialises with everything they read (untimed; a no-op rebuild after the
foundation benchmark), trains with the default parameters, then serves a spread of briefs and
reports the 95th percentile latency of `recommend` (validation, candidates, scoring, reasons,
alternates). The training time includes reading the long table.
"""

from __future__ import annotations

import itertools
import time

import numpy as np

import bench._env  # noqa: F401 - points the settings at the bench warehouse first
from ml.casting.dataset import prepare
from ml.casting.long_table import read_long_table
from ml.casting.params import CastingParams
from ml.casting.recommend import recommend
from ml.casting.serve import Brief
from ml.casting.train import train

YEARS = (2012, 2015, 2019)
GENRES = (("Drama", "Crime"), ("Comedy",), ("Action", "Adventure"), ("Horror",))
BUDGETS = (5, 40)
DIRECTORS = (None, "Martin Scorsese")


def _warehouse_with_long_table_inputs():
    """The bench warehouse, started, with the long table's dbt models materialised."""
    import dagster as dg

    from orchestration.cli.warehouse import start_platform
    from orchestration.dbt_project import prepare_manifest
    from orchestration.settings import settings

    config = settings()
    start_platform(config)
    prepare_manifest()
    from orchestration.definitions import defs
    from orchestration.defs.casting import LONG_TABLE_INPUTS
    from orchestration.materialize_all import materialize_upstream

    with dg.DagsterInstance.get() as instance:
        stage = materialize_upstream(defs, instance, LONG_TABLE_INPUTS)
    if not stage.success:
        raise RuntimeError("materialisation failed: " + "; ".join(stage.failures))
    return config.warehouse


def run() -> dict[str, float]:
    from orchestration.warehouse import connect

    conn = connect(_warehouse_with_long_table_inputs())
    started = time.perf_counter()
    long, report = read_long_table(conn)
    model = train(prepare(long, CastingParams(), report=report))
    train_s = time.perf_counter() - started
    conn.close()

    latencies = []
    for year, genres, budget, director in itertools.product(YEARS, GENRES, BUDGETS, DIRECTORS):
        brief = Brief(year, budget, genres, bill_order=1, n=10, director=director)
        began = time.perf_counter()
        recommend(model, brief)
        latencies.append((time.perf_counter() - began) * 1000)
    metrics = model.metrics
    return {
        "casting_train_s": round(train_s, 2),
        "slate_p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "casting_auroc_holdout": round(metrics["holdout"]["auroc"], 4),
        "casting_auroc_best_baseline": round(metrics["best_baseline_auroc"], 4),
        "casting_ece_holdout": round(metrics["holdout"]["ece"], 4),
    }
