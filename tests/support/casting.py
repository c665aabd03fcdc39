"""Casting model settings for tests: smaller forests and fewer boosting rounds than the
defaults keep the suite fast; the benchmark trains with the defaults."""

from __future__ import annotations

from ml.casting.params import CastingParams

FAST_SETTINGS = {"rf_n_estimators": 60, "hgb_max_iter": 80}
FAST = CastingParams(**FAST_SETTINGS)
