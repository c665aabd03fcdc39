"""Learned weight profiles: non-negative weights summing to 1 that order films the way an
audience's later ratings do, published only when they beat a baseline profile on a holdout.

Input: `scores`, films (index film_id) x weighted columns (the six categories' scores of
`film_scores`, or metrics' normalised values), each in [0, 1], missing where the film has no
data; and the audience's ratings (user_id, film_id, rating, rated_at): everyone's, or one
taste cluster's. A profile's film score is the warehouse's: the weighted mean of the columns
the film has, the weights renormalised over them (`profile_scores`).

Fit, on ratings before `split_at`: each film's mean rating (films with `min_ratings` or more)
regressed on its scores by least squares with non-negative coefficients and a free intercept
(scikit-learn `LinearRegression(positive=True)`; a missing score is imputed with the column's
training mean), the coefficients then scaled to sum to 1. Scaling keeps the order of the
fitted values, so the profile ranks films as the regression does.

Evaluation, on ratings from `split_at` on: films with `min_ratings` held-out ratings and a
score under both profiles; NDCG@k (scikit-learn `ndcg_score`, the gains being the films' mean
held-out ratings) and Spearman's rho (scipy) of the profile's scores against those means, for
the learned profile and the baseline. The NDCG gain gets a percentile bootstrap interval over
films (films resampled with replacement, a seeded numpy Generator). The profile is published
only when the whole interval lies above zero; otherwise `reason` says why not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.linear_model import LinearRegression
from sklearn.metrics import ndcg_score

MODEL_VERSION = "positive_least_squares_v1"


@dataclass(frozen=True)
class LearningParams:
    k: int = 50  # NDCG@k
    min_ratings: int = 5  # ratings a film's mean needs to count, in either window
    n_bootstrap: int = 1000
    confidence: float = 0.95
    seed: int = 0


@dataclass(frozen=True)
class HoldoutScore:
    ndcg: float
    spearman: float


@dataclass(frozen=True)
class LearnedProfile:
    """A fitted profile and the evidence for (or against) publishing it."""

    audience: str
    weights: pd.Series  # column -> weight, non-negative, summing to 1 (all 0 if nothing fits)
    baseline: pd.Series
    model_version: str
    train_ratings: int
    train_films: int
    holdout_films: int
    learned_holdout: HoldoutScore | None
    baseline_holdout: HoldoutScore | None
    ndcg_gain: float | None
    gain_ci: tuple[float, float] | None
    publish: bool
    reason: str


def profile_scores(scores: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Each film's score under `weights`: the weighted mean of the columns it has (missing
    where it has none of the weighted columns), as `film_scores` computes it."""
    weights = weights.reindex(scores.columns, fill_value=0.0).to_numpy(dtype=float)
    values = scores.to_numpy(dtype=float)
    present = ~np.isnan(values)
    weight_with_data = present.astype(float) @ weights
    weighted = np.where(present, values, 0.0) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(weight_with_data > 0, weighted / weight_with_data, np.nan)
    return pd.Series(total, index=scores.index, name="score")


def film_means(ratings: pd.DataFrame, min_ratings: int) -> pd.Series:
    """Mean rating per film, over films with at least `min_ratings` ratings."""
    stats = ratings.groupby("film_id")["rating"].agg(["mean", "size"])
    return stats.loc[stats["size"] >= min_ratings, "mean"]


def fit_weights(scores: pd.DataFrame, target: pd.Series) -> pd.Series:
    """Non-negative weights summing to 1 (all 0 when no column rises with the target, or
    fewer than two films have both a target and a score)."""
    films = target.index.intersection(scores.index)
    features = scores.loc[films]
    usable = features.columns[features.notna().any()]
    weights = pd.Series(0.0, index=scores.columns, name="weight")
    if len(films) < 2 or usable.empty:
        return weights
    filled = features[usable].fillna(features[usable].mean())
    model = LinearRegression(positive=True).fit(filled.to_numpy(), target.loc[films].to_numpy())
    weights[usable] = model.coef_
    total = weights.sum()
    return weights / total if total > 0 else weights


def holdout_score(relevance: np.ndarray, ranking: np.ndarray, k: int) -> HoldoutScore:
    return HoldoutScore(
        ndcg=float(ndcg_score(relevance[None, :], ranking[None, :], k=k)),
        spearman=float(spearmanr(relevance, ranking).statistic),
    )


def bootstrap_gain(
    relevance: np.ndarray, learned: np.ndarray, baseline: np.ndarray, params: LearningParams
) -> tuple[float, float]:
    """Percentile interval of NDCG@k(learned) - NDCG@k(baseline) over films resampled."""
    rng = np.random.default_rng(params.seed)
    gains = np.empty(params.n_bootstrap)
    for b in range(params.n_bootstrap):
        films = rng.integers(0, relevance.size, relevance.size)
        sample = relevance[films][None, :]
        gains[b] = ndcg_score(sample, learned[films][None, :], k=params.k) - ndcg_score(
            sample, baseline[films][None, :], k=params.k
        )
    tail = (1 - params.confidence) / 2 * 100
    low, high = np.percentile(gains, [tail, 100 - tail])
    return float(low), float(high)


def learn_profile(
    scores: pd.DataFrame,
    ratings: pd.DataFrame,
    split_at: pd.Timestamp,
    baseline: pd.Series,
    params: LearningParams = LearningParams(),
    audience: str = "everyone",
) -> LearnedProfile:
    """Fit on `ratings` before `split_at`, evaluate from `split_at` on, against `baseline`."""
    train = ratings[ratings["rated_at"] < split_at]
    train_target = film_means(train, params.min_ratings)
    weights = fit_weights(scores, train_target)
    unpublished = LearnedProfile(
        audience=audience,
        weights=weights,
        baseline=baseline,
        model_version=MODEL_VERSION,
        train_ratings=len(train),
        train_films=len(train_target.index.intersection(scores.index)),
        holdout_films=0,
        learned_holdout=None,
        baseline_holdout=None,
        ndcg_gain=None,
        gain_ci=None,
        publish=False,
        reason="",
    )
    if unpublished.train_films < 2:
        return replace(
            unpublished,
            reason=(
                f"no film has {params.min_ratings}+ training ratings and a score: nothing to fit"
            ),
        )
    if weights.sum() == 0:
        return replace(
            unpublished,
            reason="no score column rises with the audience's training ratings: nothing to weigh",
        )
    held_out = film_means(ratings[ratings["rated_at"] >= split_at], params.min_ratings)
    frame = pd.DataFrame(
        {
            "relevance": held_out,
            "learned": profile_scores(scores, weights),
            "baseline": profile_scores(scores, baseline),
        }
    ).dropna()
    if len(frame) < params.k:
        return replace(
            unpublished,
            holdout_films=len(frame),
            reason=(
                f"only {len(frame)} held-out films have {params.min_ratings}+ ratings and a score; "
                f"NDCG@{params.k} needs at least {params.k}"
            ),
        )
    relevance, learned, base = (frame[c].to_numpy() for c in ("relevance", "learned", "baseline"))
    learned_score = holdout_score(relevance, learned, params.k)
    baseline_score = holdout_score(relevance, base, params.k)
    gain = learned_score.ndcg - baseline_score.ndcg
    low, high = bootstrap_gain(relevance, learned, base, params)
    publish = low > 0
    interval = (
        f"NDCG@{params.k} gain {gain:+.4f}, "
        f"{params.confidence:.0%} interval [{low:+.4f}, {high:+.4f}]"
    )
    verdict = "lies below zero" if high < 0 else "includes zero"
    return replace(
        unpublished,
        holdout_films=len(frame),
        learned_holdout=learned_score,
        baseline_holdout=baseline_score,
        ndcg_gain=gain,
        gain_ci=(low, high),
        publish=publish,
        reason=(
            f"beats the baseline on the holdout: {interval}"
            if publish
            else f"does not beat the baseline on the holdout: {interval} {verdict}"
        ),
    )


def learn_audience_profiles(
    scores: pd.DataFrame,
    ratings: pd.DataFrame,
    clusters: pd.DataFrame,
    split_at: pd.Timestamp,
    baseline: pd.Series,
    params: LearningParams = LearningParams(),
) -> list[LearnedProfile]:
    """`learn_profile` for everyone, then for each taste cluster (clusters: user_id, cluster)
    on its members' ratings; audiences are named "everyone" and "cluster_<n>"."""
    profiles = [learn_profile(scores, ratings, split_at, baseline, params)]
    members = ratings.merge(clusters[["user_id", "cluster"]], on="user_id")
    for cluster, rows in members.groupby("cluster", sort=True):
        audience = f"cluster_{cluster}"
        profiles.append(learn_profile(scores, rows, split_at, baseline, params, audience))
    return profiles
