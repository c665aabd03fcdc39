"""The append-only, month-partitioned metric time series, on scratch schemas of its own (one
for the series, one for its month partitions, as `ml` and `ml_partitions`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import psycopg2
import pytest
from psycopg2.extras import Json

from ml.metrics.timeseries import PARTITION_SCHEMA, append_observations, ensure_month_partitions
from orchestration.settings import CONSOLE_ROLE
from warehouse.catalog import migrations

SCHEMA = "metrics_test_timeseries"
PARTITIONS = "metrics_test_timeseries_parts"
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


def scratch_migration(name: str) -> str:
    """A catalogue migration of the series, on the scratch schemas instead of ml and
    ml_partitions."""
    (migration,) = [m for m in migrations() if m.name == name]
    on_scratch = re.sub(r"\bml\.", f"{SCHEMA}.", migration.sql)
    return re.sub(rf"\b{PARTITION_SCHEMA}\b", PARTITIONS, on_scratch)


def partition_schemas(db, table: str) -> dict[str, int]:
    """How many partitions of `table` each schema holds."""
    with db.cursor() as cur:
        cur.execute(
            """
            select ns.nspname, count(*)
            from pg_inherits as inh
            inner join pg_class as cls on inh.inhrelid = cls.oid
            inner join pg_namespace as ns on cls.relnamespace = ns.oid
            where inh.inhparent = %s::regclass
            group by ns.nspname
            """,
            (table,),
        )
        return dict(cur.fetchall())


@pytest.fixture
def scratch(db, scratch_schema):
    with scratch_schema(SCHEMA), scratch_schema(PARTITIONS):
        with db.cursor() as cur:
            cur.execute(scratch_migration("metric_timeseries"))
            cur.execute(
                f"create table {SCHEMA}.observations "
                "(film_id bigint, metric_code text, source text, raw_value float8, "
                "normalized_value float8, observed_at timestamptz, detail jsonb)"
            )
        db.commit()
        yield db


def append(db, partition_schema: str = PARTITIONS):
    return append_observations(
        db, schema=SCHEMA, observations=OBSERVATIONS, partition_schema=partition_schema
    )


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
        cur.execute(f"select count(*) from {PARTITIONS}.metric_timeseries_2016_10")
        assert cur.fetchone()[0] == 2  # each row landed in its month's partition
        cur.execute(f"select count(*) from {SCHEMA}.metric_timeseries")
        assert cur.fetchone()[0] == 4  # and the parent reads every month
    # the partitions sit in their own schema; the series' schema keeps only its relations
    assert partition_schemas(scratch, f"{SCHEMA}.metric_timeseries") == {PARTITIONS: 3}
    again = append(scratch)
    assert (again.appended, again.partitions_created, again.series_rows) == (0, 0, 4)
    assert partition_schemas(scratch, f"{SCHEMA}.metric_timeseries") == {PARTITIONS: 3}


def test_the_migration_moves_the_partitions_an_earlier_install_made_beside_the_series(scratch):
    insert_observations(scratch, [(1, 3.0, utc(2016, 9, 20)), (2, 4.0, utc(2016, 10, 9))])
    append(scratch, partition_schema=SCHEMA)  # where partitions were created before 0016
    assert partition_schemas(scratch, f"{SCHEMA}.metric_timeseries") == {SCHEMA: 2}
    with scratch.cursor() as cur:
        cur.execute(scratch_migration("ml_partitions_schema"))
        cur.execute(scratch_migration("ml_partitions_schema"))  # a second run moves nothing
        cur.execute(f"select count(*) from {SCHEMA}.metric_timeseries")
        assert cur.fetchone()[0] == 2
        cur.execute(f"select count(*) from {PARTITIONS}.metric_timeseries_2016_09")
        assert cur.fetchone()[0] == 1
        cur.execute("select obj_description(%s::regnamespace, 'pg_namespace')", (PARTITIONS,))
        assert "Storage only" in cur.fetchone()[0]
    scratch.commit()
    assert partition_schemas(scratch, f"{SCHEMA}.metric_timeseries") == {PARTITIONS: 2}
    # appends after the move find the moved months and add only the new ones
    insert_observations(scratch, [(1, 3.5, utc(2016, 11, 2))])
    later = append(scratch)
    assert (later.appended, later.partitions_created, later.partitions) == (1, 1, 3)
    assert partition_schemas(scratch, f"{SCHEMA}.metric_timeseries") == {PARTITIONS: 3}


def test_the_console_reads_the_series_through_its_parent_with_no_grant_on_a_partition(db):
    """The production layout: a month partition in ml_partitions, read as console_app."""
    with db.cursor() as cur:
        assert ensure_month_partitions(db, [utc(1900, 1, 1)]) == 1  # rolled back below
        cur.execute(
            "insert into ml.metric_timeseries (film_id, metric_code, source, value, time) "
            "values (1, 'probe', 'probe', 1.0, '1900-01-15')"
        )
        assert partition_schemas(db, "ml.metric_timeseries").keys() == {PARTITION_SCHEMA}
        cur.execute(f"set local role {CONSOLE_ROLE}")
        cur.execute("select count(*) from ml.metric_timeseries where time < '1901-01-01'")
        assert cur.fetchone()[0] == 1
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(f"select count(*) from {PARTITION_SCHEMA}.metric_timeseries_1900_01")
    db.rollback()


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
