"""Learned weight profiles on an audience with a planted preference, and on noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.metrics import categories, profile_weights
from ml.metrics.learned_weights import (
    LearningParams,
    fit_weights,
    learn_audience_profiles,
    learn_profile,
    profile_scores,
)

pytestmark = pytest.mark.nodb

START = pd.Timestamp("2020-01-01", tz="UTC")
SPLIT = START + pd.Timedelta(days=365)
PLANTED = {"rating": 0.7, "cultural": 0.3}
PARAMS = LearningParams(n_bootstrap=300, seed=0)


def film_scores(films: int, rng: np.random.Generator) -> pd.DataFrame:
    """Films x category scores in [0, 1]; most films have no award data, as in the warehouse."""
    scores = pd.DataFrame(
        rng.random((films, len(categories()))),
        index=pd.Index(range(films), name="film_id"),
        columns=list(categories()),
    )
    scores.loc[rng.random(films) < 0.6, "award"] = np.nan
    return scores


def audience_ratings(
    scores: pd.DataFrame,
    rng: np.random.Generator,
    users: int = 300,
    per_user: int = 60,
    planted: dict[str, float] = PLANTED,
) -> pd.DataFrame:
    """Half-star ratings over two years from an audience whose taste is `planted`'s weights."""
    taste = 1.5 + 3 * sum(weight * scores[column] for column, weight in planted.items())
    films = np.concatenate(
        [rng.choice(scores.index, per_user, replace=False) for _ in range(users)]
    )
    noisy = taste.loc[films].to_numpy() + rng.normal(0, 0.8, films.size)
    return pd.DataFrame(
        {
            "user_id": np.repeat(np.arange(users), per_user),
            "film_id": films,
            "rating": np.clip(np.round(noisy * 2) / 2, 0.5, 5.0),
            "rated_at": START + pd.to_timedelta(rng.integers(0, 730, films.size), unit="D"),
        }
    )


@pytest.fixture(scope="module")
def planted():
    rng = np.random.default_rng(7)
    scores = film_scores(600, rng)
    return scores, audience_ratings(scores, rng)


BALANCED = pd.Series(profile_weights("balanced"))


def test_planted_preference_is_recovered_and_published(planted):
    scores, ratings = planted
    profile = learn_profile(scores, ratings, SPLIT, BALANCED, PARAMS)
    weights = profile.weights
    assert weights.min() >= 0 and weights.sum() == pytest.approx(1)
    for column, weight in PLANTED.items():
        assert weights[column] == pytest.approx(weight, abs=0.08)
    assert weights.drop(list(PLANTED)).sum() < 0.1
    assert profile.publish, profile.reason
    assert profile.gain_ci[0] > 0 and profile.learned_holdout.ndcg > profile.baseline_holdout.ndcg
    assert profile.learned_holdout.spearman > profile.baseline_holdout.spearman


def test_shuffled_outcomes_are_not_published(planted):
    scores, ratings = planted
    shuffled = ratings.assign(
        rating=np.random.default_rng(8).permutation(ratings["rating"].to_numpy())
    )
    profile = learn_profile(scores, shuffled, SPLIT, BALANCED, PARAMS)
    assert not profile.publish
    assert "does not beat" in profile.reason or "nothing to weigh" in profile.reason


def test_each_taste_cluster_gets_its_own_weights():
    rng = np.random.default_rng(9)
    scores = film_scores(400, rng)
    critics = audience_ratings(scores, rng, users=150, planted={"cultural": 1.0})
    crowd = audience_ratings(scores, rng, users=150, planted={"popularity": 1.0})
    crowd["user_id"] += 1000
    clusters = pd.DataFrame(
        {"user_id": [*range(150), *range(1000, 1150)], "cluster": [1] * 150 + [2] * 150}
    )
    profiles = learn_audience_profiles(
        scores,
        pd.concat([critics, crowd]),
        clusters,
        SPLIT,
        BALANCED,
        LearningParams(n_bootstrap=100),
    )
    by_audience = {profile.audience: profile.weights for profile in profiles}
    assert list(by_audience) == ["everyone", "cluster_1", "cluster_2"]
    assert by_audience["cluster_1"].idxmax() == "cultural" and by_audience["cluster_1"].max() > 0.8
    assert (
        by_audience["cluster_2"].idxmax() == "popularity" and by_audience["cluster_2"].max() > 0.8
    )
    assert 0.3 < by_audience["everyone"]["cultural"] < 0.7


def test_too_small_a_holdout_is_not_published(planted):
    scores, ratings = planted
    profile = learn_profile(scores, ratings, SPLIT, BALANCED, LearningParams(min_ratings=1000))
    assert (
        not profile.publish and "no film has 1000+ training ratings and a score" in profile.reason
    )
    few = ratings[(ratings["rated_at"] < SPLIT) | (ratings["film_id"] < 40)]
    profile = learn_profile(scores, few, SPLIT, BALANCED, PARAMS)
    assert not profile.publish and "NDCG@50 needs at least 50" in profile.reason


def test_profile_scores_renormalise_over_the_columns_a_film_has():
    scores = pd.DataFrame({"rating": [0.8, 0.8, np.nan], "award": [np.nan, 0.2, np.nan]})
    weights = pd.Series({"rating": 0.75, "award": 0.25})
    result = profile_scores(scores, weights).to_numpy()
    assert result[0] == pytest.approx(0.8)  # no award data: the rating alone, not 0.6
    assert result[1] == pytest.approx(0.75 * 0.8 + 0.25 * 0.2)
    assert np.isnan(result[2])


def test_weights_are_zero_when_no_column_rises_with_the_target():
    scores = pd.DataFrame({"a": np.linspace(0, 1, 20), "b": np.linspace(0, 1, 20) ** 2})
    assert fit_weights(scores, 5 - 4 * scores["a"]).sum() == 0
