"""The COPY loader against the real warehouse: idempotent, transactional, slice-replacing."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.loader import Slice, load, restrict
from ingest.schema import Parsed, RawTable, rejects_frame

THINGS = RawTable(
    name="test_loader__things",
    columns={
        "thing_id": "integer",
        "label": "text",
        "seen_at": "timestamptz",
        "score": "double precision",
    },
    key=("thing_id",),
    description="A table only the loader tests use.",
)


def _parsed(rows: list[tuple], rejects: list[tuple] = ()) -> Parsed:
    frame = pd.DataFrame(rows, columns=list(THINGS.columns)).astype(
        {"thing_id": "Int64", "label": "string", "score": "float64"}
    )
    frame["seen_at"] = pd.to_datetime(frame["seen_at"], utc=True)
    return Parsed(THINGS, frame, "things.csv", rejects_frame(list(rejects)))


def _table(db) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute(
            "select thing_id, label, seen_at, score, _row_hash, _loaded_at "
            "from raw.test_loader__things order by thing_id"
        )
        return cur.fetchall()


@pytest.fixture
def clean(db):
    with db.cursor() as cur:
        cur.execute("drop table if exists raw.test_loader__things")
        cur.execute("delete from raw._rejects where source = %s", (THINGS.name,))
    db.commit()
    return db


ROWS = [
    (1, "tab\there", "2020-01-05", 1.5),
    (2, 'quote " and, comma', "2020-01-20", None),
    (3, "new\nline", "2020-02-03", 3.0),
    (4, "", "2020-02-10", -1.0),
]


def test_loading_twice_gives_the_same_rows(clean):
    first = load(clean, _parsed(ROWS, [(7, "x,y", "wrong field count: 2 of 4")]))
    before = _table(clean)
    second = load(clean, _parsed(ROWS, [(7, "x,y", "wrong field count: 2 of 4")]))
    assert (first.inserted, first.rejects) == (4, 1)
    assert (second.inserted, second.updated, second.deleted) == (0, 0, 0)
    assert _table(clean) == before  # _loaded_at included: unchanged rows are not rewritten
    labels = [row[1] for row in before]
    assert labels == ["tab\there", 'quote " and, comma', "new\nline", ""]  # "" is not NULL
    assert before[1][3] is None
    with clean.cursor() as cur:
        cur.execute("select row_number, reason from raw._rejects where source = %s", (THINGS.name,))
        assert cur.fetchall() == [(7, "wrong field count: 2 of 4")]


def test_replace_by_key_updates_changed_rows_and_deletes_vanished_ones(clean):
    load(clean, _parsed(ROWS))
    changed = [ROWS[0], (2, "renamed", "2020-01-20", 2.0), ROWS[2]]
    result = load(clean, _parsed(changed))
    assert (result.inserted, result.updated, result.deleted) == (0, 1, 1)
    assert [row[1] for row in _table(clean)] == ["tab\there", "renamed", "new\nline"]


def test_a_failing_load_leaves_the_previous_table_intact(clean):
    load(clean, _parsed(ROWS))
    before = _table(clean)
    broken = _parsed([(9, "ok", "2020-03-01", 1.0)])
    broken.frame["score"] = broken.frame["score"].astype(object)
    broken.frame.loc[0, "score"] = "not a number"  # COPY rejects it mid-transaction
    with pytest.raises(Exception, match="double precision"):
        load(clean, broken)
    assert _table(clean) == before


def test_duplicate_keys_are_refused_before_anything_is_written(clean):
    with pytest.raises(ValueError, match="share a key"):
        load(clean, _parsed([ROWS[0], ROWS[0]]))
    with clean.cursor() as cur:
        cur.execute("select to_regclass('raw.test_loader__things')")
        assert cur.fetchone()[0] is None


def test_a_slice_load_replaces_exactly_its_month(clean):
    load(clean, _parsed(ROWS))
    january = Slice(
        "seen_at", pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2020-02-01", tz="UTC")
    )
    new_january = restrict(
        _parsed([(1, "jan only", "2020-01-07", 9.0), (3, "x", "2020-02-03", 0.0)]), january
    )
    assert len(new_january.frame) == 1
    result = load(clean, new_january, january)
    rows = _table(clean)
    assert [row[0] for row in rows] == [
        1,
        3,
        4,
    ]  # 2 (January, vanished) deleted; February untouched
    assert rows[0][1] == "jan only" and result.deleted == 1
    with pytest.raises(ValueError, match="outside the slice"):
        load(clean, _parsed([(5, "feb", "2020-02-01", 1.0)]), january)


def _lineage(db) -> tuple:
    with db.cursor() as cur:
        cur.execute(
            "select count(distinct _loaded_at), min(_source_file), max(_source_file), "
            "count(*) filter (where _loaded_at is null) from raw.test_loader__things"
        )
        stamps = cur.fetchone()
        cur.execute(
            "select count(*) from information_schema.columns where table_schema = 'raw' "
            "and table_name = 'test_loader__things' and column_default is not null"
        )
        return (*stamps, cur.fetchone()[0])


def test_every_row_is_stamped_and_no_column_default_is_left_behind(clean):
    load(clean, _parsed(ROWS))  # a first load: straight COPY, lineage as transient defaults
    assert _lineage(clean) == (1, "things.csv", "things.csv", 0, 0)
    changed = _parsed([ROWS[0], (5, "new", "2020-03-01", 5.0)])
    changed.source_file = "things-v2.csv"
    load(clean, changed)  # a re-load: the upsert stamps the rows it writes
    with clean.cursor() as cur:
        cur.execute("select thing_id, _source_file from raw.test_loader__things order by 1")
        assert cur.fetchall() == [(1, "things.csv"), (5, "things-v2.csv")]
    assert _lineage(clean)[3:] == (0, 0)


def test_zoned_timestamps_land_at_the_same_instant(clean):
    parsed = _parsed(ROWS[:1])
    parsed.frame["seen_at"] = pd.Series(
        [pd.Timestamp("2020-01-05 01:30:00.123456", tz="Europe/Paris")]
    )
    load(clean, parsed)
    assert _table(clean)[0][2] == pd.Timestamp("2020-01-05 00:30:00.123456", tz="UTC")
