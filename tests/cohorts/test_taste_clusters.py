"""Taste clusters on planted tastes and on the real cohort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from ml.cohorts.taste_clusters import ClusterParams, fit_clusters, holdout_check, taste_matrix

pytestmark = pytest.mark.nodb


def planted_tastes(
    groups: int = 5, users_per_group: int = 40, films: int = 60, seed: int = 0
) -> pd.DataFrame:
    """Users in `groups` taste groups: each loves its own block of films, dislikes the rest."""
    rng = np.random.default_rng(seed)
    rows = []
    for user in range(groups * users_per_group):
        group = user % groups
        for film in rng.choice(films, size=30, replace=False):
            liked = film % groups == group
            rating = np.clip(np.round((4.5 if liked else 2.0) + rng.normal(0, 0.4), 0), 0.5, 5.0)
            rows.append(
                (
                    user,
                    film,
                    float(rating),
                    pd.Timestamp("2020-01-01", tz="UTC") + pd.Timedelta(days=int(film)),
                )
            )
    return pd.DataFrame(rows, columns=["user_id", "film_id", "rating", "rated_at"]).assign(
        group=lambda f: f["user_id"] % groups
    )


def test_planted_tastes_are_recovered():
    ratings = planted_tastes()
    fit = fit_clusters(ratings, ClusterParams(n_films=60))
    assert fit.k == 5
    truth = ratings.drop_duplicates("user_id").set_index("user_id")["group"]
    assert (
        adjusted_rand_score(truth.reindex(fit.assignments["user_id"]), fit.assignments["cluster"])
        == 1.0
    )


def test_a_sampled_silhouette_is_seeded_and_picks_the_planted_k():
    ratings = planted_tastes(users_per_group=80)
    exact = fit_clusters(ratings, ClusterParams(n_films=60))
    sampled = fit_clusters(ratings, ClusterParams(n_films=60, silhouette_sample=150))
    again = fit_clusters(ratings, ClusterParams(n_films=60, silhouette_sample=150))
    assert sampled.silhouettes == again.silhouettes
    assert sampled.silhouettes != exact.silhouettes
    assert sampled.k == exact.k == 5


def test_clusters_are_numbered_by_size_and_users_need_overlap(movielens_ratings):
    params = ClusterParams()
    fit = fit_clusters(movielens_ratings, params)
    assert params.k_min <= fit.k <= params.k_max
    sizes = fit.assignments["cluster"].value_counts().sort_index()
    assert list(sizes.index) == list(range(1, fit.k + 1))
    assert sizes.is_monotonic_decreasing
    matrix = taste_matrix(movielens_ratings, params)
    assert len(fit.assignments) == len(matrix) < movielens_ratings["user_id"].nunique()
    on_top_films = movielens_ratings[movielens_ratings["film_id"].isin(matrix.columns)]
    overlap = on_top_films.groupby("user_id").size().reindex(fit.assignments["user_id"])
    assert (overlap >= params.min_overlap).all()


def test_holdout_check_reports_the_film_mean_baseline(movielens_ratings):
    result = holdout_check(movielens_ratings, ClusterParams())
    assert result["holdout_test_ratings"] > 19_000
    assert 0.8 < result["rmse_cluster_film_mean"] < 1.2
    assert 0.8 < result["rmse_film_mean"] < 1.2
