"""The ratings inbox: the sensor, evaluated with build_sensor_context, only detects new files;
the load asset, run for real on the warehouse, loads and reports each file on its own; the
months sensor then requests the monthly runs."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

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
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    with db.cursor() as cur:
        cur.execute("delete from raw._rejects where source = 'inbox'")
        cur.execute("delete from app.rating_events where source in ('inbox', 'letterboxd')")
        cur.execute("delete from app.cohort_members where cohort_name = 'letterboxd'")
        cur.execute("delete from app.users where source = 'letterboxd'")
    db.commit()


@pytest.fixture
def evaluate(dbt_manifest, instance):
    from orchestration.defs.cohorts import ratings_inbox_sensor

    def run(cursor=None):
        return ratings_inbox_sensor(dg.build_sensor_context(instance=instance, cursor=cursor))

    return run


@pytest.fixture
def load(defs, instance):
    """Run the load a sensor's request asks for, for real; return the load's metadata and
    the run requests of the monthly runs that follow it."""
    from orchestration.defs.cohorts import inbox_months_sensor

    def run(request: dg.RunRequest):
        job = defs.resolve_job_def(request.job_name or "inbox_load_job")
        result = job.execute_in_process(
            run_config=request.run_config, instance=instance, tags=request.tags
        )
        assert result.success
        (materialization,) = result.asset_materializations_for_node("app__inbox_ratings")
        (check,) = result.get_asset_check_evaluations()
        months = inbox_months_sensor(dg.build_sensor_context(instance=instance))
        metadata = {name: value.value for name, value in materialization.metadata.items()}
        return metadata, check, list(months or [])

    return run


def events(db, source="inbox"):
    with db.cursor() as cur:
        cur.execute(
            "select source_file, count(*) from app.rating_events where source = %s "
            "group by 1 order by 1",
            (source,),
        )
        return cur.fetchall()


def test_the_sensor_only_detects_and_a_file_with_two_months_requests_two_partition_runs(
    inbox, evaluate, load, db
):
    (inbox / "ratings.csv").write_text(TWO_MONTHS)
    result = evaluate()
    (request,) = result.run_requests
    assert events(db) == []  # detection loads nothing
    metadata, check, months = load(request)
    assert check.passed and metadata["loaded"] == 1
    assert sorted(r.partition_key for r in months) == ["2009-12-01", "2013-02-01"]
    assert len({r.run_key for r in months}) == 2
    assert [count for _, count in events(db)] == [3]

    assert evaluate(result.cursor).run_requests == []
    (inbox / "same-content-new-name.csv").write_text(TWO_MONTHS)
    assert evaluate(result.cursor).run_requests == []


def test_a_malformed_file_is_reported_with_file_and_line_and_the_others_load(
    inbox, evaluate, load, db
):
    (inbox / "broken.csv").write_text(TWO_MONTHS + "3,1029,x,1360759179\n")
    (inbox / "good.csv").write_text(TWO_MONTHS)
    result = evaluate()
    (request,) = result.run_requests
    metadata, check, months = load(request)
    assert (metadata["loaded"], metadata["not_loaded"]) == (1, 1)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    problem = "broken.csv, line 5: rating is not a number: 'x'"
    rejected = [f["name"] for f in metadata["files"] if f["problem"] and problem in f["problem"]]
    assert rejected == ["broken.csv"]
    assert [name.split("#")[0] for name, _ in events(db)] == ["good.csv"]
    assert sorted(r.partition_key for r in months) == ["2009-12-01", "2013-02-01"]
    # Seen once: the next tick has nothing new to request.
    assert evaluate(result.cursor).run_requests == []


def test_a_letterboxd_export_zip_is_loaded_by_its_connector(inbox, evaluate, load, db):
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
    assert json.loads(result.cursor)  # the export's hash is remembered
    (request,) = result.run_requests
    metadata, _, months = load(request)
    assert [r.partition_key for r in months] == ["2015-03-01"]
    assert events(db, "letterboxd") == [("letterboxd:alice", 1)]


def _letterboxd_zip(path, username=b"alice", title=b"Heat"):
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("profile.csv", b"Date Joined,Username\n2020-01-01," + username + b"\n")
        bundle.writestr("watched.csv", b"Date,Name,Year,Letterboxd URI\n")
        bundle.writestr(
            "ratings.csv",
            b"Date,Name,Year,Letterboxd URI,Rating\n2015-03-02,"
            + title
            + b",1995,https://boxd.it/a,4.5\n",
        )
    return path


def _hostile_inbox(inbox):
    """One good file, one good file with a BOM, and every kind of file that once stopped the
    inbox; the value is the line the quarantine names (None where no line applies)."""
    (inbox / "good.csv").write_text(TWO_MONTHS)
    (inbox / "bom.csv").write_bytes(b"\xef\xbb\xbf" + TWO_MONTHS.replace("1,", "7,").encode())
    (inbox / "long-line.csv").write_text(RATINGS_HEADER + "1,31," + "9" * 200_000 + ",1260759144\n")
    (inbox / "big-id.csv").write_text(RATINGS_HEADER + "3000000000,31,2.5,1260759144\n")
    (inbox / "a-folder").mkdir()
    (inbox / "a-folder" / "notes.txt").write_text("not an export")
    (inbox / "empty.csv").write_text("")
    _letterboxd_zip(inbox / "latin1.zip", title="Amélie".encode("latin-1"))
    _letterboxd_zip(inbox / "long-name.zip", username=b"x" * 20_000)
    crc = _letterboxd_zip(inbox / "bad-crc.zip")
    crc.write_bytes(crc.read_bytes().replace(b"2015-03-02,Heat", b"2015-03-02,Hea7", 1))
    inner = _letterboxd_zip(inbox.parent / "inner.zip").read_bytes()
    with zipfile.ZipFile(inbox / "nested.zip", "w") as bundle:
        bundle.writestr("export.zip", inner)
    return {
        "long-line.csv": 2,
        "big-id.csv": 2,
        "a-folder": None,
        "empty.csv": 1,
        "latin1.zip": 2,
        "long-name.zip": 2,
        "bad-crc.zip": None,
        "nested.zip": None,
    }


def test_every_bad_file_is_quarantined_and_the_good_ones_load_once(inbox, evaluate, load, db):
    expected = _hostile_inbox(inbox)
    result = evaluate()
    (request,) = result.run_requests
    metadata, check, _ = load(request)
    assert (metadata["loaded"], metadata["not_loaded"]) == (2, len(expected))
    assert not check.passed
    assert [name.split("#")[0] for name, _ in events(db)] == ["bom.csv", "good.csv"]
    assert [count for _, count in events(db)] == [3, 3]
    assert events(db, "letterboxd") == []

    rejected = inbox / "rejected"
    assert sorted(p.name for p in inbox.iterdir()) == ["bom.csv", "good.csv", "rejected"]
    for name, line in expected.items():
        assert (rejected / name).exists(), name
        reason = (rejected / f"{name}.reason").read_text()
        assert f"file: {name}\n" in reason and f"line: {line or 'unknown'}\n" in reason, reason
        assert "Traceback" not in reason
    with db.cursor() as cur:
        cur.execute(
            "select split_part(source_file, '#', 1), row_number from raw._rejects "
            "where source = 'inbox' order by 1"
        )
        assert cur.fetchall() == sorted((name, line or 0) for name, line in expected.items())

    # The cursor moved on: nothing is retried, and nothing loads twice.
    assert evaluate(result.cursor).run_requests == []
    # A corrected file (new content) is new; a quarantined file put back unchanged is not.
    (inbox / "big-id.csv").write_text(RATINGS_HEADER + "300,31,2.5,1260759144\n")
    shutil.copy(rejected / "empty.csv", inbox / "empty.csv")
    (again,) = evaluate(result.cursor).run_requests
    assert [Path(f["path"]).name for f in _files(again)] == ["big-id.csv"]
    metadata, check, _ = load(again)
    assert metadata["loaded"] == 1 and check.passed
    assert len(events(db)) == 3


def _files(request):
    return request.run_config["ops"]["app__inbox_ratings"]["config"]["files"]


def test_a_rating_dated_before_the_first_partition_requests_the_first_partition(
    inbox, evaluate, load, db
):
    from orchestration.partitions import RATINGS_START

    # 1990-06-01: before the monthly partitions start; its reject lands in the first one.
    (inbox / "old.csv").write_text(RATINGS_HEADER + "1,31,2.5,644198400\n")
    (request,) = evaluate().run_requests
    metadata, _, months = load(request)
    assert metadata["months"] == ["1990-06-01"]
    assert [r.partition_key for r in months] == [RATINGS_START]


def test_the_dbt_first_rating_month_is_the_first_partition():
    import yaml

    from orchestration.partitions import RATINGS_START
    from orchestration.settings import DBT_PROJECT_DIR

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert project["vars"]["first_rating_month"] == RATINGS_START
