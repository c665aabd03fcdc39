"""The companion end to end on the materialised demo warehouse: picks for every rater, the
indexed read and its fallback, the sensor draining the queue with a real run, `tell`,
ratings entered through the CLI path, and bad input."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.cli import main

pytestmark = pytest.mark.slow
UNKNOWN_USER = 424_242


@pytest.fixture
def user(materialized, db):
    """A rater with picks, and their queue row, conversations and CLI ratings cleaned up."""
    with db.cursor() as cur:
        cur.execute("select min(user_id) from ml.personal_picks")
        user_id = cur.fetchone()[0]
    db.rollback()
    yield user_id
    with db.cursor() as cur:
        cur.execute(
            "delete from app.rating_events where source = 'cli' and user_id = %s", (user_id,)
        )
        cur.execute("delete from app.conversations where user_id = %s", (user_id,))
        cur.execute("delete from app.recommendation_refresh_queue")
    db.commit()


@pytest.fixture
def tick(instance, settings):
    from orchestration.defs.companion import companion_refresh_sensor
    from orchestration.resources import warehouse_resource

    def run(cursor=None):
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"warehouse": warehouse_resource(settings)}
        )
        return companion_refresh_sensor(context)

    return run


def one(db, query, params=()):
    with db.cursor() as cur:
        cur.execute(query, params)
        row = cur.fetchone()
    db.rollback()
    return row


def test_every_rater_has_picks_none_rated_and_the_model_beats_the_baseline(materialized, db):
    from orchestration.defs.companion import PICK_CHECKS_SQL

    for query in PICK_CHECKS_SQL.values():
        assert one(db, query) == (0,)
    (metrics,) = one(
        db,
        "select metrics from ml.model_runs where model_name = 'companion_rating_model' "
        "order by created_at desc limit 1",
    )
    assert metrics["rmse_holdout"] < metrics["rmse_bias_baseline"]
    assert one(db, "select count(*) from marts.personal_picks")[0] > 0


def test_the_picks_read_is_one_indexed_lookup(user, db):
    from ml.companion.store import PICKS_QUERY
    from serving import companion as api

    result = api.picks(db, user)
    assert result.status == "fresh" and not result.fallback
    assert 0 < len(result.picks) <= 12
    assert result.picks["reason"].str.len().gt(0).all()
    with db.cursor() as cur:
        cur.execute("explain " + PICKS_QUERY, (user,))
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "personal_picks_pkey" in plan


def test_missing_picks_fall_back_at_once_flagged_and_enqueue(user, db):
    from serving import companion as api

    with db.cursor() as cur:
        cur.execute("delete from ml.personal_picks where user_id = %s", (user,))
    db.commit()
    result = api.picks(db, user)
    assert (result.status, result.fallback) == ("missing", True)
    assert len(result.picks) > 0
    assert set(result.picks["discovery_source"]) == {"cohort_top"}
    rated = one(
        db,
        "select count(*) from marts.fct_ratings where user_id = %s and film_id = any(%s)",
        (user, result.picks["film_id"].astype(int).tolist()),
    )
    assert rated == (0,)
    assert one(
        db, "select trigger_type from app.recommendation_refresh_queue where user_id = %s", (user,)
    ) == ("stale",)


def test_the_sensor_drains_the_queue_with_a_real_run(user, db, defs, instance, tick):
    from serving import companion as api

    with db.cursor() as cur:
        cur.execute("delete from ml.personal_picks where user_id = %s", (user,))
    db.commit()
    api.picks(db, user)  # missing: queues the user
    first = tick()
    (request,) = first.run_requests
    job = defs.resolve_job_def("companion_refresh_job")
    result = job.execute_in_process(run_config=request.run_config, instance=instance)
    assert result.success
    assert one(db, "select count(*) from app.recommendation_refresh_queue") == (0,)
    assert api.picks(db, user).status == "fresh"
    assert isinstance(tick(first.cursor), dg.SkipReason)


def test_tell_stores_extracts_updates_the_profile_and_enqueues(user, db):
    from serving import companion as api

    told = api.tell(db, user, "I loved the visuals but it was way too slow")
    learned = {(p["dimension"], p["polarity"]) for p in told.extraction["preferences"]}
    assert ("pacing", -1) in learned
    stored = one(
        db,
        "select said, extractor from app.conversations where conversation_id = %s",
        (told.conversation_id,),
    )
    assert stored == ("I loved the visuals but it was way too slow", "offline")
    (profile,) = one(db, "select preferences from app.taste_profiles where user_id = %s", (user,))
    assert told.conversation_id in profile["said"]["pacing"][0]["evidence"]["conversation_ids"]
    assert profile["rated"]["genres"]
    assert one(
        db, "select trigger_type from app.recommendation_refresh_queue where user_id = %s", (user,)
    ) == ("chat_learning",)


def test_a_cli_rating_enqueues_and_the_refresh_drops_the_rated_film(user, db):
    from ml.companion.refresh import refresh
    from orchestration.defs.companion import serving_model

    film_id, movie_id = one(
        db,
        "select picks.film_id, sources.source_key::integer from ml.personal_picks as picks "
        "inner join marts.bridge_film_sources as sources "
        "on sources.film_id = picks.film_id and sources.source = 'movielens' "
        "where picks.user_id = %s order by picks.rank limit 1",
        (user,),
    )
    argv = ["rate", "--user", str(user), "--movie-id", str(movie_id), "--rating", "4.5"]
    assert main(argv) == 0
    assert one(
        db, "select trigger_type from app.recommendation_refresh_queue where user_id = %s", (user,)
    ) == ("new_rating",)
    refresh(db, serving_model(db), [user])
    assert one(
        db,
        "select count(*) from ml.personal_picks where user_id = %s and film_id = %s",
        (user, film_id),
    ) == (0,)
    assert one(db, "select count(*) from app.recommendation_refresh_queue") == (0,)


def test_unknown_user_or_film_is_one_line_exit_2_and_writes_nothing(user, db, capsys):
    tables = ("app.conversations", "app.recommendation_refresh_queue", "app.taste_profiles")
    before = [one(db, f"select count(*) from {t}") for t in tables]
    for argv in (
        ["tell", "--user", str(UNKNOWN_USER), "something cosy"],
        ["tell", "--user", str(user), "loved it", "--film", "No Such Film Ever 1234"],
        ["picks", "--user", str(UNKNOWN_USER)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("cinegraph: ") and "\n" not in err
    assert [one(db, f"select count(*) from {t}") for t in tables] == before
