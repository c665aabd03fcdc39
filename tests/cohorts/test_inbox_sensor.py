"""The ratings inbox sensor, evaluated with build_sensor_context on the real warehouse."""

from __future__ import annotations

import json
import zipfile

import dagster as dg
import pytest

RATINGS_HEADER = "userId,movieId,rating,timestamp\n"
# 2009-12-14 and 2013-02-13 (UTC): two rating months.
TWO_MONTHS = RATINGS_HEADER + "1,31,2.5,1260759144\n1,1029,3.0,1260759179\n2,1029,4.0,1360759179\n"


@pytest.fixture
def inbox(settings, db):
    folder = settings.ratings_inbox
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    for path in folder.iterdir():
        path.unlink()
    with db.cursor() as cur:
        cur.execute("delete from app.rating_events where source in ('inbox', 'letterboxd')")
        cur.execute("delete from app.cohort_members where cohort_name = 'letterboxd'")
        cur.execute("delete from app.users where source = 'letterboxd'")
    db.commit()


@pytest.fixture
def evaluate(dbt_manifest, instance, settings):
    from orchestration.defs.cohorts import ratings_inbox_sensor
    from orchestration.resources import warehouse_resource

    def run(cursor=None):
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"warehouse": warehouse_resource(settings)}
        )
        return ratings_inbox_sensor(context)

    return run


def events(db, source="inbox"):
    with db.cursor() as cur:
        cur.execute(
            "select source_file, count(*) from app.rating_events where source = %s "
            "group by 1 order by 1",
            (source,),
        )
        return cur.fetchall()


def test_a_file_with_two_months_requests_two_partition_runs_once(inbox, evaluate, db):
    (inbox / "ratings.csv").write_text(TWO_MONTHS)
    result = evaluate()
    assert sorted(r.partition_key for r in result.run_requests) == ["2009-12-01", "2013-02-01"]
    assert len({r.run_key for r in result.run_requests}) == 2
    assert [count for _, count in events(db)] == [3]

    again = evaluate(result.cursor)
    assert again.run_requests == []
    (inbox / "same-content-new-name.csv").write_text(TWO_MONTHS)
    assert evaluate(result.cursor).run_requests == []
    assert [count for _, count in events(db)] == [3]


def test_a_malformed_file_is_skipped_with_file_and_line_and_loads_nothing(inbox, evaluate, db):
    (inbox / "broken.csv").write_text(TWO_MONTHS + "3,1029,x,1360759179\n")
    result = evaluate()
    assert result.run_requests == []
    assert "broken.csv, line 5: rating is not a number: 'x'" in result.skip_reason.skip_message
    assert events(db) == []
    # Reported once: the next tick has nothing new to say.
    assert evaluate(result.cursor).skip_reason is None


def test_a_letterboxd_export_zip_is_loaded_by_its_connector(inbox, evaluate, db):
    export = inbox / "letterboxd-alice.zip"
    with zipfile.ZipFile(export, "w") as bundle:
        bundle.writestr(
            "profile.csv",
            "Date Joined,Username,Favorite Films\n2020-01-01,alice,https://boxd.it/a\n",
        )
        bundle.writestr(
            "watched.csv", "Date,Name,Year,Letterboxd URI\n2015-03-02,Heat,1995,https://boxd.it/a\n"
        )
        bundle.writestr(
            "ratings.csv",
            "Date,Name,Year,Letterboxd URI,Rating\n2015-03-02,Heat,1995,https://boxd.it/a,4.5\n",
        )
    result = evaluate()
    assert [r.partition_key for r in result.run_requests] == ["2015-03-01"]
    assert events(db, "letterboxd") == [("letterboxd:alice", 1)]
    assert json.loads(result.cursor)  # the export's hash is remembered
