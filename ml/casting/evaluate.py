"""Holdout metrics, the baselines the model must beat, and the flip guard."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ml.casting.calibration import expected_calibration_error

# The logistic baseline's "few obvious features".
LOGISTIC_FEATURES = ["atr3", "prior_roles", "budget_decile", "genre_fit"]


class FlippedHeadError(RuntimeError):
    """A head ranks the holdout worse than chance: shipping it would invert the slate."""


def flip_guard(head: str, auroc: float) -> None:
    if not auroc >= 0.5:
        raise FlippedHeadError(
            f"the {head} head has holdout AUROC {auroc:.3f} < 0.5; refusing to ship a flipped model"
        )


def ranking_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {"auroc": float(roc_auc_score(y, p)), "pr_auc": float(average_precision_score(y, p))}


def probability_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {
        **ranking_metrics(y, p),
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p),
    }


def per_year_pr_auc(years: pd.Series, y: pd.Series, p: pd.Series) -> dict[str, float]:
    """PR-AUC per holdout year (years with a single class have none)."""
    frame = pd.DataFrame({"year": years, "y": y, "p": p})
    return {
        str(year): float(average_precision_score(group["y"], group["p"]))
        for year, group in frame.groupby("year")
        if group["y"].nunique() == 2
    }


def prior_rate_baseline(rows: pd.DataFrame, base_rate: float) -> np.ndarray:
    """The actor's resonance rate over all earlier roles; the train base rate for newcomers."""
    return rows["prior_rate"].fillna(base_rate).to_numpy()


def fit_logistic_baseline(train: pd.DataFrame, seed: int):
    model = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True),
        StandardScaler(),
        LogisticRegression(random_state=seed),
    )
    return model.fit(train[LOGISTIC_FEATURES], train["resonance"])
