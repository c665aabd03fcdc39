"""Confidence: the calibrated probability that the user rates the film 4 stars or more.

An isotonic map from predicted stars to the observed share of 4+ ratings. It is fitted on
the validation slice of the training window (ratings the fitted model had not seen), so the
holdout, where its expected calibration error is reported, stays untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression

from ml.casting.calibration import expected_calibration_error

LIKED = 4.0


@dataclass
class ConfidenceCalibrator:
    isotonic: IsotonicRegression

    @classmethod
    def fit(cls, predicted: np.ndarray, ratings: np.ndarray) -> ConfidenceCalibrator:
        isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        return cls(isotonic.fit(predicted, np.asarray(ratings) >= LIKED))

    def __call__(self, predicted: np.ndarray) -> np.ndarray:
        return self.isotonic.predict(np.asarray(predicted, dtype=float))

    def ece(self, predicted: np.ndarray, ratings: np.ndarray) -> float:
        """Expected calibration error on rows the calibrator was not fitted on."""
        return expected_calibration_error(np.asarray(ratings) >= LIKED, self(predicted))
