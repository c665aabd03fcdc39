"""The warehouse path: the companion's inputs read from the materialised marts."""

from __future__ import annotations

from ml.companion.inputs import read_inputs
from ml.companion.picks import PickParams, compute_picks
from ml.companion.rating_model import RatingParams
from ml.companion.training import train_and_evaluate


def test_inputs_from_the_marts_feed_the_picks(materialized, db):
    inputs = read_inputs(db)
    assert len(inputs.ratings) > 90_000
    assert set(inputs.ratings["film_id"]) <= set(inputs.films["film_id"])
    assert inputs.films["genres"].map(lambda g: isinstance(g, list)).all()
    assert set(inputs.credits["role"]) <= {"director", "lead_actor"}
    assert list(inputs.follows.columns) == ["follower_id", "followee_id"]
    assert list(inputs.clusters.columns) == ["user_id", "cluster"]

    trained, _, _ = train_and_evaluate(
        inputs.ratings, grid=(2,), base=RatingParams(n_iter=20, burn_in=5)
    )
    users = inputs.ratings["user_id"].drop_duplicates().head(3)
    picks = compute_picks(inputs, trained, users, PickParams(picks_per_user=6))
    assert set(picks["user_id"]) == set(users)
    assert inputs.ratings.merge(picks, on=["user_id", "film_id"]).empty
    assert picks["reason"].str.len().gt(0).all()
