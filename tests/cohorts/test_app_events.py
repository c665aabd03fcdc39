"""App event tables and the MovieLens-format file reader, on the real warehouse."""

from __future__ import annotations

import pytest

from ingest import app_events


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.nodb
def test_a_malformed_file_names_its_line(tmp_path):
    path = write(
        tmp_path / "bad.csv",
        "userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,abc,3.0,1260759179\n",
    )
    with pytest.raises(
        app_events.MalformedFileError, match=r"bad\.csv, line 3: movieId is not a number"
    ):
        app_events.read_movielens_file(path)
    short = write(tmp_path / "short.csv", "userId,movieId,rating,timestamp\n1,31,2.5\n")
    with pytest.raises(app_events.MalformedFileError, match=r"line 2: expected 4 fields, found 3"):
        app_events.read_movielens_file(short)
    wrong = write(tmp_path / "wrong.csv", "user,movie,rating,timestamp\n1,31,2.5,1260759144\n")
    with pytest.raises(app_events.MalformedFileError, match=r"line 1: required column 'userId'"):
        app_events.read_movielens_file(wrong)


@pytest.mark.nodb
def test_bad_ratings_load_as_events_for_the_rejects_table(tmp_path):
    """7 and 3.3 stars type as numbers: they load, and fct_ratings rejects them with a reason."""
    path = write(
        tmp_path / "odd.csv",
        "userId,movieId,rating,timestamp\n1,31,7,1260759144\n1,32,3.3,1260759179\n",
    )
    frame = app_events.read_movielens_file(path)
    assert frame["rating"].tolist() == [7.0, 3.3]
    assert app_events.rating_months(frame["event_at"]) == ["2009-12-01"]


def test_loading_a_file_twice_replaces_its_events(db, tmp_path):
    path = write(
        tmp_path / "twice.csv",
        "userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n2,31,4.0,1360759144\n",
    )
    frame = app_events.read_movielens_file(path)
    try:
        first = app_events.load_rating_events(db, frame, "test", "twice.csv")
        again = app_events.load_rating_events(db, frame.head(1), "test", "twice.csv")
        with db.cursor() as cur:
            cur.execute("select user_id, rating from app.rating_events where source = 'test'")
            rows = cur.fetchall()
        assert first.months == ["2009-12-01", "2013-02-01"] and again.months == ["2009-12-01"]
        assert rows == [(1, 2.5)]
    finally:
        with db.cursor() as cur:
            cur.execute("delete from app.rating_events where source = 'test'")
        db.commit()


def test_app_users_get_ids_that_never_collide_with_movielens(db):
    try:
        first = app_events.register_user(db, "test:alice", "test")
        second = app_events.register_user(db, "test:bob", "test")
        assert first >= app_events.APP_USER_ID_START and second == first + 1
        assert app_events.register_user(db, "test:alice", "test") == first
    finally:
        with db.cursor() as cur:
            cur.execute("delete from app.users where source = 'test'")
        db.commit()
