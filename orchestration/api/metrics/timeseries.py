"""`ml.metric_timeseries`: every metric observation with its time, append-only, in a
natively partitioned PostgreSQL table (one partition per calendar month, UTC).

The project creates and maintains it here rather than in dbt, because every dbt
materialisation rewrites or merges its table, and this one must only ever grow. An append
copies the observations of `intermediate.int_metric_observations` that the series does not
hold yet, creating the month partitions they need first; an observation is identified by
(film, metric, source, time), and a source that restates a value for a time already
recorded is counted, not rewritten. On the series sit a daily rollup (a materialised view,
refreshed by each append) and the trend views. dbt publishes the four relations to BI as the
marts of the same names (views over the `stg_ml__*` views).

With TimescaleDB the table would be `create_hypertable('ml.metric_timeseries', 'time',
chunk_time_interval => interval '1 month')` (chunks replace `ensure_month_partitions`), the
rollup a continuous aggregate with a refresh policy (replacing the refresh below), and the
trend views would read the aggregate unchanged; see docs/metrics.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg2 import sql

OBSERVATIONS = ("intermediate", "int_metric_observations")
TABLE = "metric_timeseries"
DAILY = "metric_timeseries_daily"
TRENDS = "metric_trends"
RISING = "rising_films"


@dataclass(frozen=True)
class AppendResult:
    observations: int
    appended: int
    restated: int
    partitions_created: int
    series_rows: int
    partitions: int


def _name(schema: str, relation: str) -> sql.Identifier:
    return sql.Identifier(schema, relation)


def ensure_timeseries(conn, schema: str = "ml") -> None:
    """Create the partitioned table and its views when absent (idempotent)."""
    table = _name(schema, TABLE)
    with conn.cursor() as cur:
        cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        cur.execute(
            sql.SQL("""
            create table if not exists {table} (
                film_id bigint not null,
                metric_code text not null,
                source text not null,
                value float8 not null,
                normalized_value float8,
                time timestamptz not null,
                metadata jsonb not null default '{{}}',
                recorded_at timestamptz not null default now(),
                primary key (film_id, metric_code, source, time)
            ) partition by range (time)
        """).format(table=table)
        )
        cur.execute(
            sql.SQL("""
            create materialized view if not exists {daily} as
            select
                film_id,
                metric_code,
                source,
                (time at time zone 'UTC')::date as day,
                count(*) as observations,
                avg(value) as avg_value,
                min(value) as min_value,
                max(value) as max_value,
                (array_agg(value order by time desc))[1] as last_value,
                (array_agg(normalized_value order by time desc))[1] as last_normalized_value
            from {table}
            group by film_id, metric_code, source, (time at time zone 'UTC')::date
            with no data
        """).format(daily=_name(schema, DAILY), table=table)
        )
        cur.execute(
            sql.SQL(
                "create unique index if not exists {index} on {daily} (film_id, metric_code, source, day)"
            ).format(index=sql.Identifier(f"{DAILY}_key"), daily=_name(schema, DAILY))
        )
        cur.execute(
            sql.SQL(TRENDS_VIEW).format(trends=_name(schema, TRENDS), daily=_name(schema, DAILY))
        )
        cur.execute(
            sql.SQL(RISING_VIEW).format(rising=_name(schema, RISING), trends=_name(schema, TRENDS))
        )


# Trends are measured back from each feed's newest day (as_of), not from today: a historical
# feed (MovieLens ends in 2016) still shows how its last week and month moved, and a live
# feed's newest day is today. A film first observed inside the window has no change yet.
TRENDS_VIEW = """
create or replace view {trends} as
with anchors as (
    select metric_code, source, max(day) as as_of
    from {daily}
    group by metric_code, source
),
points as (
    select
        daily.film_id,
        daily.metric_code,
        daily.source,
        anchors.as_of,
        daily.day,
        daily.last_value,
        daily.last_normalized_value
    from {daily} as daily
    inner join anchors using (metric_code, source)
),
latest as (
    select distinct on (film_id, metric_code, source) *
    from points
    order by film_id, metric_code, source, day desc
),
week_ago as (
    select distinct on (film_id, metric_code, source) *
    from points
    where day <= as_of - 7
    order by film_id, metric_code, source, day desc
),
month_ago as (
    select distinct on (film_id, metric_code, source) *
    from points
    where day <= as_of - 30
    order by film_id, metric_code, source, day desc
)
select
    latest.film_id,
    latest.metric_code,
    latest.source,
    latest.as_of,
    latest.day as last_observed_on,
    latest.last_value as value,
    latest.last_normalized_value as normalized_value,
    latest.last_value - week_ago.last_value as change_7d,
    latest.last_normalized_value - week_ago.last_normalized_value as normalized_change_7d,
    latest.last_value - month_ago.last_value as change_30d,
    latest.last_normalized_value - month_ago.last_normalized_value as normalized_change_30d
from latest
left join week_ago using (film_id, metric_code, source)
left join month_ago using (film_id, metric_code, source)
"""

# Films whose normalised value rose over their feed's last 30 days, ranked per metric and feed.
RISING_VIEW = """
create or replace view {rising} as
select
    *,
    rank() over (partition by metric_code, source order by normalized_change_30d desc) as rise_rank
from {trends}
where normalized_change_30d > 0
"""


def month_partition_name(month: datetime) -> str:
    return f"{TABLE}_{month:%Y_%m}"


def ensure_month_partitions(conn, months: list[datetime], schema: str = "ml") -> int:
    """Create the partitions for the given month starts that are missing; return how many."""
    created = 0
    with conn.cursor() as cur:
        for month in months:
            name = month_partition_name(month)
            cur.execute("select to_regclass(%s)", (f"{schema}.{name}",))
            if cur.fetchone()[0] is not None:
                continue
            cur.execute(
                sql.SQL(
                    "create table {partition} partition of {table} "
                    "for values from (%s) to (%s::timestamptz + interval '1 month')"
                ).format(partition=_name(schema, name), table=_name(schema, TABLE)),
                (month, month),
            )
            created += 1
    return created


def append_observations(
    conn, schema: str = "ml", observations: tuple[str, str] = OBSERVATIONS
) -> AppendResult:
    """Append the observations the series does not hold yet, in one transaction."""
    source = _name(*observations)
    table = _name(schema, TABLE)
    with conn:
        ensure_timeseries(conn, schema)
        with conn.cursor() as cur:
            cur.execute("set local timezone = 'UTC'")
            cur.execute(
                sql.SQL(
                    "select distinct date_trunc('month', observed_at) from {} order by 1"
                ).format(source)
            )
            created = ensure_month_partitions(conn, [row[0] for row in cur.fetchall()], schema)
            cur.execute(
                sql.SQL("""
                insert into {table} (film_id, metric_code, source, value, normalized_value, time, metadata)
                select film_id, metric_code, source, raw_value, normalized_value, observed_at, detail
                from {source}
                on conflict (film_id, metric_code, source, time) do nothing
            """).format(table=table, source=source)
            )
            appended = cur.rowcount
            cur.execute(
                sql.SQL("""
                select count(*), count(*) filter (
                    where series.value is distinct from observed.raw_value
                )
                from {source} as observed
                inner join {table} as series
                    on series.film_id = observed.film_id
                    and series.metric_code = observed.metric_code
                    and series.source = observed.source
                    and series.time = observed.observed_at
            """).format(table=table, source=source)
            )
            total, restated = cur.fetchone()
            cur.execute(sql.SQL("refresh materialized view {}").format(_name(schema, DAILY)))
            cur.execute(sql.SQL("select count(*) from {}").format(table))
            series_rows = cur.fetchone()[0]
            cur.execute(
                "select count(*) from pg_inherits where inhparent = to_regclass(%s)",
                (f"{schema}.{TABLE}",),
            )
            partitions = cur.fetchone()[0]
    return AppendResult(total, appended, restated, created, series_rows, partitions)
