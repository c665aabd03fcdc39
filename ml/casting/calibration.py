"""Display calibration: probabilities a producer can read as frequencies.

Calibration never changes the ranking (that is `p_rank`); it only maps the base probability
to `p_cal`. Three candidates are compared on the calibration slice, the last training years
that the base model did not see:
- `none`: the base probability as it is;
- `platt`: a logistic regression on logit(p_base);
- `isotonic`: a monotone step function of p_base. With few rows it can collapse into a
  handful of steps, printing one probability for very different candidates: a fit with fewer
  than `min_isotonic_levels` distinct values is not a candidate.

Each is scored by its ECE on the slice, fitted and scored fold by fold (seeded k-fold): a
calibrator scored on its own fitting rows looks perfect, isotonic above all. The lowest ECE
wins and is refitted on the whole slice; the choice and all three ECEs are kept.

Every displayed probability carries its support: how many calibration rows had a calibrated
probability in the same tenth. A probability is never shown beyond what the slice supports:
`p_cal` is held within the range of the calibrated probabilities of the slice's rows (a
candidate scored above every calibration row is shown at the highest, which has rows behind
it), and within [1 - DISPLAY_CAP, DISPLAY_CAP], so never as a certainty; a value falling in a
tenth no calibration row reached (isotonic interpolates between its steps) is shown as the
nearest value a calibration row did get.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

METHODS = ("none", "platt", "isotonic")
BINS = 10
FOLDS = 5
# Two decimals never print 1.00 or 0.00: a probability is never shown as a certainty.
DISPLAY_CAP = 0.99
# Keeps logit finite for base probabilities of exactly 0 or 1.
EPSILON = 1e-6


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPSILON, 1 - EPSILON)
    return np.log(p / (1 - p)).reshape(-1, 1)


def calibration_bin(p: np.ndarray) -> np.ndarray:
    """The tenth of [0, 1] a probability falls in (0-9)."""
    return np.minimum((np.asarray(p, dtype=float) * BINS).astype(int), BINS - 1)


def _fit(method: str, p: np.ndarray, y: np.ndarray, seed: int):
    if method == "platt":
        return LogisticRegression(random_state=seed).fit(_logit(p), y)
    if method == "isotonic":
        return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
    return None


def _apply(method: str, fitted, p: np.ndarray) -> np.ndarray:
    if method == "platt":
        return fitted.predict_proba(_logit(p))[:, 1]
    if method == "isotonic":
        return fitted.predict(p)
    return np.asarray(p, dtype=float)


@dataclass
class DisplayCalibrator:
    method: str  # one of METHODS, the lowest cross-fitted ECE on the calibration slice
    fitted: object  # the chosen calibrator refitted on the whole slice (None for "none")
    ece: dict[str, float]  # cross-fitted ECE of every candidate on the calibration slice
    isotonic_levels: int
    excluded: dict[str, str]  # candidates left out, and why
    bin_support: tuple[int, ...]  # calibration rows per tenth of the calibrated probability
    levels: tuple[float, ...]  # the calibrated probabilities of the slice's rows, sorted

    def predict(self, p_base: np.ndarray) -> np.ndarray:
        levels = np.asarray(self.levels)
        p = np.clip(_apply(self.method, self.fitted, p_base), levels[0], levels[-1])
        unsupported = self.support(p) == 0
        above = np.clip(np.searchsorted(levels, p[unsupported]), 1, len(levels) - 1)
        below, upper = levels[above - 1], levels[above]
        p[unsupported] = np.where(p[unsupported] - below <= upper - p[unsupported], below, upper)
        return p

    def support(self, p_cal: np.ndarray) -> np.ndarray:
        """Calibration rows behind each displayed probability (its tenth's count)."""
        return np.asarray(self.bin_support)[calibration_bin(p_cal)]

    def summary(self) -> dict:
        return {
            "method": self.method,
            "ece_calibration_slice": self.ece,
            "isotonic_levels": self.isotonic_levels,
            "excluded": self.excluded,
            "bin_support": list(self.bin_support),
            "supported_range": [self.levels[0], self.levels[-1]],
        }


def _cross_fitted_ece(method: str, p: np.ndarray, y: np.ndarray, seed: int) -> float:
    if method == "none":
        return expected_calibration_error(y, p)
    out = np.empty(len(p))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for fit_rows, score_rows in folds.split(p.reshape(-1, 1), y):
        fitted = _fit(method, p[fit_rows], y[fit_rows], seed)
        out[score_rows] = _apply(method, fitted, p[score_rows])
    return expected_calibration_error(y, out)


def fit_display_calibration(
    y: np.ndarray, p_base: np.ndarray, min_isotonic_levels: int, seed: int
) -> DisplayCalibrator:
    """Score the candidates on the calibration slice and refit the best one (see module doc)."""
    y, p_base = np.asarray(y), np.asarray(p_base, dtype=float)
    isotonic = _fit("isotonic", p_base, y, seed)
    isotonic_levels = len(np.unique(isotonic.predict(p_base)))
    excluded = (
        {"isotonic": f"collapsed to {isotonic_levels} distinct values (< {min_isotonic_levels})"}
        if isotonic_levels < min_isotonic_levels
        else {}
    )
    ece = {method: _cross_fitted_ece(method, p_base, y, seed) for method in METHODS}
    method = min((m for m in METHODS if m not in excluded), key=lambda m: (ece[m], m))
    fitted = _fit(method, p_base, y, seed)
    shown = np.clip(_apply(method, fitted, p_base), 1 - DISPLAY_CAP, DISPLAY_CAP)
    support = np.bincount(calibration_bin(shown), minlength=BINS)
    levels = tuple(float(v) for v in np.unique(shown))
    bins = tuple(int(n) for n in support)
    return DisplayCalibrator(method, fitted, ece, isotonic_levels, excluded, bins, levels)


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = BINS) -> float:
    """Mean |observed rate - mean probability| over equal-width bins, weighted by bin size."""
    frame = pd.DataFrame(
        {"y": y, "p": p, "bin": np.minimum((np.asarray(p) * bins).astype(int), bins - 1)}
    )
    by_bin = frame.groupby("bin").agg(y=("y", "mean"), p=("p", "mean"), n=("y", "size"))
    return float((by_bin["y"] - by_bin["p"]).abs().mul(by_bin["n"]).sum() / len(frame))
