"""An experiment's result: per-arm counts and means, each treatment's effect on the control
with its confidence interval and p-value, a sample-ratio-mismatch check, and whether the
result may be read as final.

Input: one row per exposed user with the user's `arm` and `value`: for a rate 1 or 0 (a
missing value counts as 0: exposed, no event); for a mean the user's outcome, or missing
when the user had none (counted as exposed, left out of the mean).

Rates: two-proportion z-test (statsmodels `proportions_ztest`, pooled variance) and the
Newcombe interval of the difference (`confint_proportions_2indep`). Means: Welch's t-test
and interval (statsmodels `CompareMeans`, `usevar="unequal"`). Each test and interval is at
the design's comparison level (alpha, Bonferroni-divided when there are several treatments).

Sample ratio mismatch: a chi-square test of the exposed users per arm against the planned
allocation (scipy `chisquare`). It is flagged at p < SRM_ALPHA = 0.001, a level a working
assignment reaches once in a thousand analyses: a flag means the assignment or the exposure
logging is broken, and no effect of that experiment can be trusted.

Peeking guard, a fixed horizon: the p-value of a test that is looked at every day and
stopped at the first p < alpha is not a p-value (its false-positive rate grows with every
look). So a result is `final` only when every arm has reached its planned sample size
(`planned_sample_size`) and the allocation is intact; before that its status is "interim"
and it is not readable as final, whatever its p-value. A consumer shows interim effects as
progress, never as a decision; the test is run once, at the horizon.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.stats import chisquare
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from ml.experiments.design import ExperimentDesign, planned_sample_size

SRM_ALPHA = 0.001
FINAL, INTERIM, SAMPLE_RATIO_MISMATCH = "final", "interim", "sample_ratio_mismatch"


@dataclass(frozen=True)
class ArmResult:
    arm: str
    exposed: int  # users assigned and exposed
    n: int  # users in the test: exposed (rates) or exposed with an outcome (means)
    planned_n: int
    planned_share: float
    observed_share: float  # of exposed users
    mean: float
    std: float


@dataclass(frozen=True)
class Effect:
    """A treatment minus the control."""

    arm: str
    control: str
    difference: float
    ci_low: float
    ci_high: float
    confidence: float
    p_value: float
    significant: bool


@dataclass(frozen=True)
class SampleRatio:
    statistic: float
    p_value: float
    flagged: bool


@dataclass(frozen=True)
class ExperimentAnalysis:
    experiment: str
    kind: str
    arms: tuple[ArmResult, ...]
    effects: tuple[Effect, ...]
    sample_ratio: SampleRatio
    final: bool
    status: str  # FINAL, INTERIM or SAMPLE_RATIO_MISMATCH
    reason: str

    def summary(self) -> dict:
        """One row per analysis: what an experiment's status line shows."""
        return {
            "experiment": self.experiment,
            "kind": self.kind,
            "status": self.status,
            "final": self.final,
            "reason": self.reason,
            "srm_statistic": self.sample_ratio.statistic,
            "srm_p_value": self.sample_ratio.p_value,
            "srm_flagged": self.sample_ratio.flagged,
        }

    def arms_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(arm) for arm in self.arms])

    def effects_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(effect) for effect in self.effects])


def sample_ratio_check(exposed: list[int], allocation: tuple[float, ...]) -> SampleRatio:
    """Chi-square of the exposed users per arm against the planned allocation."""
    total = sum(exposed)
    if total == 0:
        return SampleRatio(math.nan, math.nan, False)
    statistic, p_value = chisquare(exposed, f_exp=np.asarray(allocation) * total)
    return SampleRatio(float(statistic), float(p_value), bool(p_value < SRM_ALPHA))


def compare_rates(treatment: np.ndarray, control: np.ndarray, alpha: float) -> tuple[float, ...]:
    """(difference, ci_low, ci_high, p_value) of two arrays of 0/1 outcomes."""
    counts = np.array([treatment.sum(), control.sum()])
    nobs = np.array([treatment.size, control.size])
    if nobs.min() == 0:
        return (math.nan,) * 4
    with np.errstate(divide="ignore", invalid="ignore"):  # no events in either arm: p is nan
        _, p_value = proportions_ztest(counts, nobs)
    low, high = confint_proportions_2indep(
        counts[0], nobs[0], counts[1], nobs[1], compare="diff", alpha=alpha
    )
    return counts[0] / nobs[0] - counts[1] / nobs[1], low, high, p_value


def compare_means(treatment: np.ndarray, control: np.ndarray, alpha: float) -> tuple[float, ...]:
    """(difference, ci_low, ci_high, p_value) of Welch's t-test."""
    if min(treatment.size, control.size) < 2:
        return (math.nan,) * 4
    compared = CompareMeans(DescrStatsW(treatment), DescrStatsW(control))
    _, p_value, _ = compared.ttest_ind(usevar="unequal")
    low, high = compared.tconfint_diff(alpha=alpha, usevar="unequal")
    return treatment.mean() - control.mean(), low, high, p_value


COMPARE = {"rate": compare_rates, "mean": compare_means}


def analyse(design: ExperimentDesign, outcomes: pd.DataFrame) -> ExperimentAnalysis:
    """The experiment's result on `outcomes` (columns arm, value; one row per exposed user)."""
    unknown = set(outcomes["arm"].unique()) - set(design.arms)
    if unknown:
        raise ValueError(f"outcomes name arms {sorted(unknown)} not in {list(design.arms)}")
    values = outcomes["value"].astype(float)
    grouped = dict(tuple(values.groupby(outcomes["arm"].to_numpy(), sort=False)))
    return analyse_arms(
        design,
        {arm: grouped[arm].to_numpy() if arm in grouped else np.empty(0) for arm in design.arms},
    )


def analyse_arms(design: ExperimentDesign, values: Mapping[str, np.ndarray]) -> ExperimentAnalysis:
    """`analyse` on each arm's array of exposed users' values (nan: no outcome)."""
    by_arm = {
        arm: np.nan_to_num(values[arm], nan=0.0) if design.kind == "rate" else values[arm]
        for arm in design.arms
    }
    exposed = [arm_values.size for arm_values in by_arm.values()]
    tested = {arm: arm_values[~np.isnan(arm_values)] for arm, arm_values in by_arm.items()}
    planned = planned_sample_size(design)
    total = max(sum(exposed), 1)
    arms = tuple(
        ArmResult(
            arm=arm,
            exposed=by_arm[arm].size,
            n=tested[arm].size,
            planned_n=planned[arm],
            planned_share=design.share(arm),
            observed_share=by_arm[arm].size / total,
            mean=float(tested[arm].mean()) if tested[arm].size else math.nan,
            std=float(tested[arm].std(ddof=1)) if tested[arm].size > 1 else math.nan,
        )
        for arm in design.arms
    )
    alpha = design.comparison_alpha
    effects = []
    for arm in design.treatments:
        difference, low, high, p_value = COMPARE[design.kind](
            tested[arm], tested[design.control], alpha
        )
        effects.append(
            Effect(
                arm=arm,
                control=design.control,
                difference=float(difference),
                ci_low=float(low),
                ci_high=float(high),
                confidence=1 - alpha,
                p_value=float(p_value),
                significant=bool(p_value < alpha),
            )
        )
    sample_ratio = sample_ratio_check(exposed, design.allocation)
    status, reason = _readability(arms, sample_ratio)
    return ExperimentAnalysis(
        experiment=design.name,
        kind=design.kind,
        arms=arms,
        effects=tuple(effects),
        sample_ratio=sample_ratio,
        final=status == FINAL,
        status=status,
        reason=reason,
    )


def _readability(arms: tuple[ArmResult, ...], sample_ratio: SampleRatio) -> tuple[str, str]:
    if sample_ratio.flagged:
        shares = ", ".join(
            f"{a.arm} {a.observed_share:.3f} (planned {a.planned_share:.3f})" for a in arms
        )
        return SAMPLE_RATIO_MISMATCH, (
            f"sample ratio mismatch (chi-square p = {sample_ratio.p_value:.2g} < {SRM_ALPHA}): "
            f"{shares}; the assignment or exposure logging is broken, no effect is trustworthy"
        )
    short = [a for a in arms if a.n < a.planned_n]
    if short:
        progress = ", ".join(f"{a.arm} {a.n}/{a.planned_n}" for a in short)
        return INTERIM, f"not readable as final: below the planned sample size ({progress})"
    return FINAL, "planned sample size reached in every arm; allocation intact"
