"""Cohort figures, on the warehouse the foundation benchmark materialised.

cohort_full_s               every cohort model from scratch (monthly models with --full-refresh
                            over all months, the taste-cluster fit, the cohort marts), target < 60
cohort_incremental_month_s  one new month: COPY its ratings, the monthly models on its window,
                            the cohort marts merging what it touched
cohort_incremental_ratio    the two above, incremental / full (target <= 0.10)
cohort_*_models_s           the same, counting only dbt's model execution time (run_results.json):
                            the wall times include dbt's start-up and parse, about 5 s a call
cohort_full_10x_s           cohort_full_s on 10x the ratings (bench/scale_ratings.py), and
cohort_incremental_month_10x_s  one month at 10x
pred_rmse_*                 per-user temporal holdout (latest 20%), see ml/cohorts/prediction.py

dbt runs without tests here (`dbt run`); `cinegraph materialize` also runs the tests.
The warehouse is left as it was found: real ratings, every cohort model rebuilt.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench._env  # noqa: F401 - points the settings at the bench warehouse first
from bench.scale_ratings import scaled_ratings
from ingest import movielens
from ingest.loader import Slice, load, restrict
from ingest.schema import Parsed
from ml.cohorts import data, prediction, taste_clusters
from ml.runs import record_run
from orchestration.settings import DBT_PROJECT_DIR

MONTHLY = [
    "stg_movielens__ratings",
    "int_rating_events",
    "fct_ratings",
    "rating_rejects",
    "int_rating_month_loads",
    "user_activity",
]
MARTS = [
    "--select",
    "path:models/marts/cohorts",
    "path:models/intermediate/cohorts",
    "--exclude",
    "tag:monthly",
]
MONTH = ("2016-10-01T00:00:00+00:00", "2016-11-01T00:00:00+00:00")


class Dbt:
    """dbt as a subprocess with its own target folder; returns model seconds per call."""

    def __init__(self, target: Path):
        self.target = target
        self.base = [str(Path(sys.executable).parent / "dbt")]
        self.options = [
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
        ]

    def invoke(self, *args: str) -> None:
        done = subprocess.run([*self.base, *args, *self.options], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"dbt {' '.join(args)} failed:\n{done.stdout[-3000:]}")

    def __call__(self, *args: str) -> float:
        """Run a dbt command that builds models; return their summed execution time."""
        (self.target / "run_results.json").unlink(missing_ok=True)
        self.invoke(*args)
        results = json.loads((self.target / "run_results.json").read_text())["results"]
        return sum(result["execution_time"] for result in results)


def timed(step) -> tuple[float, float]:
    started = time.perf_counter()
    model_s = step()
    return time.perf_counter() - started, model_s


def fit_clusters(conn) -> None:
    ratings = data.read_ratings(conn)
    fit = taste_clusters.fit_clusters(ratings, taste_clusters.ClusterParams())
    data.replace_table(conn, "user_clusters", fit.assignments, run_id="bench")


def full_build(dbt: Dbt, conn) -> float:
    """Every cohort model from scratch; returns dbt's model seconds."""
    model_s = dbt("run", "--full-refresh", "--select", *MONTHLY)
    fit_clusters(conn)
    return model_s + dbt("run", "--full-refresh", *MARTS)


def month_window_vars() -> str:
    return json.dumps({"min_date": MONTH[0], "max_date": MONTH[1]})


def load_month(dbt: Dbt, conn, ratings: Parsed) -> float:
    """What a new month costs: its raw rows, the monthly models on its window, the cohort marts."""
    month = Slice("rated_at", *MONTH)
    load(conn, restrict(ratings, month), month)
    return dbt("run", "--select", *MONTHLY, "--vars", month_window_vars()) + dbt("run", *MARTS)


def unload_month(dbt: Dbt, conn, ratings: Parsed) -> None:
    month = Slice("rated_at", *MONTH)
    load(conn, Parsed(ratings.table, ratings.frame.head(0), ratings.source_file), month)
    dbt("run", "--select", *MONTHLY, "--vars", month_window_vars())
    dbt("run", *MARTS)


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


def predictions(conn) -> dict[str, float]:
    metrics, _ = prediction.evaluate(data.read_ratings(conn))
    record_run(
        conn, "rating_prediction", {"context": "bench"}, metrics, {"source": "bench/cohorts.py"}
    )
    return {
        f"pred_{name}": round(value, 4)
        for name, value in metrics.items()
        if name.startswith("rmse_")
    }


def run() -> dict[str, float]:
    from orchestration import warehouse
    from orchestration.cli.warehouse import start_platform
    from orchestration.settings import settings

    config = settings()
    start_platform(config)
    conn = warehouse.connect(config.warehouse)
    real = next(p for p in movielens.parse() if p.table.name == "movielens__ratings")
    with tempfile.TemporaryDirectory(prefix="cinegraph-bench-dbt-") as target:
        dbt = Dbt(Path(target))
        dbt.invoke("parse")  # the first parse of a new target folder is not part of any figure
        base = measure(dbt, conn, real)
        figures = predictions(conn)
        scaled = Parsed(real.table, scaled_ratings(real.frame, 10), "bench:scaled_ratings x10")
        load(conn, scaled)
        tenfold = measure(dbt, conn, scaled)
        load(conn, real)
        full_build(dbt, conn)
    conn.close()
    figures.update(
        {
            "cohort_full_s": round(base["full_s"], 1),
            "cohort_full_models_s": round(base["full_models_s"], 1),
            "cohort_incremental_month_s": round(base["month_s"], 1),
            "cohort_incremental_month_models_s": round(base["month_models_s"], 1),
            "cohort_incremental_ratio": round(base["month_s"] / base["full_s"], 3),
            "cohort_incremental_models_ratio": round(
                base["month_models_s"] / base["full_models_s"], 3
            ),
            "cohort_full_10x_s": round(tenfold["full_s"], 1),
            "cohort_full_10x_models_s": round(tenfold["full_models_s"], 1),
            "cohort_incremental_month_10x_s": round(tenfold["month_s"], 1),
            "cohort_incremental_10x_ratio": round(tenfold["month_s"] / tenfold["full_s"], 3),
            "cohort_10x_ratings": len(scaled.frame),
        }
    )
    return figures
