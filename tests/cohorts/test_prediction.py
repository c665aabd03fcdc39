"""The rating predictors and their temporal holdout, on plain DataFrames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.cohorts.prediction import (
    STARS,
    HistogramPredictor,
    evaluate,
    histogram_expectation,
    temporal_holdout,
)

pytestmark = pytest.mark.nodb


def test_holdout_takes_each_users_latest_fifth(movielens_ratings):
    train, test = temporal_holdout(movielens_ratings, 0.2)
    assert len(train) + len(test) == len(movielens_ratings)
    sizes = movielens_ratings.groupby("user_id").size()
    assert (test.groupby("user_id").size() == np.floor(sizes * 0.2).astype(int)).all()
    latest_train = train.groupby("user_id")["rated_at"].max()
    earliest_test = test.groupby("user_id")["rated_at"].min()
    assert (latest_train.reindex(earliest_test.index) <= earliest_test).all()


def test_histogram_expectation_follows_both_distributions():
    never_fives = np.where(STARS == 5.0, 0.0, 1.0)
    never_fives /= never_fives.sum()
    loved = np.where(STARS >= 4.5, 0.5, 0.0)
    uniform = np.full(10, 0.1)
    # A user who never gives 5 stars gets 4.5 for a film everyone gives 4.5 or 5.
    assert np.isclose(histogram_expectation(never_fives[None], loved[None])[0], 4.5)
    assert np.isclose(histogram_expectation(uniform[None], loved[None])[0], 4.75)
    assert np.isclose(histogram_expectation(uniform[None], uniform[None])[0], STARS.mean())


def test_predictions_ignore_the_held_out_ratings(movielens_ratings):
    """Leakage check: scrambling the test ratings changes no prediction."""
    sample = movielens_ratings[movielens_ratings["user_id"] <= 60]
    train, test = temporal_holdout(sample)
    model = HistogramPredictor().fit(train)
    before = model.predict(test)
    scrambled = test.assign(rating=np.random.default_rng(0).permutation(test["rating"].to_numpy()))
    assert np.array_equal(before, HistogramPredictor().fit(train).predict(scrambled))


def test_on_movielens_the_bias_baseline_wins_and_the_histogram_beats_film_means(movielens_ratings):
    metrics, predictions = evaluate(movielens_ratings)
    assert metrics["test_ratings"] == len(predictions) > 19_000
    assert metrics["best_by_rmse"] == "bias_baseline"
    assert metrics["rmse_bias_baseline"] < metrics["rmse_histogram"] < metrics["rmse_film_mean"]
    assert metrics["rmse_film_mean"] < metrics["rmse_global_mean"]
    assert predictions.filter(like="pred_").stack().between(0.5, 5.0).all()


def test_unseen_users_and_films_fall_back_to_the_global_histogram():
    train = pd.DataFrame({"user_id": [1, 1, 2], "film_id": [10, 11, 10], "rating": [4.0, 5.0, 3.0]})
    unseen = pd.DataFrame({"user_id": [99], "film_id": [99]})
    model = HistogramPredictor(prior_strength=5).fit(train)
    assert np.isclose(
        model.predict(unseen)[0], histogram_expectation(model.global_[None], model.global_[None])[0]
    )
