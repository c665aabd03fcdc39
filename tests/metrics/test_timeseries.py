"""The append-only, month-partitioned metric time series, on a scratch schema of its own."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from psycopg2.extras import Json

from ml.metrics.timeseries import append_observations
from warehouse.catalog import migrations

SCHEMA = "metrics_test_timeseries"
OBSERVATIONS = (SCHEMA, "observations")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def insert_observations(db, rows) -> None:
    with db.cursor() as cur:
        for film_id, value, time in rows:
            cur.execute(
                f"insert into {SCHEMA}.observations values (%s, 'movielens_rating', 'movielens', "
                "%s, %s / 5.0, %s, %s)",
                (film_id, value, value, time, Json({"ratings": 1})),
            )
    db.commit()


def series_migration() -> str:
    """The catalogue's migration of the series, on the scratch schema instead of ml."""
    (migration,) = [m for m in migrations() if m.name == "metric_timeseries"]
    return re.sub(r"\bml\.", f"{SCHEMA}.", migration.sql)


@pytest.fixture
def scratch(db, scratch_schema):
    with scratch_schema(SCHEMA):
        with db.cursor() as cur:
            cur.execute(series_migration())
            cur.execute(
                f"create table {SCHEMA}.observations "
                "(film_id bigint, metric_code text, source text, raw_value float8, "
                "normalized_value float8, observed_at timestamptz, detail jsonb)"
            )
        db.commit()
        yield db


def append(db):
    return append_observations(db, schema=SCHEMA, observations=OBSERVATIONS)


def test_series_is_partitioned_by_month_and_append_is_idempotent(scratch):
    insert_observations(
        scratch,
        [
            (1, 3.0, utc(2016, 8, 20)),
            (1, 3.5, utc(2016, 9, 25)),
            (1, 4.0, utc(2016, 10, 10)),
            (2, 4.5, utc(2016, 10, 9)),
        ],
    )
    first = append(scratch)
    assert (first.appended, first.partitions_created, first.partitions) == (4, 3, 3)
    with scratch.cursor() as cur:
        cur.execute(
            "select partstrat from pg_partitioned_table where partrelid = %s::regclass",
            (f"{SCHEMA}.metric_timeseries",),
        )
        assert cur.fetchone() == ("r",)  # declarative range partitioning
        cur.execute(f"select count(*) from {SCHEMA}.metric_timeseries_2016_10")
        assert cur.fetchone()[0] == 2  # each row landed in its month's partition
    again = append(scratch)
    assert (again.appended, again.partitions_created, again.series_rows) == (0, 0, 4)


def test_history_is_kept_and_restatements_are_counted_not_rewritten(scratch):
    insert_observations(scratch, [(1, 3.0, utc(2016, 9, 1))])
    append(scratch)
    with scratch.cursor() as cur:
        # the source now says something else for the same time, and adds a new observation
        cur.execute(f"update {SCHEMA}.observations set raw_value = 2.0")
    insert_observations(scratch, [(1, 4.0, utc(2016, 10, 1))])
    result = append(scratch)
    assert (result.appended, result.restated, result.series_rows) == (1, 1, 2)
    with scratch.cursor() as cur:
        cur.execute(f"select value from {SCHEMA}.metric_timeseries order by time")
        assert [row[0] for row in cur.fetchall()] == [3.0, 4.0]


def test_daily_rollup_and_trends_measure_back_from_the_feeds_newest_day(scratch):
    insert_observations(
        scratch,
        [
            (1, 3.0, utc(2016, 9, 1)),  # more than 30 days before the feed's newest day
            (1, 3.5, utc(2016, 9, 28)),  # 12 days before
            (1, 4.0, utc(2016, 10, 10)),  # newest value of film 1
            (1, 4.5, utc(2016, 10, 10, 18)),  # same day, later: the day's last value
            (2, 2.0, utc(2016, 10, 5)),  # first seen inside the window: no change yet
        ],
    )
    append(scratch)
    with scratch.cursor() as cur:
        cur.execute(
            f"select observations, last_value, min_value from {SCHEMA}.metric_timeseries_daily "
            "where film_id = 1 and day = '2016-10-10'"
        )
        assert cur.fetchone() == (2, 4.5, 4.0)
        cur.execute(
            f"select film_id, as_of, value, change_7d, change_30d from {SCHEMA}.metric_trends "
            "order by film_id"
        )
        rows = cur.fetchall()
        cur.execute(f"select film_id, rise_rank from {SCHEMA}.rising_films")
        rising = cur.fetchall()
    as_of = datetime(2016, 10, 10).date()
    assert rows[0] == (1, as_of, 4.5, pytest.approx(1.0), pytest.approx(1.5))
    assert rows[1] == (2, as_of, 2.0, None, None)
    assert rising == [(1, 1)]
