"""Taste clusters: k-means on users' z-scored ratings of the most-rated films.

Each user becomes a vector over the `n_films` most-rated films: their rating minus their own
mean, over their own standard deviation (a harsh and a generous rater who order films alike
look alike), and 0 (their own mean) for a film they did not rate. Users who rated fewer than
`min_overlap` of those films carry too little signal and are left unclustered. k is chosen in
`k_range` by the silhouette score; clusters are numbered from 1 by size, largest first, so a
refit on similar data keeps similar numbers.

The holdout check asks whether a user's cluster helps predict their later ratings: clusters
fitted on each user's earlier ratings, the prediction for a held-out rating is the film's
mean among the user's cluster shrunk toward the film's overall mean, against the film mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import root_mean_squared_error, silhouette_score

from ml.cohorts.prediction import RATING_RANGE, FilmMean, temporal_holdout


@dataclass(frozen=True)
class ClusterParams:
    n_films: int = 200
    min_overlap: int = 5
    k_min: int = 4
    k_max: int = 8
    seed: int = 0
    # Exact silhouettes cost O(users^2): above this many users, a seeded sample of them
    # estimates the score (sklearn's sample_size). The demo's 671 users are all used.
    silhouette_sample: int = 10_000
    # Pseudo-ratings pulling a film's in-cluster mean toward its overall mean (holdout check).
    shrinkage: float = 5.0


@dataclass
class ClusterFit:
    assignments: pd.DataFrame  # user_id, cluster, distance
    k: int
    silhouettes: dict[int, float]
    films: list[int]


def taste_matrix(ratings: pd.DataFrame, params: ClusterParams) -> pd.DataFrame:
    """Users x most-rated films of per-user z-scored ratings (0 where not rated)."""
    counts = ratings.groupby("film_id").size().reset_index(name="n")
    films = counts.sort_values(["n", "film_id"], ascending=[False, True])["film_id"].head(
        params.n_films
    )
    by_user = ratings.groupby("user_id")["rating"]
    spread = by_user.transform("std").fillna(0).replace(0, 1)
    z = ratings.assign(z=(ratings["rating"] - by_user.transform("mean")) / spread)
    z = z[z["film_id"].isin(films)]
    matrix = z.pivot_table(index="user_id", columns="film_id", values="z", aggfunc="mean")
    matrix = matrix[matrix.notna().sum(axis=1) >= params.min_overlap]
    return matrix.reindex(columns=sorted(films)).fillna(0.0)


def fit_clusters(ratings: pd.DataFrame, params: ClusterParams) -> ClusterFit:
    """k-means for each k in [k_min, k_max]; keep the k with the best silhouette."""
    matrix = taste_matrix(ratings, params)
    if len(matrix) <= params.k_max:
        raise ValueError(
            f"only {len(matrix)} users rated {params.min_overlap}+ of the top films; "
            f"clustering needs more than k_max={params.k_max}"
        )
    sample = params.silhouette_sample if len(matrix) > params.silhouette_sample else None
    fits, silhouettes = {}, {}
    for k in range(params.k_min, params.k_max + 1):
        fits[k] = KMeans(n_clusters=k, n_init=10, random_state=params.seed).fit(matrix)
        labels = fits[k].labels_
        silhouettes[k] = float(
            silhouette_score(matrix, labels, sample_size=sample, random_state=params.seed)
        )
    best = max(silhouettes, key=silhouettes.get)
    model = fits[best]
    # Number clusters 1..k by size, largest first (ties by label) for stable names.
    sizes = pd.Series(model.labels_).value_counts().sort_index()
    order = sizes.sort_values(ascending=False, kind="stable").index
    renumber = {label: number for number, label in enumerate(order, start=1)}
    distances = model.transform(matrix)[np.arange(len(matrix)), model.labels_]
    assignments = pd.DataFrame(
        {
            "user_id": matrix.index.astype("int64"),
            "cluster": [renumber[label] for label in model.labels_],
            "distance": distances,
        }
    )
    return ClusterFit(assignments, best, silhouettes, [int(f) for f in matrix.columns])


def cluster_film_means(
    train: pd.DataFrame, assignments: pd.DataFrame, shrinkage: float
) -> pd.Series:
    """Mean rating of each film within each cluster, shrunk toward the film's overall mean."""
    film_mean = train.groupby("film_id")["rating"].mean().rename("film_mean")
    joined = train.merge(assignments[["user_id", "cluster"]], on="user_id")
    stats = joined.groupby(["cluster", "film_id"])["rating"].agg(["sum", "count"]).join(film_mean)
    return (stats["sum"] + shrinkage * stats["film_mean"]) / (stats["count"] + shrinkage)


def holdout_check(
    ratings: pd.DataFrame, params: ClusterParams, test_share: float = 0.2
) -> dict[str, float]:
    """RMSE of the cluster-aware film mean against the plain film mean on the temporal holdout."""
    train, test = temporal_holdout(ratings, test_share)
    fit = fit_clusters(train, params)
    baseline = np.clip(FilmMean().fit(train).predict(test), *RATING_RANGE)
    means = cluster_film_means(train, fit.assignments, params.shrinkage)
    keyed = test.merge(fit.assignments[["user_id", "cluster"]], on="user_id", how="left")
    index = pd.MultiIndex.from_frame(keyed[["cluster", "film_id"]].fillna({"cluster": -1}))
    clustered = means.reindex(index).to_numpy()
    clustered = np.where(np.isnan(clustered), baseline, clustered)
    return {
        "holdout_k": fit.k,
        "holdout_test_ratings": len(test),
        "rmse_film_mean": float(root_mean_squared_error(test["rating"], baseline)),
        "rmse_cluster_film_mean": float(root_mean_squared_error(test["rating"], clustered)),
    }
