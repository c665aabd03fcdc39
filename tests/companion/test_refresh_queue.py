"""The refresh queue on the real warehouse: the triggers fill it and collapse duplicates, the
sensor requests one run per high-water mark, and bad input writes nothing."""

from __future__ import annotations

import dagster as dg
import pytest
from psycopg2.extras import Json

from orchestration.cli import main

USER, OTHER = 9_900_001, 9_900_002


def _clean(db):
    with db.cursor() as cur:
        cur.execute("delete from app.rating_events where user_id in (%s, %s)", (USER, OTHER))
        cur.execute("delete from app.conversations where user_id in (%s, %s)", (USER, OTHER))
        cur.execute("delete from app.recommendation_refresh_queue")
    db.commit()


@pytest.fixture
def queue(db):
    _clean(db)
    yield
    _clean(db)


def rate(db, user, row, rating=4.0):
    with db.cursor() as cur:
        cur.execute(
            "insert into app.rating_events (source, source_file, source_row, user_id, movie_id, "
            "rating, event_at) values ('test', 'queue', %s, %s, 1, %s, now())",
            (row, user, rating),
        )
    db.commit()


def say(db, user, film_id=None):
    with db.cursor() as cur:
        cur.execute(
            "insert into app.conversations (user_id, film_id, conversation_type, said, learned, "
            "significance, extractor, extractor_version) "
            "values (%s, %s, 'mood_request', 'something cosy', %s, 0.5, 'offline', 'offline-1')",
            (user, film_id, Json({"conversation_type": "mood_request", "preferences": []})),
        )
    db.commit()


def queued(db):
    with db.cursor() as cur:
        cur.execute(
            "select user_id, trigger_type, film_id, queued_at "
            "from app.recommendation_refresh_queue order by user_id"
        )
        return cur.fetchall()


def test_ratings_and_messages_enqueue_and_duplicates_collapse(queue, db):
    rate(db, USER, 1)
    ((user, trigger, film, first),) = queued(db)
    assert (user, trigger, film) == (USER, "new_rating", None)
    rate(db, USER, 2)
    say(db, USER, film_id=42)
    ((user, trigger, film, latest),) = queued(db)  # one row per user
    assert (user, trigger, film) == (USER, "chat_learning", 42)
    assert latest > first
    rate(db, OTHER, 3)
    assert [row[:2] for row in queued(db)] == [(USER, "chat_learning"), (OTHER, "new_rating")]


@pytest.fixture
def tick(dbt_manifest, instance, settings):
    from orchestration.defs.companion import companion_refresh_sensor
    from orchestration.resources import warehouse_resource

    def run(cursor=None):
        context = dg.build_sensor_context(
            instance=instance,
            cursor=cursor,
            resources={"warehouse": warehouse_resource(settings)},
        )
        return companion_refresh_sensor(context)

    return run


def test_the_sensor_requests_one_run_per_high_water_mark(queue, db, tick):
    assert isinstance(tick(), dg.SkipReason)  # empty queue
    rate(db, USER, 1)
    rate(db, OTHER, 2)
    first = tick()
    (request,) = first.run_requests
    assert request.run_config["ops"]["companion_picks"]["config"]["users"] == [USER, OTHER]
    again = tick(first.cursor)
    assert isinstance(again, dg.SkipReason)  # nothing newer: nothing requested
    rate(db, USER, 3)
    (newer,) = tick(first.cursor).run_requests
    assert newer.run_key != request.run_key


def count(db, table):
    with db.cursor() as cur:
        cur.execute(f"select count(*) from {table}")  # our constant names
        return cur.fetchone()[0]


@pytest.mark.parametrize(
    "argv, error",
    [
        (["tell", "--user", str(USER), "   "], "the message is empty"),
        (["tell", "--user", str(USER), "x" * 2001], "at most 2000"),
        (["rate", "--user", str(USER), "--movie-id", "1", "--rating", "5.5"], "0.5 to 5"),
        (["rate", "--user", str(USER), "--movie-id", "1", "--rating", "3.3"], "half stars"),
        (["rate", "--user", str(USER), "--movie-id", "1", "--rating", "0"], "0.5 to 5"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(queue, db, capsys, argv, error):
    tables = ("app.rating_events", "app.conversations", "app.recommendation_refresh_queue")
    before = [count(db, t) for t in tables]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse refuses a bad option value itself
        code = exit_.code
    assert code == 2
    message = capsys.readouterr().err.strip()
    assert error in message and "\n" not in message
    assert [count(db, t) for t in tables] == before


def fake_picks(user, n=3, confidence=0.7):
    import pandas as pd

    from ml.companion.picks import PICK_COLUMNS

    rows = [
        {
            "user_id": user,
            "film_id": 100 + rank,
            "rank": rank,
            "predicted_rating": 4.0,
            "confidence": confidence,
            "score": 0.5,
            "reason": "Because you rated a test film 5 stars",
            "discovery_source": "similar_to_rated",
            "anchor_film_id": 1,
            "anchor_person_id": None,
            "anchor_user_id": None,
            "anchor_conversation_id": None,
            "model_version": "test",
        }
        for rank in range(1, n + 1)
    ]
    return pd.DataFrame(rows, columns=PICK_COLUMNS).astype({"anchor_person_id": "Int64"})


@pytest.fixture
def picks_cleanup(db):
    yield
    with db.cursor() as cur:
        cur.execute("delete from ml.personal_picks where user_id in (%s, %s)", (USER, OTHER))
        cur.execute("delete from app.taste_profiles where user_id in (%s, %s)", (USER, OTHER))
    db.commit()


def picks_of(db, user):
    with db.cursor() as cur:
        cur.execute(
            "select film_id from ml.personal_picks where user_id = %s order by rank", (user,)
        )
        return [row[0] for row in cur.fetchall()]


def test_a_failed_refresh_leaves_the_previous_picks_and_the_queue(queue, picks_cleanup, db):
    from ml.companion.store import replace_picks

    rate(db, USER, 1)
    assert replace_picks(db, fake_picks(USER), {USER: {"rated": {}}}, [USER], None) == 3
    assert picks_of(db, USER) == [101, 102, 103] and queued(db) == []
    rate(db, USER, 2)
    broken = fake_picks(USER, n=5, confidence=2.0)  # violates the confidence check mid-write
    with pytest.raises(Exception, match="confidence"):
        replace_picks(db, broken, {}, [USER], None)
    assert picks_of(db, USER) == [101, 102, 103]
    assert [row[0] for row in queued(db)] == [USER]


def test_a_refresh_waits_for_another_refresh_of_the_same_user(queue, picks_cleanup, db, warehouse):
    import threading

    from ml.companion.store import PICKS_LOCK_NAMESPACE, replace_picks
    from orchestration.warehouse import connect

    holder = connect(warehouse)
    with holder.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(%s, %s)", (PICKS_LOCK_NAMESPACE, USER))
    done = threading.Event()

    def second():
        conn = connect(warehouse)
        replace_picks(conn, fake_picks(USER, n=2), {}, [USER], None)
        conn.close()
        done.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not done.wait(1.0)  # blocked while the first refresh holds the user's lock
    holder.commit()
    holder.close()
    assert done.wait(30)
    thread.join()
    assert picks_of(db, USER) == [101, 102]


def test_the_companion_is_wired_on_by_default_and_published_by_dbt(defs):
    sensor = defs.resolve_sensor_def("companion_refresh_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    schedules = {s.name: s.cron_schedule for s in defs.schedules}
    assert schedules["companion_quick"] == "*/15 * * * *"
    assert schedules["companion_hourly"] == "5 * * * *"
    graph = defs.resolve_asset_graph()
    picks = dg.AssetKey(["ml", "personal_picks"])
    assert picks in graph.get(dg.AssetKey(["staging", "stg_ml__personal_picks"])).parent_keys
    assert dg.AssetKey(["ml", "companion_model"]) in graph.get(picks).parent_keys
    checks = {c.name for c in graph.asset_check_keys if c.asset_key == picks}
    assert {"every_rater_has_picks", "no_pick_already_rated"} <= checks
