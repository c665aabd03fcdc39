"""A/B experiments without a database: design and power, deterministic assignment, analysis
with a sample-ratio check and a fixed-horizon guard against peeking, and simulations that
check the statistics."""

from ml.experiments.analysis import (
    FINAL,
    INTERIM,
    SAMPLE_RATIO_MISMATCH,
    SRM_ALPHA,
    ArmResult,
    Effect,
    ExperimentAnalysis,
    SampleRatio,
    analyse,
    analyse_arms,
    sample_ratio_check,
)
from ml.experiments.assignment import arm_for, assign, unit_point
from ml.experiments.design import GRAVITAS_PICKS, ExperimentDesign, effect_size, planned_sample_size
from ml.experiments.outcomes import user_outcomes
from ml.experiments.simulation import rejection_rate, simulated_arms, simulated_outcomes

__all__ = [
    "FINAL",
    "GRAVITAS_PICKS",
    "INTERIM",
    "SAMPLE_RATIO_MISMATCH",
    "SRM_ALPHA",
    "ArmResult",
    "Effect",
    "ExperimentAnalysis",
    "ExperimentDesign",
    "SampleRatio",
    "analyse",
    "analyse_arms",
    "arm_for",
    "assign",
    "effect_size",
    "planned_sample_size",
    "rejection_rate",
    "sample_ratio_check",
    "simulated_arms",
    "simulated_outcomes",
    "unit_point",
    "user_outcomes",
]
