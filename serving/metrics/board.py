"""Reads for the metrics screens: a film's metric history, a profile's edit history and the
coverage snapshots over time (the leaderboard is `search.leaderboard`).

Plain functions over a psycopg2 connection, returning frames; values travel as parameters.
"""

from __future__ import annotations

import pandas as pd

from warehouse.io import read_frame

MAX_ROWS = 500


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
        "select snapshot_at, category, metric_code, source, coverage_share, films_with_data "
        "from marts.metric_coverage_stats where level = %s "
        "order by snapshot_at, category, metric_code nulls first, source nulls first",
        (level,),
    )
