"""The experiment statistics on simulated experiments: false positives, power, sample-ratio
mismatch, assignment, and the fixed-horizon guard. No warehouse."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

from ml.experiments import (
    FINAL,
    INTERIM,
    SAMPLE_RATIO_MISMATCH,
    ExperimentDesign,
    analyse,
    assign,
    planned_sample_size,
    rejection_rate,
    simulated_outcomes,
    user_outcomes,
)

pytestmark = pytest.mark.nodb

SIMULATIONS = 300
CLICKS = ExperimentDesign(
    "gravitas_picks", ("plain", "gravitas"), (0.5, 0.5), "rate", mde=0.03, baseline_rate=0.10
)
RATINGS = ExperimentDesign(
    "rating_after_pick", ("plain", "gravitas"), (0.5, 0.5), "mean", mde=0.15, outcome_sd=1.0
)


def binomial_band(n: int, p: float, level: float = 0.99) -> tuple[float, float]:
    low, high = binom.interval(level, n, p)
    return low / n, high / n


@pytest.mark.parametrize("design", [CLICKS, RATINGS], ids=["rate", "mean"])
def test_aa_false_positive_rate_is_alpha(design):
    observed = rejection_rate(design, effect=0.0, experiments=SIMULATIONS, seed=1)
    low, high = binomial_band(SIMULATIONS, design.alpha)
    assert low <= observed <= high


@pytest.mark.parametrize("design", [CLICKS, RATINGS], ids=["rate", "mean"])
def test_planted_mde_is_detected_with_the_planned_power(design):
    """At the planned sample size the power is 0.80 by construction, so a simulated share
    scatters around 0.80: it must not lie below the binomial 99% band of a true 0.80 (a
    sample size planned too small fails here) nor above it (one planned wastefully large)."""
    observed = rejection_rate(design, effect=design.mde, experiments=SIMULATIONS, seed=2)
    low, high = binomial_band(SIMULATIONS, design.power)
    assert low <= observed <= high


def test_planned_size_matches_the_textbook_formula():
    # 0.10 against 0.13 at alpha 0.05 and power 0.8: 2 (z.975 + z.8)^2 / h^2 users per arm,
    # h being Cohen's h (the variance of each arcsine-transformed rate is 1/n)
    h = 2 * np.arcsin(np.sqrt(0.13)) - 2 * np.arcsin(np.sqrt(0.10))
    per_arm = int(np.ceil(2 * (1.959964 + 0.841621) ** 2 / h**2))
    assert planned_sample_size(CLICKS) == dict.fromkeys(CLICKS.arms, per_arm)


def test_unequal_allocation_and_extra_arms_need_more_users():
    two_arms = sum(planned_sample_size(CLICKS).values())
    skewed = ExperimentDesign("s", ("a", "b"), (0.8, 0.2), "rate", mde=0.03, baseline_rate=0.10)
    three = ExperimentDesign(
        "t", ("a", "b", "c"), (1 / 3,) * 3, "rate", mde=0.03, baseline_rate=0.10
    )
    assert sum(planned_sample_size(skewed).values()) > two_arms
    assert three.comparison_alpha == pytest.approx(0.025)
    assert planned_sample_size(three)["a"] > planned_sample_size(CLICKS)["plain"]


def test_a_45_55_split_of_a_planned_50_50_is_a_sample_ratio_mismatch():
    rng = np.random.default_rng(3)
    n = sum(planned_sample_size(CLICKS).values())
    broken = simulated_outcomes(
        CLICKS, {"plain": int(n * 0.45), "gravitas": n - int(n * 0.45)}, 0.0, rng
    )
    result = analyse(CLICKS, broken)
    assert result.sample_ratio.flagged and result.sample_ratio.p_value < 0.001
    assert result.status == SAMPLE_RATIO_MISMATCH and not result.final
    assert result.summary()["srm_flagged"] and "sample ratio mismatch" in result.reason
    intact = analyse(CLICKS, simulated_outcomes(CLICKS, planned_sample_size(CLICKS), 0.0, rng))
    assert not intact.sample_ratio.flagged


def test_results_are_interim_until_the_planned_sample_size():
    rng = np.random.default_rng(4)
    planned = planned_sample_size(CLICKS)
    half = analyse(
        CLICKS, simulated_outcomes(CLICKS, {a: n // 2 for a, n in planned.items()}, 0.1, rng)
    )
    assert half.effects[0].significant  # a large effect is already visible ...
    assert half.status == INTERIM and not half.final  # ... and still not readable as final
    assert "not readable as final" in half.reason
    full = analyse(CLICKS, simulated_outcomes(CLICKS, planned, 0.1, rng))
    assert full.status == FINAL and full.final


def test_effect_interval_and_counts_per_arm():
    outcomes = pd.DataFrame(
        {
            "arm": ["plain"] * 1000 + ["gravitas"] * 1000,
            "value": [1.0] * 100 + [0.0] * 900 + [1.0] * 150 + [np.nan] * 850,
        }
    )
    result = analyse(CLICKS, outcomes)
    arms = result.arms_frame().set_index("arm")
    assert arms.loc["gravitas", "n"] == 1000 and arms.loc["gravitas", "mean"] == pytest.approx(0.15)
    effect = result.effects[0]
    assert effect.difference == pytest.approx(0.05)
    assert effect.ci_low < 0.05 < effect.ci_high and effect.ci_low > 0 and effect.p_value < 0.01


def test_mean_outcomes_leave_users_without_one_out_of_the_test_not_the_ratio():
    outcomes = pd.DataFrame(
        {"arm": ["plain", "plain", "gravitas", "gravitas"], "value": [3.0, 4.0, 5.0, np.nan]}
    )
    arms = analyse(RATINGS, outcomes).arms_frame().set_index("arm")
    assert arms.loc["gravitas", "exposed"] == 2 and arms.loc["gravitas", "n"] == 1


def test_no_exposures_yet_is_interim_with_no_effect():
    result = analyse(CLICKS, pd.DataFrame({"arm": pd.Series([], dtype=str), "value": []}))
    assert result.status == INTERIM and not result.sample_ratio.flagged
    assert np.isnan(result.effects[0].p_value) and not result.effects[0].significant


def test_unknown_arm_is_an_error():
    with pytest.raises(ValueError, match="not in"):
        analyse(CLICKS, pd.DataFrame({"arm": ["plain", "gravitas_v2"], "value": [1.0, 0.0]}))


def test_a_design_from_lists_is_the_same_design():
    from_lists = ExperimentDesign(
        "gravitas_picks", ["plain", "gravitas"], [0.5, 0.5], "rate", 0.03, 0.10
    )
    assert from_lists == CLICKS and planned_sample_size(from_lists) == planned_sample_size(CLICKS)


def test_invalid_design_lists_its_problems():
    with pytest.raises(ValueError, match="allocation must sum to 1.*baseline_rate"):
        ExperimentDesign("x", ("a", "b"), (0.5, 0.6), "rate", mde=0.02)


USERS = range(10_000)


def test_assignment_is_deterministic_and_balanced():
    arms = assign(CLICKS, USERS)
    assert arms.equals(assign(CLICKS, USERS))
    as_read = assign(CLICKS, pd.Series(USERS, dtype="float64"))  # ids through a float column
    assert (as_read.to_numpy() == arms.to_numpy()).all()
    counts = arms.value_counts()
    low, high = binom.interval(0.999, len(USERS), 0.5)
    assert low <= counts["gravitas"] <= high
    other = assign(ExperimentDesign("another", CLICKS.arms, (0.5, 0.5), "rate", 0.03, 0.10), USERS)
    assert 0.45 < (other == arms).mean() < 0.55  # experiments split users independently


def test_assignment_is_the_same_in_another_process():
    code = (
        "from ml.experiments import ExperimentDesign, assign\n"
        "d = ExperimentDesign('gravitas_picks', ('plain', 'gravitas'), (0.5, 0.5), 'rate',\n"
        "                     mde=0.03, baseline_rate=0.10)\n"
        "print(''.join('1' if a == 'gravitas' else '0' for a in assign(d, range(10_000))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = "".join("1" if a == "gravitas" else "0" for a in assign(CLICKS, USERS))
    assert done.stdout.strip() == here


def test_assignment_follows_an_uneven_allocation():
    design = ExperimentDesign("uneven", ("a", "b", "c"), (0.2, 0.3, 0.5), "rate", 0.03, 0.10)
    shares = assign(design, USERS).value_counts(normalize=True)
    for arm, share in zip(design.arms, design.allocation, strict=True):
        low, high = binomial_band(len(USERS), share, 0.999)
        assert low <= shares[arm] <= high


def test_user_outcomes_count_only_events_after_first_exposure():
    at = pd.Timestamp("2026-01-01", tz="UTC")
    assignments = pd.DataFrame({"user_id": [1, 2, 3], "arm": ["plain", "gravitas", "gravitas"]})
    exposures = pd.DataFrame({"user_id": [1, 2, 2], "at": [at, at, at + pd.Timedelta(days=1)]})
    events = pd.DataFrame(
        {
            "user_id": [1, 2, 3],
            "at": [at - pd.Timedelta(hours=1), at + pd.Timedelta(hours=1), at],
            "value": [1.0, 1.0, 1.0],
        }
    )
    rate = user_outcomes(assignments, exposures, events, "rate").set_index("user_id")
    assert rate["value"].to_dict() == {1: 0.0, 2: 1.0}  # user 3 was never exposed
    with pytest.raises(ValueError, match="no assignment"):
        user_outcomes(assignments[assignments["user_id"] != 2], exposures, events, "rate")
