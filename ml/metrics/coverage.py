"""Coverage of the metric registry, read from the snapshots in `marts.metric_coverage_stats`.

The Dagster asset checks and `cinegraph metrics coverage` both call these functions.
"""

from __future__ import annotations

from psycopg2 import sql
from psycopg2.extras import RealDictCursor

COVERAGE_TABLE = "metric_coverage_stats"
LEVELS = ("metric", "metric_source", "category")


def _rows(conn, query: sql.Composable, params: tuple = ()) -> list[dict]:
    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute(query, params)
        return [dict(row) for row in cur.fetchall()]


def latest_coverage(conn, level: str = "metric", schema: str = "marts") -> list[dict]:
    """The newest snapshot's rows at one level (metric, metric_source or category)."""
    if level not in LEVELS:
        raise LookupError(f"unknown coverage level {level!r}; valid levels: {', '.join(LEVELS)}")
    table = sql.Identifier(schema, COVERAGE_TABLE)
    return _rows(
        conn,
        sql.SQL("""
        select * from {table}
        where snapshot_at = (select max(snapshot_at) from {table}) and level = %s
        order by category, metric_code nulls first, source nulls first
    """).format(table=table),
        (level,),
    )


def below_threshold(conn, schema: str = "marts") -> list[dict]:
    """Active metrics whose coverage in the newest snapshot is under their coverage_threshold."""
    return [
        row
        for row in latest_coverage(conn, "metric", schema)
        if row["active"] and row["coverage_share"] < row["coverage_threshold"]
    ]


def lost_data(conn, schema: str = "marts") -> list[dict]:
    """Active metrics with no film in the newest snapshot that had films in an earlier one."""
    table = sql.Identifier(schema, COVERAGE_TABLE)
    return _rows(
        conn,
        sql.SQL("""
        with latest as (
            select * from {table}
            where snapshot_at = (select max(snapshot_at) from {table}) and level = 'metric'
        )
        select
            latest.metric_code,
            latest.snapshot_at,
            max(earlier.snapshot_at) as last_snapshot_with_data,
            max(earlier.films_with_data) as most_films_before
        from latest
        inner join {table} as earlier
            on earlier.level = 'metric'
            and earlier.metric_code = latest.metric_code
            and earlier.snapshot_at < latest.snapshot_at
            and earlier.films_with_data > 0
        where latest.active and latest.films_with_data = 0
        group by latest.metric_code, latest.snapshot_at
        order by latest.metric_code
    """).format(table=table),
    )
