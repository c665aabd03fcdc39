"""Casting recommender: training time and holdout quality on the demo data, and slate latency.

Reads the long table from the identity marts of the bench warehouse (see `bench/_env.py`),
which it first materialises with everything they read (untimed; a no-op rebuild after the
foundation benchmark), trains with the default parameters, then serves a spread of briefs and
reports the 95th percentile latency of `recommend` (validation, candidates, scoring, reasons,
alternates). The training time includes reading the long table.

casting_slate_violations     slates of 50 generated briefs (seeded) holding a non-actor, someone
                             with no credit in the window, someone dead at the brief's year, or
                             a probability shown as certain or without support (target 0)
casting_ece_holdout          ECE of the displayed p_cal on the holdout (target < 0.05)
model_metric_seed_spread     max over the model's AUROCs (actor head, director head, both
                             candidates) of their spread (max - min) over SEEDS seeds
"""

from __future__ import annotations

import itertools

import numpy as np

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse, timed
from ml.casting.dataset import prepare
from ml.casting.long_table import read_long_table
from ml.casting.params import CastingParams
from ml.casting.people import read_people
from ml.casting.train import CastingModel, train
from orchestration.settings import settings
from serving.casting import Brief, recommend
from serving.casting.plausibility import generated_briefs, slate_violations

YEARS = (2012, 2015, 2019)
GENRES = (("Drama", "Crime"), ("Comedy",), ("Action", "Adventure"), ("Horror",))
BUDGETS = (5, 40)
DIRECTORS = (None, "Martin Scorsese")
GENERATED_BRIEFS = 50
SEEDS = 5


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


def _train(conn, seed: int):
    long, report = read_long_table(conn)
    params = CastingParams(seed=seed)
    return train(prepare(long, params, report=report, people=read_people(conn)))


def _aurocs(model: CastingModel) -> dict[str, float]:
    metrics = model.metrics
    candidates = metrics["actor_head_candidates"]
    return {
        "actor_head": metrics["holdout"]["auroc"],
        "director_head": metrics["director_head"]["auroc"],
        **{f"{name}_holdout": scores["holdout_auroc"] for name, scores in candidates.items()},
    }


def seed_spread(conn, seed: int, first: CastingModel) -> dict[str, float]:
    """Spread (max - min) of every AUROC over SEEDS seeds, from `seed` on; `first` is the
    model of `seed` itself."""
    models = [first] + [_train(conn, seed + offset) for offset in range(1, SEEDS)]
    aurocs = [_aurocs(model) for model in models]
    spreads = {key: max(a[key] for a in aurocs) - min(a[key] for a in aurocs) for key in aurocs[0]}
    return {
        "model_metric_seed_spread": round(max(spreads.values()), 4),
        "casting_auroc_seed_spread": round(spreads["actor_head"], 4),
        "casting_actor_head_choices": len({model.actor_head_name for model in models}),
    }


def violations(model: CastingModel, seed: int) -> int:
    return sum(
        len(slate_violations(model, brief, recommend(model, brief).slate))
        for brief in generated_briefs(model, GENERATED_BRIEFS, seed)
    )


def run() -> dict[str, float]:
    seed = settings().model_seed
    conn = _warehouse_with_long_table_inputs()
    train_s, model = timed(lambda: _train(conn, seed))
    spread = seed_spread(conn, seed, model)
    conn.close()

    latencies = []
    for year, genres, budget, director in itertools.product(YEARS, GENRES, BUDGETS, DIRECTORS):
        brief = Brief(year, budget, genres, bill_order=1, n=10, director=director)
        latencies.append(timed(lambda brief=brief: recommend(model, brief))[0] * 1000)
    metrics = model.metrics
    calibration = model.calibrator
    candidates = metrics["actor_head_candidates"]
    return {
        "casting_train_s": round(train_s, 2),
        "slate_p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "casting_slate_violations": violations(model, seed),
        "casting_auroc_holdout": round(metrics["holdout"]["auroc"], 4),
        "casting_auroc_best_baseline": round(metrics["best_baseline_auroc"], 4),
        "casting_auroc_prior_rate_baseline": round(metrics["baselines"]["prior_rate"]["auroc"], 4),
        "casting_ece_holdout": round(metrics["holdout"]["ece"], 4),
        "casting_ece_holdout_uncalibrated": round(metrics["holdout"]["ece_uncalibrated"], 4),
        "casting_actor_head": model.actor_head_name,
        **{
            f"casting_{name}_calibration_auroc": round(scores["calibration_auroc"], 4)
            for name, scores in candidates.items()
        },
        "casting_calibration_method": calibration.method,
        **{
            f"casting_calibration_ece_{method}": round(ece, 4)
            for method, ece in calibration.ece.items()
        },
        "casting_director_auroc_holdout": round(metrics["director_head"]["auroc"], 4),
        "casting_synergy_auroc_without": round(metrics["synergy"]["auroc_without"], 4),
        "casting_synergy_auroc_with": round(metrics["synergy"]["auroc_with"], 4),
        "casting_actor_prior_mean": round(model.data.histories.actor_prior.mean, 4),
        "casting_actor_prior_strength": round(model.data.histories.actor_prior.strength, 2),
        **spread,
    }
