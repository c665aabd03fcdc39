"""Cohort figures, on the warehouse the foundation benchmark materialised.

cohort_full_s               every cohort model from scratch (monthly models with --full-refresh
                            over all months, the taste-cluster fit, the cohort marts), target < 60
cohort_incremental_month_s  one new month as the product loads it: COPY its ratings, the monthly
                            models on its window (ratings_month_job), then the cohort tables built
                            from the ratings, merging what it touched (cohort_refresh_job)
cohort_incremental_ratio    the two above, incremental / full (target <= 0.10)
cohort_*_models_s           the same, counting only dbt's model execution time (run_results.json)
cohort_dbt_call_s           what every dbt call costs before and after its models (process start,
                            partial parse, connection): a month pays it twice, once for its
                            partition run and once for the cohort refresh
cohort_full_10x_s           cohort_full_s on 10x the ratings (bench/scale_ratings.py), and
cohort_incremental_month_10x_s  one month at 10x (and their _models_s and ratios); the same
                            at 100x (cohort_full_100x_s, ...): where the data, not dbt's fixed
                            cost per call, makes up most of a build
pred_rmse_*, pred_mae_*     per-user temporal holdout (latest 20%), see ml/cohorts/prediction.py
taste_cluster_rmse_*        the taste clusters' holdout check (ml/cohorts/taste_clusters.py):
                            the cluster's film mean against the plain film mean

dbt runs without tests here (`dbt run`); `cinegraph materialize` also runs the tests.
The warehouse is left as it was found: real ratings, every cohort model rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse, timed
from bench.scale_ratings import scaled_ratings
from ingest.files import movielens
from ingest.loader import Slice, load, restrict
from ingest.schema import Parsed
from ml.cohorts import data, prediction, taste_clusters
from ml.runs import record_run
from orchestration.dbt_project import (
    COHORT_REFRESH_EXCLUDE,
    COHORT_REFRESH_SELECT,
    MONTHLY_SELECTOR,
    window_env,
)
from orchestration.settings import DBT_PROJECT_DIR, settings

PARTIAL_PARSE = "partial_parse.msgpack"

MONTHLY = ["--select", MONTHLY_SELECTOR]
MARTS = [
    "--select",
    "path:models/marts/cohorts",
    "path:models/intermediate/cohorts",
    "--exclude",
    MONTHLY_SELECTOR,
]
REFRESH = ["--select", *COHORT_REFRESH_SELECT.split(), "--exclude", *COHORT_REFRESH_EXCLUDE.split()]
MONTH = ("2016-10-01T00:00:00+00:00", "2016-11-01T00:00:00+00:00")
# The ratings scaled by these factors (bench/scale_ratings.py): how full and month costs grow.
SCALES = (10, 100)


class Dbt:
    """dbt as a subprocess, as dagster-dbt runs it: each call in a fresh target folder that
    holds the partial parse of one `dbt parse` (dagster-dbt copies the prepared project's).
    Calls return dbt's model seconds."""

    def __init__(self, root: Path):
        self.root = root
        self.calls = 0
        self.base = [str(Path(sys.executable).parent / "dbt")]
        self.invoke("parse")  # the seed parse is not part of any figure

    def invoke(self, *args: str, env: dict[str, str] | None = None) -> Path:
        """Run a dbt command (with `env` added to the environment); return its target folder."""
        self.calls += 1
        target = self.root / f"call-{self.calls}"
        if self.calls > 1:
            target.mkdir()
            shutil.copy(self.root / "call-1" / PARTIAL_PARSE, target / PARTIAL_PARSE)
        options = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
        done = subprocess.run(
            [*self.base, *args, *options, "--target-path", str(target)],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"dbt {' '.join(args)} failed:\n{done.stdout[-3000:]}")
        return target

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> float:
        """Run a dbt command that builds models; return their summed execution time."""
        target = self.invoke(*args, env=env)
        results = json.loads((target / "run_results.json").read_text())["results"]
        return sum(result["execution_time"] for result in results)


def fit_clusters(conn) -> None:
    ratings = data.read_ratings(conn)
    fit = taste_clusters.fit_clusters(ratings, taste_clusters.ClusterParams())
    data.replace_table(conn, "user_clusters", fit.assignments, run_id="bench")


def full_build(dbt: Dbt, conn) -> float:
    """Every cohort model from scratch; returns dbt's model seconds."""
    model_s = dbt("run", "--full-refresh", *MONTHLY)
    fit_clusters(conn)
    return model_s + dbt("run", "--full-refresh", *MARTS)


def refresh_month(dbt: Dbt) -> float:
    """What the product runs for a loaded month: its partition run (ratings_month_job), then
    cohort_refresh_job."""
    return dbt("run", *MONTHLY, env=window_env(*MONTH)) + dbt("run", *REFRESH)


def load_month(dbt: Dbt, conn, ratings: Parsed) -> float:
    """What a new month costs: its raw rows, the monthly models on its window, the cohort marts."""
    month = Slice("rated_at", *MONTH)
    load(conn, restrict(ratings, month), month)
    return refresh_month(dbt)


def unload_month(dbt: Dbt, conn, ratings: Parsed) -> None:
    month = Slice("rated_at", *MONTH)
    load(conn, Parsed(ratings.table, ratings.frame.head(0), ratings.source_file), month)
    refresh_month(dbt)


def measure(dbt: Dbt, conn, ratings: Parsed) -> dict[str, float]:
    """Full build, then the last month unloaded and loaded back, on `ratings` (already loaded)."""
    full_s, full_models_s = timed(lambda: full_build(dbt, conn))
    unload_month(dbt, conn, ratings)
    month_s, month_models_s = timed(lambda: load_month(dbt, conn, ratings))
    return {
        "full_s": full_s,
        "full_models_s": full_models_s,
        "month_s": month_s,
        "month_models_s": month_models_s,
    }


def dbt_call_s(dbt: Dbt) -> float:
    """dbt's fixed cost per call (process start-up, partial parse, connection): a monthly
    call that selects no model."""
    seconds, _ = timed(
        lambda: dbt.invoke("run", *MONTHLY, "--exclude", MONTHLY_SELECTOR, env=window_env(*MONTH))
    )
    return seconds


def predictions(conn) -> dict[str, float]:
    """The rating predictor and its baselines, and the taste clusters' holdout check (the
    cluster's film mean against the plain film mean), on per-user temporal holdouts."""
    ratings = data.read_ratings(conn)
    metrics, _ = prediction.evaluate(ratings)
    record_run(
        conn, "rating_prediction", {"context": "bench"}, metrics, {"source": "bench/cohorts.py"}
    )
    clusters = taste_clusters.holdout_check(
        ratings, taste_clusters.ClusterParams(seed=settings().model_seed)
    )
    return {
        **{
            f"pred_{name}": round(value, 4)
            for name, value in metrics.items()
            if name.startswith(("rmse_", "mae_"))
        },
        "pred_best_by_rmse": metrics["best_by_rmse"],
        "taste_cluster_holdout_k": clusters["holdout_k"],
        "taste_cluster_rmse_holdout": round(clusters["rmse_cluster_film_mean"], 4),
        "taste_cluster_rmse_film_mean": round(clusters["rmse_film_mean"], 4),
    }


def scale_figures(measured: dict[str, float], scale: str = "") -> dict[str, float]:
    """measure()'s seconds and ratios under the benchmark's keys; `scale` is "" or "_10x" ..."""
    return {
        f"cohort_full{scale}_s": round(measured["full_s"], 1),
        f"cohort_full{scale}_models_s": round(measured["full_models_s"], 1),
        f"cohort_incremental_month{scale}_s": round(measured["month_s"], 1),
        f"cohort_incremental_month{scale}_models_s": round(measured["month_models_s"], 1),
        f"cohort_incremental{scale}_ratio": round(measured["month_s"] / measured["full_s"], 3),
        f"cohort_incremental{scale}_models_ratio": round(
            measured["month_models_s"] / measured["full_models_s"], 3
        ),
    }


def run() -> dict[str, float]:
    conn = started_warehouse(needs="marts.fct_ratings")
    real = next(p for p in movielens.parse() if p.table.name == "movielens__ratings")
    with tempfile.TemporaryDirectory(prefix="cinegraph-bench-dbt-") as target:
        dbt = Dbt(Path(target))
        figures = scale_figures(measure(dbt, conn, real))
        figures["cohort_dbt_call_s"] = round(dbt_call_s(dbt), 1)
        figures.update(predictions(conn))
        for factor in SCALES:
            scaled = Parsed(
                real.table, scaled_ratings(real.frame, factor), f"bench:scaled_ratings x{factor}"
            )
            load(conn, scaled)
            figures.update(scale_figures(measure(dbt, conn, scaled), f"_{factor}x"))
            figures[f"cohort_{factor}x_ratings"] = len(scaled.frame)
        load(conn, real)
        full_build(dbt, conn)
    conn.close()
    return figures
