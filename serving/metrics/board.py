"""Reads for the metrics screens: a profile's leaderboard with its coverage, a film's metric
history, a profile's edit history and the coverage snapshots over time.

Plain functions over a psycopg2 connection, returning frames; values travel as parameters.
"""

from __future__ import annotations

import pandas as pd
from psycopg2 import sql
from psycopg2.extras import RealDictCursor

from ml.metrics import categories
from serving.metrics.search import LIVE_SCORES, scores_relation
from warehouse.io import read_frame

MAX_ROWS = 500


def leaderboard(
    conn, profile: str = "balanced", limit: int = 50, min_coverage: float = 0.0
) -> pd.DataFrame:
    """The profile's best films with their weight coverage (the share of the profile's weight
    the film has data for) and category scores; films below `min_coverage` are left out."""
    if not 1 <= limit <= MAX_ROWS:
        raise ValueError(f"limit must be from 1 to {MAX_ROWS}, got {limit}")
    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        relation = scores_relation(cur, profile)
    scores = sql.Identifier("marts", relation) if relation == "film_scores" else LIVE_SCORES
    columns = sql.SQL(", ").join(sql.Identifier("scores", f"{c}_score") for c in categories())
    return read_frame(
        conn,
        sql.SQL("""
            select scores.film_id, scores.title, scores.release_year, scores.total_score,
                scores.weight_coverage, scores.metrics_used, {columns}
            from {scores} as scores
            where scores.profile = %s and scores.total_score is not null
                and scores.weight_coverage >= %s
            order by scores.total_score desc, scores.film_id
            limit %s
        """).format(columns=columns, scores=scores),
        (profile, min_coverage, limit),
    )


def metric_history(conn, film_id: int) -> pd.DataFrame:
    """Every observation of the film's metrics in the time series, oldest first."""
    return read_frame(
        conn,
        "select metric_code, source, time, value, normalized_value from marts.metric_timeseries "
        "where film_id = %s order by metric_code, source, time",
        (film_id,),
    )


def profile_history(conn, profile: str, limit: int = 20) -> pd.DataFrame:
    """The profile's latest changes: who, when, why, and the weights before and after."""
    return read_frame(
        conn,
        "select changed_at, action, changed_by, change_reason, old_values, new_values "
        "from app.weight_profile_history where profile = %s order by id desc limit %s",
        (profile, limit),
    )


def coverage_history(conn, level: str = "category") -> pd.DataFrame:
    """Coverage of every snapshot at one level, for trends (oldest snapshot first)."""
    return read_frame(
        conn,
        "select snapshot_at, category, metric_code, source, coverage_pct, films_with_data "
        "from marts.metric_coverage_stats where level = %s "
        "order by snapshot_at, category, metric_code nulls first, source nulls first",
        (level,),
    )
