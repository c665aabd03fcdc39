"""Simulated experiments that check the statistics do what they claim: with no true effect
(A/A) a test rejects in about alpha of experiments; with a true effect of the MDE and the
planned sample size, it rejects in about `power` of them."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ml.experiments.analysis import analyse_arms
from ml.experiments.design import ExperimentDesign, planned_sample_size


def simulated_outcomes(
    design: ExperimentDesign, n_per_arm: Mapping[str, int], effect: float, rng: np.random.Generator
) -> pd.DataFrame:
    """arm, value for `n_per_arm` users per arm, every treatment `effect` above the control:
    Bernoulli(baseline_rate) for a rate, Normal(0, outcome_sd) for a mean."""
    values = simulated_arms(design, n_per_arm, effect, rng)
    return pd.DataFrame(
        {
            "arm": np.repeat(list(values), [v.size for v in values.values()]),
            "value": np.concatenate(list(values.values())),
        }
    )


def simulated_arms(
    design: ExperimentDesign, n_per_arm: Mapping[str, int], effect: float, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """`simulated_outcomes` as one array of values per arm."""
    values = {}
    for arm, n in n_per_arm.items():
        shift = 0.0 if arm == design.control else effect
        if design.kind == "rate":
            values[arm] = (rng.random(n) < design.baseline_rate + shift).astype(float)
        else:
            values[arm] = rng.normal(shift, design.outcome_sd, n)
    return values


def rejection_rate(
    design: ExperimentDesign, effect: float, experiments: int, seed: int = 0
) -> float:
    """Share of `experiments` simulated at the planned sample size in which any treatment's
    effect is significant: the false-positive rate at effect 0, the power at the MDE."""
    rng = np.random.default_rng(seed)
    planned = planned_sample_size(design)
    rejected = 0
    for _ in range(experiments):
        result = analyse_arms(design, simulated_arms(design, planned, effect, rng))
        rejected += any(e.significant for e in result.effects)
    return rejected / experiments
