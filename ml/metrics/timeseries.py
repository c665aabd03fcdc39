"""`ml.metric_timeseries`: every metric observation with its time, append-only, in a
natively partitioned PostgreSQL table (one partition per calendar month, UTC).

The table, its daily rollup and the trend views are the warehouse catalogue's
(`warehouse/migrations/0007_metric_timeseries.sql`), not dbt's, because every dbt
materialisation rewrites or merges its table, and this one must only ever grow. An append
copies the observations of `intermediate.int_metric_observations` that the series does not
hold yet, creating the month partitions they need first (the one DDL that runs after
bootstrap: which months exist is data); an observation is identified by
(film, metric, source, time), and a source that restates a value for a time already
recorded is counted, not rewritten. On the series sit a daily rollup (a materialised view,
refreshed by each append) and the trend views. dbt publishes the four relations to BI as the
marts of the same names (views over the `stg_ml__*` views).

The month partitions live in their own schema, `ml_partitions` (migration 0016), so that `ml`
lists its tables rather than one more per month of history: every read goes through the parent,
which is all PostgreSQL checks privileges on, so no role needs a grant on a partition.

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
# Where the month partitions are; the parent stays in its own schema (`ml` by default).
PARTITION_SCHEMA = "ml_partitions"


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


def month_partition_name(month: datetime) -> str:
    return f"{TABLE}_{month:%Y_%m}"


def ensure_month_partitions(
    conn, months: list[datetime], schema: str = "ml", partition_schema: str = PARTITION_SCHEMA
) -> int:
    """Create, in `partition_schema`, the partitions of `schema`'s series for the given month
    starts that are missing; return how many."""
    created = 0
    with conn.cursor() as cur:
        for month in months:
            partition = _name(partition_schema, month_partition_name(month))
            cur.execute("select to_regclass(%s)", (partition.as_string(cur),))
            if cur.fetchone()[0] is not None:
                continue
            cur.execute(
                sql.SQL(
                    "create table {partition} partition of {table} "
                    "for values from (%s) to (%s::timestamptz + interval '1 month')"
                ).format(partition=partition, table=_name(schema, TABLE)),
                (month, month),
            )
            created += 1
    return created


def append_observations(
    conn,
    schema: str = "ml",
    observations: tuple[str, str] = OBSERVATIONS,
    partition_schema: str = PARTITION_SCHEMA,
) -> AppendResult:
    """Append the observations the series does not hold yet, in one transaction."""
    source = _name(*observations)
    table = _name(schema, TABLE)
    with conn, conn.cursor() as cur:
        cur.execute("set local timezone = 'UTC'")
        cur.execute(
            sql.SQL("select distinct date_trunc('month', observed_at) from {} order by 1").format(
                source
            )
        )
        months = [row[0] for row in cur.fetchall()]
        created = ensure_month_partitions(conn, months, schema, partition_schema)
        cur.execute(
            sql.SQL("""
                insert into {table}
                    (film_id, metric_code, source, value, normalized_value, time, metadata)
                select
                    film_id, metric_code, source, raw_value, normalized_value, observed_at, detail
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
