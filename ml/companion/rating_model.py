"""The rating model: a Bayesian factorization machine (myfm) with biases and implicit feedback.

Each rating's features are the user, the film, the films the user rated (implicit feedback,
SVD++ style, scaled by 1/sqrt(count)) and the users who rated the film. The linear terms are
the user and film biases; the pairwise terms the latent factors. myfm samples the
regularisation by Gibbs sampling, so the one knob left is the factor rank, chosen on a
validation slice cut from the training window with the same per-user temporal split that
evaluates the model (`ml.cohorts.prediction.temporal_holdout`).

The implicit sets come from the data the model is fitted on: at prediction time a user's
later films are not known, so the holdout cannot leak through them. myfm's relation blocks
keep the fit linear in the number of ratings (each user's and film's feature row is stored
once). Why myfm: docs/companion.md compares it with scikit-surprise's SVD and SVD++.
"""

from __future__ import annotations

from dataclasses import dataclass

import myfm
import numpy as np
import pandas as pd
import scipy.sparse as sps
from myfm import RelationBlock
from sklearn.metrics import root_mean_squared_error

from ml.cohorts.prediction import RATING_RANGE, temporal_holdout

VALIDATION_SHARE = 0.2
RANK_GRID = (4, 8)


@dataclass(frozen=True)
class RatingParams:
    rank: int = 8
    n_iter: int = 100
    burn_in: int = 20
    seed: int = 0


DEFAULT_PARAMS = RatingParams()


def _scaled_rows(matrix: sps.csr_matrix) -> sps.csr_matrix:
    """Each row divided by the square root of its count (SVD++'s |N(u)|^-1/2)."""
    counts = np.asarray(matrix.sum(axis=1)).ravel()
    return sps.diags(1 / np.sqrt(np.maximum(counts, 1))) @ matrix


def _block(n: int, implicit: sps.csr_matrix) -> sps.csr_matrix:
    """One row per entity plus a last all-zero row for entities not seen in training:
    [one-hot id | scaled implicit set]."""
    ids = sps.identity(n + 1, format="csr")[:, :n]
    rows = sps.vstack([_scaled_rows(implicit), sps.csr_matrix((1, implicit.shape[1]))])
    return sps.hstack([ids, rows]).tocsr()


class ImplicitFM:
    """Fit on a ratings frame (user_id, film_id, rating); predict for (user_id, film_id) rows."""

    def __init__(self, params: RatingParams = DEFAULT_PARAMS):
        self.params = params

    def fit(self, train: pd.DataFrame) -> ImplicitFM:
        self.users_ = pd.Index(np.unique(train["user_id"]))
        self.films_ = pd.Index(np.unique(train["film_id"]))
        n_users, n_films = len(self.users_), len(self.films_)
        rated = sps.csr_matrix(
            (
                np.ones(len(train)),
                (
                    self.users_.get_indexer(train["user_id"]),
                    self.films_.get_indexer(train["film_id"]),
                ),
            ),
            shape=(n_users, n_films),
        )
        rated.data[:] = 1.0  # a film rated twice by a user is one implicit signal
        self.user_block_ = _block(n_users, rated)
        self.film_block_ = _block(n_films, rated.T.tocsr())
        grouping = [0] * n_users + [1] * n_films + [2] * n_films + [3] * n_users
        p = self.params
        self.model_ = myfm.MyFMRegressor(rank=p.rank, random_seed=p.seed).fit(
            None,
            train["rating"].to_numpy(dtype=float),
            X_rel=self._relations(train),
            n_iter=p.n_iter,
            n_kept_samples=p.n_iter - p.burn_in,
            grouping=grouping,
        )
        return self

    def _relations(self, frame: pd.DataFrame) -> list[RelationBlock]:
        users = self.users_.get_indexer(frame["user_id"])
        films = self.films_.get_indexer(frame["film_id"])
        users[users < 0] = len(self.users_)
        films[films < 0] = len(self.films_)
        return [RelationBlock(users, self.user_block_), RelationBlock(films, self.film_block_)]

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Predicted stars, clipped to the rating range."""
        if frame.empty:
            return np.empty(0)
        return np.clip(self.model_.predict(None, self._relations(frame)), *RATING_RANGE)


@dataclass
class Selection:
    params: RatingParams
    validation_rmse: dict[int, float]  # rank -> RMSE on the validation slice
    validation: pd.DataFrame  # the validation slice with the chosen model's `predicted`
    fit_part: pd.DataFrame  # the training window without the validation slice
    model: ImplicitFM  # the chosen rank fitted on `fit_part`


def choose_params(
    train: pd.DataFrame, grid=RANK_GRID, base: RatingParams = DEFAULT_PARAMS
) -> Selection:
    """The rank with the lowest RMSE on each user's latest ratings of the training window,
    the model fitted on the rest of it."""
    fit_part, validation = temporal_holdout(train, VALIDATION_SHARE)
    scores, predicted, models = {}, {}, {}
    for rank in grid:
        params = RatingParams(rank, base.n_iter, base.burn_in, base.seed)
        models[rank] = ImplicitFM(params).fit(fit_part)
        predicted[rank] = models[rank].predict(validation)
        scores[rank] = float(root_mean_squared_error(validation["rating"], predicted[rank]))
    best = min(scores, key=scores.get)
    return Selection(
        models[best].params,
        scores,
        validation.assign(predicted=predicted[best]),
        fit_part,
        models[best],
    )
