"""Feedback, experiments and learned profiles on the real warehouse: validation that writes
nothing on bad input, stable assignments stored on first exposure, the analysis asset and its
sample-ratio check, the CLI, and (slow, on the demo build) the learned profiles asset."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest

from ingest.feedback import Feedback, record_feedback
from ml.experiments import GRAVITAS_PICKS, ExperimentDesign, assign
from ml.experiments.store import (
    create_experiment,
    get_experiment,
    record_exposure,
    stop_experiment,
)
from orchestration.cli import main

RESULTS = dg.AssetKey(["ml", "experiment_results"])
LEARNED = dg.AssetKey(["ml", "learned_weight_profiles"])


def _count(db, query: str, params=()) -> int:
    with db.cursor() as cur:
        cur.execute(query, params)
        count = cur.fetchone()[0]
    db.commit()
    return count


def _design(prefix: str, allocation=(0.5, 0.5)) -> ExperimentDesign:
    return ExperimentDesign(
        f"{prefix}_{uuid.uuid4().hex[:8]}", ("plain", "gravitas"), allocation, "rate",
        mde=0.05, baseline_rate=0.3,
    )  # fmt: skip


def _materialize(defs, instance, key):
    return dg.materialize(
        [*defs.assets, *(defs.asset_checks or [])],
        selection=dg.AssetSelection.assets(key),
        resources=defs.resources,
        instance=instance,
    )


def _metadata(result, key) -> dict:
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
    return event.materialization.metadata


def test_a_batch_with_one_bad_row_writes_nothing(db):
    before = _count(db, "select count(*) from app.feedback_events")
    good = Feedback(7, 11, "pick_clicked", context={"surface": "companion", "arm": "plain"})
    with pytest.raises(ValueError, match=r"row 2: a rating is 0.5 to 5 stars"):
        record_feedback(db, [good, Feedback(7, 11, "rated", 7.0)])
    with pytest.raises(ValueError, match=r"row 1: kind must be one of"):
        record_feedback(db, [Feedback(7, 11, "loved")])
    with pytest.raises(ValueError, match=r"unknown context keys \['colour'\]"):
        record_feedback(db, [Feedback(7, 11, "liked", context={"colour": "red"})])
    assert _count(db, "select count(*) from app.feedback_events") == before
    assert record_feedback(db, [good, Feedback(7, 11, "rated", 4.5)]) == 2
    assert _count(db, "select count(*) from app.feedback_events") == before + 2


def test_feedback_view_reads_rating_events_without_a_copy(db):
    source_file = f"test-{uuid.uuid4().hex}"
    with db, db.cursor() as cur:
        cur.execute(
            "insert into app.rating_events (source, source_file, source_row, user_id, movie_id, "
            "rating, liked, event_at) values ('test', %s, 1, 3, 1, 4.0, true, now())",
            (source_file,),
        )
    kinds = _count(
        db,
        "select count(distinct kind) from app.feedback as feedback "
        "join app.rating_events as events using (event_id) "
        "where feedback.origin = 'rating_events' and events.source_file = %s",
        (source_file,),
    )
    assert kinds == 2  # rated and liked, read through the view
    with db, db.cursor() as cur:
        cur.execute("delete from app.rating_events where source_file = %s", (source_file,))


def test_the_first_experiment_is_the_gravitas_picks_design(db):
    assert get_experiment(db, "gravitas_picks").design == GRAVITAS_PICKS


def test_assignment_is_stored_on_first_exposure_and_stays(db):
    design = _design("stable")
    create_experiment(db, design, "gravitas picks get clicked more", "pick_clicked")
    with pytest.raises(ValueError, match="already exists"):
        create_experiment(db, design, "again", "pick_clicked")
    users = range(1, 201)
    arms = [record_exposure(db, design.name, user, "companion") for user in users]
    again = [record_exposure(db, design.name, user, "console") for user in users]
    assert arms == again == list(assign(design, users))
    assert set(arms) == {"plain", "gravitas"}
    query = "select count(*) from app.experiment_{} where experiment = %s"
    assert _count(db, query.format("assignments"), (design.name,)) == 200
    assert _count(db, query.format("exposures"), (design.name,)) == 400
    stop_experiment(db, design.name)
    with pytest.raises(ValueError, match="is stopped"):
        record_exposure(db, design.name, 1, "companion")
    with pytest.raises(LookupError):
        stop_experiment(db, "no_such_experiment")


def test_analysis_asset_writes_results_and_checks_the_sample_ratio(defs, instance, db):
    intact, broken = _design("intact"), _design("broken")
    start = datetime.now(UTC) - timedelta(hours=1)
    for design in (intact, broken):
        create_experiment(db, design, "gravitas picks get clicked more", "pick_clicked")
    arms = assign(intact, range(1, 401))
    for user in arms.index:
        record_exposure(db, intact.name, user, "companion", start)
    # Exposure logging that drops most of one arm: a broken allocation.
    for user, arm in assign(broken, range(1, 401)).items():
        if arm == "plain" or user % 4 == 0:
            record_exposure(db, broken.name, user, "companion", start)
    clicks = [Feedback(int(u), 1, "pick_clicked") for u, a in arms.items() if a == "gravitas"]
    record_feedback(db, clicks[: len(clicks) // 2])
    try:
        result = _materialize(defs, instance, RESULTS)
    finally:
        for design in (intact, broken):
            stop_experiment(db, design.name)
    run_id = _metadata(result, RESULTS)["run_id"]
    check = result.get_asset_check_evaluations()[0]
    assert not check.passed and broken.name in check.metadata["flagged"].value
    rows = {
        (row_kind, arm): (status, n, mean)
        for row_kind, arm, status, n, mean in _rows(db, run_id.value, intact.name)
    }
    assert rows[("arm", "plain")][:2] == ("interim", (arms == "plain").sum())
    assert rows[("arm", "gravitas")][2] == pytest.approx(0.5, abs=0.01)
    assert rows[("effect", "gravitas")][0] == "interim"
    assert {row[2] for row in _rows(db, run_id.value, broken.name)} == {"sample_ratio_mismatch"}


def _rows(db, run_id: str, experiment: str) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute(
            "select row_kind, arm, status, n, mean from ml.experiment_results "
            "where run_id = %s and experiment = %s",
            (run_id, experiment),
        )
        rows = cur.fetchall()
    db.commit()
    return rows


def test_experiments_cli_create_status_stop(warehouse, capsys):
    name = f"cli_{uuid.uuid4().hex[:8]}"
    create = ["experiments", "create", name, "--hypothesis", "gravitas picks get clicked more"]
    options = ["--arms", "plain,gravitas", "--allocation", "0.5,0.5", "--metric", "pick_clicked"]
    rate = ["--mde", "0.02", "--baseline-rate", "0.1"]
    assert main([*create, *options, *rate]) == 0
    assert "planned users per arm: plain 3835, gravitas 3835" in capsys.readouterr().out
    assert main([*create, *options, *rate]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main([*create[:3], "--hypothesis", "x", "--arms", "a,b", "--allocation", "0.4,0.4",
                 "--metric", "pick_clicked", *rate]) == 2  # fmt: skip
    assert "allocation must sum to 1" in capsys.readouterr().err
    assert main(["experiments", "status"]) == 0
    listed = capsys.readouterr().out
    assert name in listed and "gravitas_picks" in listed
    assert main(["experiments", "status", name]) == 0
    assert "not analysed yet" in capsys.readouterr().out
    assert main(["experiments", "stop", name]) == 0
    assert main(["experiments", "stop", name]) == 2
    assert "already stopped" in capsys.readouterr().err


@pytest.mark.slow
def test_learned_profiles_publish_or_say_why_and_feedback_cli(materialized, defs, instance, db):
    result = _materialize(defs, instance, LEARNED)
    run_id = (
        result.asset_materializations_for_node("ml__learned_weight_profiles")[0]
        .metadata["run_id"]
        .value
    )
    with db.cursor() as cur:
        cur.execute(
            "select audience, published, profile, reason, learned_holdout_ndcg, "
            "balanced_holdout_ndcg from ml.learned_profile_runs where run_id = %s",
            (run_id,),
        )
        runs = cur.fetchall()
        cur.execute("select count(distinct cluster) from ml.user_clusters")
        clusters = cur.fetchone()[0]
        cur.execute("select profile from app.ml_weight_profiles where model_run_id = %s", (run_id,))
        recorded = {row[0] for row in cur.fetchall()}
    db.commit()
    assert len(runs) == 1 + clusters and "everyone" in {row[0] for row in runs}
    for audience, published, profile, reason, learned, balanced in runs:
        assert reason
        assert (profile in recorded) if published else profile is None
        print(audience, published, learned, balanced, reason)
    assert main(["feedback", "3", "tt0120338", "rated", "--value", "4.5"]) == 0
    assert main(["feedback", "3", "tt0120338", "rated", "--value", "9"]) == 2
