"""An experiment's design and the sample size it needs before its result can be read.

The first arm is the control; every other arm is compared with it. With more than one
treatment arm, each comparison is made at alpha / (number of treatment arms) (Bonferroni),
so the chance of any false positive stays at most alpha, and the planned sample size is
computed at that stricter level.

The minimum detectable effect (MDE) is absolute: rate points for a rate (0.02 = two points
on a 10% click rate), outcome units for a mean (0.1 stars). Power comes from statsmodels:
`NormalIndPower` with Cohen's h (`proportion_effectsize`) for rates, `TTestIndPower` with
Cohen's d (MDE / outcome standard deviation) for means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import proportion_effectsize

KINDS = ("rate", "mean")
ALLOCATION_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ExperimentDesign:
    """What an experiment compares and how sure its answer must be (`app.experiments`)."""

    name: str
    arms: tuple[str, ...]
    allocation: tuple[float, ...]
    kind: str
    mde: float
    baseline_rate: float | None = None  # rates: the control's expected rate
    outcome_sd: float | None = None  # means: the outcome's standard deviation
    alpha: float = 0.05
    power: float = 0.8

    def __post_init__(self) -> None:
        # Arms and shares read from the warehouse arrive as lists; tuples keep the design hashable.
        object.__setattr__(self, "arms", tuple(self.arms))
        object.__setattr__(self, "allocation", tuple(float(share) for share in self.allocation))
        problems = list(self._problems())
        if problems:
            raise ValueError(f"experiment {self.name!r}: " + "; ".join(problems))

    def _problems(self):
        if not self.name:
            yield "a name is required"
        if len(self.arms) < 2 or len(set(self.arms)) != len(self.arms):
            yield f"needs two or more distinct arms, got {list(self.arms)}"
        if len(self.allocation) != len(self.arms):
            yield f"{len(self.arms)} arms but {len(self.allocation)} allocation shares"
        if any(share <= 0 for share in self.allocation):
            yield f"every allocation share must be positive, got {list(self.allocation)}"
        if abs(sum(self.allocation) - 1) > ALLOCATION_TOLERANCE:
            yield f"allocation must sum to 1, got {sum(self.allocation)}"
        if self.kind not in KINDS:
            yield f"kind must be one of {KINDS}, got {self.kind!r}"
        if not self.mde > 0:
            yield f"the minimum detectable effect must be positive, got {self.mde}"
        if not 0 < self.alpha < 1 or not 0 < self.power < 1:
            yield f"alpha and power must lie in (0, 1), got {self.alpha} and {self.power}"
        if self.kind == "rate" and not (
            self.baseline_rate is not None
            and 0 < self.baseline_rate < self.baseline_rate + self.mde < 1
        ):
            yield "a rate needs a baseline_rate with 0 < baseline_rate < baseline_rate + mde < 1"
        if self.kind == "mean" and not (self.outcome_sd is not None and self.outcome_sd > 0):
            yield "a mean needs a positive outcome_sd"

    @property
    def control(self) -> str:
        return self.arms[0]

    @property
    def treatments(self) -> tuple[str, ...]:
        return self.arms[1:]

    @property
    def comparison_alpha(self) -> float:
        """The level of each treatment-versus-control test (Bonferroni over the treatments)."""
        return self.alpha / len(self.treatments)

    def share(self, arm: str) -> float:
        return self.allocation[self.arms.index(arm)]


def effect_size(design: ExperimentDesign) -> float:
    """The MDE as a standardised effect: Cohen's h for a rate, Cohen's d for a mean."""
    if design.kind == "rate":
        return float(proportion_effectsize(design.baseline_rate + design.mde, design.baseline_rate))
    return design.mde / design.outcome_sd


@cache  # designs are frozen, and the root finding costs milliseconds per analysis
def planned_sample_size(design: ExperimentDesign) -> dict[str, int]:
    """Users each arm needs (with an outcome) for `power` to detect the MDE, two-sided.

    Each treatment is solved against the control with its allocation ratio; the largest
    total any comparison needs is split by the allocation and rounded up."""
    solver = NormalIndPower() if design.kind == "rate" else TTestIndPower()
    control_share = design.share(design.control)
    total = 0.0
    for arm in design.treatments:
        control_n = solver.solve_power(
            effect_size=effect_size(design),
            alpha=design.comparison_alpha,
            power=design.power,
            ratio=design.share(arm) / control_share,
            alternative="two-sided",
        )
        total = max(total, float(control_n) / control_share)
    return {
        arm: math.ceil(total * share)
        for arm, share in zip(design.arms, design.allocation, strict=True)
    }


# The first real experiment (the companion's picks with and without gravitas, clicks as the
# outcome: a 10% click rate, 2 points to detect). The catalogue's 0010_learning.sql inserts it
# into app.experiments with these values; bench/learning.py simulates it.
GRAVITAS_PICKS = ExperimentDesign(
    "gravitas_picks", ("plain", "gravitas"), (0.5, 0.5), "rate", mde=0.02, baseline_rate=0.10
)
