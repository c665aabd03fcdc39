"""Casting recommender: training time and holdout quality on the demo data, and slate latency.

Trains with the default parameters on the vendored Movie Industry and Oscar files (the same
long table the warehouse path builds), then serves a spread of briefs and reports the 95th
percentile latency of `recommend` (validation, candidates, scoring, reasons, alternates).
"""

from __future__ import annotations

import itertools
import time

import numpy as np

from ml.casting.dataset import prepare
from ml.casting.long_table import demo_long_table
from ml.casting.params import CastingParams
from ml.casting.recommend import recommend
from ml.casting.serve import Brief
from ml.casting.train import train

YEARS = (2012, 2015, 2019)
GENRES = (("Drama", "Crime"), ("Comedy",), ("Action", "Adventure"), ("Horror",))
BUDGETS = (5, 40)
DIRECTORS = (None, "Martin Scorsese")


def run() -> dict[str, float]:
    started = time.perf_counter()
    long, report = demo_long_table()
    model = train(prepare(long, CastingParams(), report=report))
    train_s = time.perf_counter() - started

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
