"""Metrics registry figures, on the warehouse the foundation benchmark materialised.

score_p95_ms        calculate_movie_score for one film and profile, warm connection (target < 10)
search_p95_ms       search_movies with three filters over all films, first page (target < 50)
film_scores_full_s  computing every film x every profile (the film_scores model's query, < 10)
film_scores_dbt_s   `dbt run --select film_scores`, dbt's own start-up included

Nothing is cached: every call queries PostgreSQL (the design's targets were 10 ms cached,
100 ms fresh).
"""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse, timed

SAMPLE_FILMS = 200
SEARCH_RUNS = 100
SEED = 20240601
SEARCHES = [
    [
        {"metric_code": "movielens_rating_count", "max_normalized": cap},
        {"category": "rating", "min_normalized": floor},
        {"category": "award", "min_normalized": 0.1},
    ]
    for cap, floor in ((0.3, 0.7), (0.4, 0.65), (0.5, 0.6), (0.6, 0.75))
]


def _p95_ms(timings: list[float]) -> float:
    return round(float(np.percentile(timings, 95)) * 1000, 2)


def _seconds(call) -> float:
    return timed(call)[0]


def run() -> dict[str, float]:
    from orchestration.settings import DBT_PROJECT_DIR
    from serving.metrics import calculate_movie_score, search_movies

    conn = started_warehouse(needs="marts.film_scores")
    with conn.cursor() as cur:
        cur.execute(
            "select film_id from marts.film_scores where profile = 'balanced' "
            "and metrics_used > 0 order by film_id"
        )
        films = [row[0] for row in cur.fetchall()]
        cur.execute("select count(*) from marts.film_scores")
        scored_rows = cur.fetchone()[0]
    sample = random.Random(SEED).sample(films, SAMPLE_FILMS)
    for film_id in sample[:10]:  # warm the connection and the catalog caches
        calculate_movie_score(conn, film_id, "balanced")
    score_times = [_seconds(lambda f=f: calculate_movie_score(conn, f, "balanced")) for f in sample]
    searches = itertools.islice(itertools.cycle(SEARCHES), SEARCH_RUNS)
    search_times = [
        _seconds(lambda s=s: search_movies(conn, s, "hidden_gems", limit=20)) for s in searches
    ]
    full_runs = []
    with conn.cursor() as cur:
        for _ in range(3):
            full_runs.append(
                _seconds(
                    lambda: cur.execute(
                        "create temp table bench_film_scores as "
                        "select * from marts.film_scores_live"
                    )
                )
            )
            cur.execute("drop table bench_film_scores")
    conn.rollback()
    conn.close()
    dbt = Path(sys.executable).parent / "dbt"
    with tempfile.TemporaryDirectory() as target:  # leave Dagster's manifest in target/ alone
        dbt_s = _seconds(
            lambda: subprocess.run(
                [str(dbt), "run", "--select", "film_scores", "--quiet", "--target-path", target],
                cwd=DBT_PROJECT_DIR,
                check=True,
                capture_output=True,
            )
        )
    return {
        "score_p95_ms": _p95_ms(score_times),
        "search_p95_ms": _p95_ms(search_times),
        "film_scores_full_s": round(float(np.median(full_runs)), 2),
        "film_scores_rows": scored_rows,
        "film_scores_dbt_s": round(dbt_s, 2),
    }
