"""Casting recommender: training time and holdout quality on the demo data, and slate latency.

Reads the long table from the identity marts of the bench warehouse (see `bench/_env.py`),
which it first materialises with everything they read (untimed; a no-op rebuild after the
foundation benchmark), trains with the default parameters, then serves a spread of briefs and
reports the 95th percentile latency of `recommend` (validation, candidates, scoring, reasons,
alternates). The training time includes reading the long table.
"""

from __future__ import annotations

import itertools

import numpy as np

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse, timed
from ml.casting.dataset import prepare
from ml.casting.long_table import read_long_table
from ml.casting.params import CastingParams
from ml.casting.train import train
from serving.casting import Brief, recommend

YEARS = (2012, 2015, 2019)
GENRES = (("Drama", "Crime"), ("Comedy",), ("Action", "Adventure"), ("Horror",))
BUDGETS = (5, 40)
DIRECTORS = (None, "Martin Scorsese")


def _warehouse_with_long_table_inputs():
    """A connection to the bench warehouse, with the long table's dbt models materialised."""
    import dagster as dg

    from orchestration.dbt_project import prepare_manifest

    conn = started_warehouse()
    prepare_manifest()
    from orchestration.definitions import defs
    from orchestration.defs.casting import LONG_TABLE_INPUTS
    from orchestration.materialize_all import materialize_upstream

    with dg.DagsterInstance.get() as instance:
        stage = materialize_upstream(defs, instance, LONG_TABLE_INPUTS)
    if not stage.success:
        conn.close()
        raise RuntimeError("materialisation failed: " + "; ".join(stage.failures))
    return conn


def _train(conn):
    long, report = read_long_table(conn)
    return train(prepare(long, CastingParams(), report=report))


def run() -> dict[str, float]:
    conn = _warehouse_with_long_table_inputs()
    train_s, model = timed(lambda: _train(conn))
    conn.close()

    latencies = []
    for year, genres, budget, director in itertools.product(YEARS, GENRES, BUDGETS, DIRECTORS):
        brief = Brief(year, budget, genres, bill_order=1, n=10, director=director)
        latencies.append(timed(lambda brief=brief: recommend(model, brief))[0] * 1000)
    metrics = model.metrics
    return {
        "casting_train_s": round(train_s, 2),
        "slate_p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "casting_auroc_holdout": round(metrics["holdout"]["auroc"], 4),
        "casting_auroc_best_baseline": round(metrics["best_baseline_auroc"], 4),
        "casting_ece_holdout": round(metrics["holdout"]["ece"], 4),
    }
