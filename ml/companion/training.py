"""Train and evaluate the rating model: choose, fit, calibrate, score on the holdout.

The holdout is each user's latest 20% of ratings (`temporal_holdout`, the cohort
prediction's split). Everything that is chosen or fitted (rank, factors, confidence
calibrator) sees the training window only. `fit_for_serving` refits on every rating with
the chosen rank for the picks users see.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd
from sklearn.metrics import mean_absolute_error, root_mean_squared_error

from ml.cohorts import prediction
from ml.companion.confidence import ConfidenceCalibrator
from ml.companion.rating_model import (
    DEFAULT_PARAMS,
    RANK_GRID,
    ImplicitFM,
    RatingParams,
    Selection,
    choose_params,
)

MODEL_NAME = "companion_rating_model"


@dataclass
class TrainedModel:
    model: ImplicitFM
    calibrator: ConfidenceCalibrator
    params: RatingParams
    metrics: dict[str, float] = field(default_factory=dict)
    version: str = ""
    selection: Selection | None = field(default=None, repr=False)  # how the rank was chosen


def train_and_evaluate(
    ratings: pd.DataFrame, grid=RANK_GRID, base: RatingParams = DEFAULT_PARAMS
) -> tuple[TrainedModel, pd.DataFrame, pd.DataFrame]:
    """The model fitted on the training window, with holdout metrics next to the cohort
    baselines; also the training and holdout frames (the holdout with `predicted`)."""
    train, test = prediction.temporal_holdout(ratings)
    selection = choose_params(train, grid, base)
    calibrator = ConfidenceCalibrator.fit(
        selection.validation["predicted"].to_numpy(), selection.validation["rating"].to_numpy()
    )
    started = time.perf_counter()
    model = ImplicitFM(selection.params).fit(train)
    train_s = time.perf_counter() - started
    predicted = model.predict(test)
    baselines, _ = prediction.evaluate(ratings)
    metrics = {
        "rmse_holdout": float(root_mean_squared_error(test["rating"], predicted)),
        "mae_holdout": float(mean_absolute_error(test["rating"], predicted)),
        "ece_holdout": calibrator.ece(predicted, test["rating"].to_numpy()),
        "train_s": train_s,
        "rank": selection.params.rank,
        **{f"validation_rmse_rank_{r}": v for r, v in selection.validation_rmse.items()},
        **{k: v for k, v in baselines.items() if k.startswith(("rmse_", "mae_"))},
        "train_ratings": len(train),
        "test_ratings": len(test),
    }
    trained = TrainedModel(model, calibrator, selection.params, metrics, selection=selection)
    return trained, train, test.assign(predicted=predicted)


def fit_for_serving(ratings: pd.DataFrame, trained: TrainedModel) -> TrainedModel:
    """The chosen rank refitted on every rating; the calibrator and metrics carried over."""
    model = ImplicitFM(trained.params).fit(ratings)
    return TrainedModel(model, trained.calibrator, trained.params, trained.metrics, trained.version)


def predict_frame(trained: TrainedModel, pairs: pd.DataFrame) -> pd.DataFrame:
    """`pairs` (user_id, film_id, ...) with predicted stars and confidence."""
    predicted = trained.model.predict(pairs)
    return pairs.assign(predicted_rating=predicted, confidence=trained.calibrator(predicted))
