"""Rating predictors and their evaluation on a per-user temporal holdout.

The design card's distribution-aware prediction: the probability that a user gives a film
each half star is the product of the user's own rating distribution and the film's cohort
distribution, and the prediction is that product's expectation:

    expected = sum_b m_b * P_user(b) * P_film(b) / sum_b P_user(b) * P_film(b)

(the card writes the numerator only; without the denominator the weights do not sum to 1).
Both distributions are smoothed toward the global histogram with `prior_strength`
pseudo-ratings, so a user or film with few ratings leans on everyone's distribution.

It is compared with three baselines on the same split: the global mean, the film mean, and
the regularised bias model (global mean + user bias + film bias: a ridge regression on
one-hot user and film indicators). Everything is fitted on the training part only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, root_mean_squared_error
from sklearn.preprocessing import OneHotEncoder

# The half-star grid: bucket midpoints are the ratings themselves.
STARS = np.arange(1, 11) / 2
RATING_RANGE = (0.5, 5.0)


def temporal_holdout(
    ratings: pd.DataFrame, test_share: float = 0.2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split each user's ratings by time: the latest `test_share` of them (rounded down) is test.

    Ties in time are broken by film id so the split is deterministic.
    """
    ordered = ratings.sort_values(["user_id", "rated_at", "film_id"], kind="stable")
    from_latest = ordered.groupby("user_id").cumcount(ascending=False)
    per_user = ordered.groupby("user_id")["film_id"].transform("size")
    is_test = from_latest < np.floor(per_user * test_share)
    return ordered[~is_test].reset_index(drop=True), ordered[is_test].reset_index(drop=True)


def star_histograms(ratings: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per half-star bucket (columns 0.5..5.0), one row per value of `by`."""
    counts = pd.crosstab(ratings[by], ratings["rating"])
    return counts.reindex(columns=STARS, fill_value=0)


def smoothed(counts: pd.DataFrame, prior: np.ndarray, strength: float) -> pd.DataFrame:
    """Row distributions with `strength` pseudo-ratings spread as `prior`."""
    values = counts.to_numpy(dtype=float) + strength * prior
    return pd.DataFrame(
        values / values.sum(axis=1, keepdims=True), index=counts.index, columns=counts.columns
    )


def histogram_expectation(p_user: np.ndarray, p_film: np.ndarray) -> np.ndarray:
    """Expected rating from a user's and a film's distributions (rows aligned), per the design."""
    joint = p_user * p_film
    return joint @ STARS / joint.sum(axis=1)


@dataclass
class HistogramPredictor:
    prior_strength: float = 5.0

    def fit(self, train: pd.DataFrame) -> HistogramPredictor:
        counts = star_histograms(train, "user_id").sum().to_numpy(dtype=float)
        self.global_ = counts / counts.sum()
        self.users_ = smoothed(star_histograms(train, "user_id"), self.global_, self.prior_strength)
        self.films_ = smoothed(star_histograms(train, "film_id"), self.global_, self.prior_strength)
        return self

    def distributions(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """P_user and P_film rows for each (user, film); the global histogram when unseen."""
        fallback = pd.Series(self.global_, index=STARS)
        users = self.users_.reindex(frame["user_id"]).fillna(fallback)
        films = self.films_.reindex(frame["film_id"]).fillna(fallback)
        return users.to_numpy(), films.to_numpy()

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return histogram_expectation(*self.distributions(frame))


@dataclass
class GlobalMean:
    def fit(self, train: pd.DataFrame) -> GlobalMean:
        self.mean_ = train["rating"].mean()
        return self

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return np.full(len(frame), self.mean_)


@dataclass
class FilmMean:
    """The film's training mean; the global mean for a film with no training rating."""

    def fit(self, train: pd.DataFrame) -> FilmMean:
        self.global_ = train["rating"].mean()
        self.films_ = train.groupby("film_id")["rating"].mean()
        return self

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return self.films_.reindex(frame["film_id"]).fillna(self.global_).to_numpy()


@dataclass
class BiasBaseline:
    """Global mean + user bias + film bias, with an L2 penalty `alpha` on every bias.

    A ridge regression on one-hot user and film columns is exactly this model; unseen users
    or films get a zero bias (the encoder ignores unknown categories).
    """

    alpha: float = 10.0

    def fit(self, train: pd.DataFrame) -> BiasBaseline:
        self.encoder_ = OneHotEncoder(handle_unknown="ignore")
        features = self.encoder_.fit_transform(train[["user_id", "film_id"]])
        self.model_ = Ridge(alpha=self.alpha).fit(features, train["rating"])
        return self

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return self.model_.predict(self.encoder_.transform(frame[["user_id", "film_id"]]))


def predictors(prior_strength: float = 5.0, bias_alpha: float = 10.0) -> dict[str, object]:
    """The compared predictors, baselines first."""
    return {
        "global_mean": GlobalMean(),
        "film_mean": FilmMean(),
        "bias_baseline": BiasBaseline(alpha=bias_alpha),
        "histogram": HistogramPredictor(prior_strength=prior_strength),
    }


def evaluate(
    ratings: pd.DataFrame,
    test_share: float = 0.2,
    prior_strength: float = 5.0,
    bias_alpha: float = 10.0,
) -> tuple[dict[str, float], pd.DataFrame]:
    """Fit every predictor on the training split; RMSE and MAE on the holdout, and the predictions.

    Predictions are clipped to the rating range before scoring (a rating cannot be 5.3).
    """
    train, test = temporal_holdout(ratings, test_share)
    predictions = test[["user_id", "film_id", "rated_at", "rating"]].copy()
    metrics: dict[str, float] = {"train_ratings": len(train), "test_ratings": len(test)}
    for name, model in predictors(prior_strength, bias_alpha).items():
        predicted = np.clip(model.fit(train).predict(test), *RATING_RANGE)
        predictions[f"pred_{name}"] = predicted
        metrics[f"rmse_{name}"] = float(root_mean_squared_error(test["rating"], predicted))
        metrics[f"mae_{name}"] = float(mean_absolute_error(test["rating"], predicted))
    metrics["best_by_rmse"] = min(
        (name for name in predictors()), key=lambda name: metrics[f"rmse_{name}"]
    )
    return metrics, predictions
