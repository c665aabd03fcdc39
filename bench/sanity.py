"""The sanity suite's figures, on the warehouse the foundation benchmark materialised.

sanity_rows_passing / sanity_rows_total    rows of tests/sanity/expectations.csv that hold
scores_top50_min_available_coverage        lowest available_coverage in any profile's
                                           default top 50 (target >= 0.3)
crowd_pleaser_top100_min_raters            fewest raters among the crowd_pleaser top 100 of
                                           the `all` cohort
"""

from __future__ import annotations

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse
from tests.sanity.checks import cohort_top, evaluate_all, leaderboard

TOP_N = 50


def run() -> dict[str, float]:
    conn = started_warehouse(needs="marts.film_scores")
    outcomes = evaluate_all(conn)
    with conn.cursor() as cur:
        cur.execute("select profile from marts.dim_weight_profiles")
        profiles = [row[0] for row in cur.fetchall()]
    coverages = [
        row[2]
        for profile in profiles
        for row in leaderboard(conn, profile, TOP_N, "available_coverage")
    ]
    raters = cohort_top(conn, {"cohort": "all", "strategy": "crowd_pleaser", "n": 100}, "raters")
    conn.rollback()
    conn.close()
    return {
        "sanity_rows_passing": sum(outcome.passed for outcome in outcomes),
        "sanity_rows_total": len(outcomes),
        "scores_top50_min_available_coverage": round(float(min(coverages)), 3),
        "crowd_pleaser_top100_min_raters": min(row[1] for row in raters),
    }
