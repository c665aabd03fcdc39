"""Rating model, picks and ranking metrics on a small synthetic world (no warehouse)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.companion import evaluate
from ml.companion.conversation.offline import Vocabulary, extract
from ml.companion.inputs import CompanionInputs
from ml.companion.picks import (
    PickParams,
    compute_picks,
    gather_candidates,
    predict_candidates,
    rank_picks,
    rank_predicted,
    select_diverse,
)
from ml.companion.profile import conversation_preferences
from ml.companion.rating_model import RatingParams
from ml.companion.training import train_and_evaluate

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def world():
    """40 users who like either the first or the second half of 60 films; films 0-9 share a
    director, Ada Lane."""
    rng = np.random.default_rng(0)
    rows = []
    for user in range(1, 41):
        taste = user % 2
        for film in rng.choice(60, size=30, replace=False):
            liked = (film < 30) == (taste == 0)
            rating = np.clip(np.round((4.2 if liked else 2.3) + rng.normal(0, 0.5), 0), 1, 5)
            rows.append(
                (
                    user,
                    int(film) + 1,
                    float(rating),
                    pd.Timestamp("2020-01-01", tz="UTC") + pd.Timedelta(hours=len(rows)),
                )
            )
    ratings = pd.DataFrame(rows, columns=["user_id", "film_id", "rating", "rated_at"])
    films = pd.DataFrame(
        {
            "film_id": range(1, 61),
            "title": [f"Film {i}" for i in range(1, 61)],
            "year": 2000,
            "genres": [["Comedy"] if i <= 30 else ["Horror"] for i in range(1, 61)],
        }
    )
    credits = pd.DataFrame(
        {"film_id": range(1, 11), "person_id": 7, "name": "Ada Lane", "role": "director"}
    )
    follows = pd.DataFrame({"follower_id": [1], "followee_id": [3]})
    inputs = CompanionInputs(ratings, films, credits, follows)
    trained, train, test = train_and_evaluate(
        ratings, grid=(2, 4), base=RatingParams(n_iter=40, burn_in=10)
    )
    return inputs, trained, train, test


def test_model_beats_the_bias_baseline_and_is_calibrated(world):
    _, trained, _, test = world
    m = trained.metrics
    assert m["rmse_holdout"] < m["rmse_global_mean"]
    assert {"validation_rmse_rank_2", "validation_rmse_rank_4"} <= set(m)
    assert 0 <= m["ece_holdout"] < 0.25
    assert len(test) == m["test_ratings"]


def test_picks_exclude_rated_films_respect_caps_and_name_anchors(world):
    inputs, trained, _, _ = world
    params = PickParams(picks_per_user=8, max_source_share=0.5, max_per_director=2)
    picks = compute_picks(inputs, trained, params=params)
    assert set(picks["user_id"]) == set(inputs.ratings["user_id"])
    rated = inputs.ratings.merge(picks, on=["user_id", "film_id"])
    assert rated.empty
    assert picks.groupby(["user_id", "discovery_source"]).size().max() <= 4
    directed = picks[picks["film_id"] <= 10]
    assert directed.groupby("user_id").size().max() <= 2
    assert picks["confidence"].between(0, 1).all()
    assert picks["reason"].str.len().gt(0).all()
    similar = picks[picks["discovery_source"] == "similar_to_rated"]
    assert similar["reason"].str.startswith("Because you rated Film ").all()
    friends = picks[picks["discovery_source"] == "friends_loved"]
    assert (friends["user_id"] == 1).all() and friends["reason"].str.contains("User 3").all()
    assert (
        picks.groupby("user_id")["rank"].apply(lambda r: list(r) == list(range(1, len(r) + 1)))
    ).all()


def test_mood_match_from_a_conversation(world):
    inputs, trained, _, _ = world
    vocabulary = Vocabulary.build()
    conversations = pd.DataFrame(
        {
            "user_id": [2],
            "conversation_id": [11],
            "said": ["I want something funny, no horror"],
        }
    )
    conversations["extraction"] = [extract(s, vocabulary) for s in conversations["said"]]
    preferences = conversation_preferences(conversations, vocabulary)
    picks = compute_picks(
        inputs, trained, users=[2], preferences=preferences, params=PickParams(max_source_share=1.0)
    )
    mood = picks[picks["discovery_source"] == "mood_match"]
    assert not mood.empty
    assert (mood["film_id"] <= 30).all()  # comedies, never the horror half
    assert (mood["anchor_conversation_id"] == 11).all()


def test_ranking_metrics_by_hand():
    recommended = pd.DataFrame({"user_id": [1, 1, 2], "film_id": [10, 11, 20], "rank": [1, 2, 1]})
    relevant = pd.DataFrame({"user_id": [1, 2, 2], "film_id": [11, 21, 22]})
    got = evaluate.ranking_metrics(recommended, relevant, k=2)
    assert got["precision_at_2"] == pytest.approx((1 / 2 + 0) / 2)
    assert got["recall_at_2"] == pytest.approx((1 + 0) / 2)
    assert got["ndcg_at_2"] == pytest.approx(((1 / np.log2(3)) / 1 + 0) / 2)


def test_evaluation_run_chooses_the_exponent_on_validation_and_reports_baselines(world):
    from ml.companion.report import evaluate_companion

    inputs, _, _, _ = world
    report = evaluate_companion(
        inputs, rank_grid=(2,), base=RatingParams(n_iter=30, burn_in=10), popularity_grid=(0.0, 1.0)
    )
    m = report.metrics
    assert report.pick_params.popularity_exponent in (0.0, 1.0)
    assert {"validation_ndcg_popularity_0", "validation_ndcg_popularity_1"} <= set(m)
    for name in ("picks", "popularity", "itemknn"):
        assert 0 <= m[f"{name}_ndcg_at_10"] <= 1


def test_caps_by_hand():
    """max 2 per source and 1 per director among 4 picks: the best rows that keep both."""
    scored = pd.DataFrame(
        {
            "user_id": [1] * 7 + [2] * 2,
            "film_id": [1, 2, 3, 4, 5, 6, 7, 8, 9],
            "score": [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1],
            "source": ["a", "a", "a", "a", "b", "b", "b", "a", "a"],
        }
    )
    directors = pd.Series({1: 70, 2: 70, 6: 80})
    params = PickParams(picks_per_user=4, max_source_share=0.5, max_per_director=1)
    picks = select_diverse(scored.sample(frac=1, random_state=0), directors, params)
    # film 2: director 70 again; film 4: a third from source a; film 7: four already
    assert picks["film_id"].tolist() == [1, 3, 5, 6, 8, 9]
    assert picks["rank"].tolist() == [1, 2, 3, 4, 1, 2]
    assert "director" not in picks


def test_one_prediction_ranks_every_exponent_as_a_fresh_ranking_does(world):
    """The evaluation predicts the candidates once and ranks them per exponent: each list
    must be the one rank_picks gives, and ranking must leave the prediction untouched."""
    inputs, trained, _, _ = world
    users = inputs.ratings["user_id"].unique()
    found = gather_candidates(inputs, users, PickParams())
    predicted = predict_candidates(found, trained)
    before = predicted.copy()
    for exponent in (0.0, 2.0, 0.0):
        params = PickParams(picks_per_user=8, popularity_exponent=exponent)
        pd.testing.assert_frame_equal(
            rank_predicted(inputs, predicted, trained, params),
            rank_picks(inputs, found, trained, params),
        )
    pd.testing.assert_frame_equal(predicted, before)
