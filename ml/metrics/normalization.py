"""Normalisation curves in Python, the twin of `dbt_project/macros/metrics/normalize_metric.sql`.

Both follow the same three steps, in the same order and with the same floating-point
operations, so that a test can require them to agree within 1e-9 on every active metric:

1. a null raw value stays null (never 0);
2. a raw value outside the metric's raw scale is clamped to the nearest bound, and flagged;
3. the curve maps the value, and its result is bounded to [0, 1] (a logarithmic curve passes
   1 above its threshold: such films saturate at 1).

The formulas are the design's: linear (x - min) / (max - min); logarithmic
log(x + 1) / log(threshold + 1); sigmoid 1 / (1 + exp(-k * (midpoint - x))); a step table
("custom" in the design: the value of the highest step the raw value reaches); boolean.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

# exp() overflows a double just above 709; past +-700 the sigmoid is 0 or 1 to 300 digits.
SIGMOID_EXPONENT_LIMIT = 700.0


def linear(x: float, *, min: float, max: float) -> float:  # the design's parameter names
    return (x - min) / (max - min)


def logarithmic(x: float, *, threshold: float) -> float:
    return math.log(x + 1) / math.log(threshold + 1)


def sigmoid(x: float, *, k: float, midpoint: float) -> float:
    exponent = -k * (midpoint - x)
    exponent = min(SIGMOID_EXPONENT_LIMIT, max(-SIGMOID_EXPONENT_LIMIT, exponent))
    return 1 / (1 + math.exp(exponent))


def step(x: float, *, steps: list[list[float]]) -> float:
    """The value of the highest threshold that `x` reaches; 0 below the first threshold."""
    reached = [(threshold, value) for threshold, value in steps if threshold <= x]
    return float(max(reached)[1]) if reached else 0.0


def boolean(x: float, *, true_value: float, false_value: float = 0.0) -> float:
    return float(true_value) if x != 0 else float(false_value)


CURVES: dict[str, Callable[..., float]] = {
    "linear": linear,
    "logarithmic": logarithmic,
    "sigmoid": sigmoid,
    "step": step,
    "boolean": boolean,
}


@dataclass(frozen=True)
class Normalized:
    """A normalised value and whether its raw value had to be clamped into the raw scale."""

    value: float | None
    clamped: bool


def clamp_to_scale(raw: float, scale_min: float | None, scale_max: float | None) -> float:
    """The raw value moved into [scale_min, scale_max]; a missing bound does not clamp."""
    bounded = raw if scale_min is None else max(raw, scale_min)
    return bounded if scale_max is None else min(bounded, scale_max)


def normalize(
    raw: float | None,
    normalization_type: str,
    params: dict,
    scale_min: float | None = None,
    scale_max: float | None = None,
) -> Normalized:
    """Map one raw value onto [0, 1] with one of the `CURVES`."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return Normalized(None, False)
    try:
        curve = CURVES[normalization_type]
    except KeyError:
        raise ValueError(
            f"unknown normalization type {normalization_type!r}; valid: {', '.join(CURVES)}"
        ) from None
    bounded = clamp_to_scale(float(raw), scale_min, scale_max)
    value = curve(bounded, **params)
    return Normalized(min(1.0, max(0.0, value)), bounded != raw)
