"""Display calibration: probabilities a producer can read as frequencies.

Calibration never changes the ranking (that is `p_rank`); it only maps scores to `p_cal`.
Both calibrators are fitted on the calibration slice, the last training years that the base
model did not see:
- Platt scaling on the features, via `CalibratedClassifierCV` around the frozen base model
  (the current scikit-learn spelling of the old `cv="prefit"`);
- isotonic regression on the base probabilities, preferred when it keeps enough distinct
  levels. With few calibration rows isotonic can collapse into a handful of steps, which
  would print the same probability for very different candidates: then Platt is used and
  the fallback is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.isotonic import IsotonicRegression


@dataclass
class DisplayCalibrator:
    method: str  # "isotonic" or "platt"
    platt: CalibratedClassifierCV
    isotonic: IsotonicRegression
    isotonic_levels: int
    fallback_reason: str | None

    def predict(self, features: pd.DataFrame, p_base: np.ndarray) -> np.ndarray:
        if self.method == "isotonic":
            return self.isotonic.predict(p_base)
        return self.platt.predict_proba(features)[:, 1]

    def summary(self) -> dict:
        return {
            "method": self.method,
            "isotonic_levels": self.isotonic_levels,
            "fallback_reason": self.fallback_reason,
        }


def fit_display_calibration(
    model, features: pd.DataFrame, y: np.ndarray, p_base: np.ndarray, min_isotonic_levels: int
) -> DisplayCalibrator:
    """Fit both calibrators on the calibration slice and choose one (see module doc)."""
    platt = CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid").fit(features, y)
    isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p_base, y)
    levels = len(np.unique(isotonic.predict(p_base)))
    collapsed = levels < min_isotonic_levels
    reason = (
        f"isotonic collapsed to {levels} distinct values (< {min_isotonic_levels})"
        if collapsed
        else None
    )
    return DisplayCalibrator("platt" if collapsed else "isotonic", platt, isotonic, levels, reason)


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Mean |observed rate - mean probability| over equal-width bins, weighted by bin size."""
    frame = pd.DataFrame(
        {"y": y, "p": p, "bin": np.minimum((np.asarray(p) * bins).astype(int), bins - 1)}
    )
    by_bin = frame.groupby("bin").agg(y=("y", "mean"), p=("p", "mean"), n=("y", "size"))
    return float((by_bin["y"] - by_bin["p"]).abs().mul(by_bin["n"]).sum() / len(frame))
