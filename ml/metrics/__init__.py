"""Metric normalisation without a database: the curves and the registry the seeds define.

The warehouse side of the registry is in its modules: `profiles` (the custom-profile store and
its audit trail), `coverage` (the coverage snapshots) and `timeseries` (the append-only series).
"""

from ml.metrics.normalization import CURVES, Normalized, normalize
from ml.metrics.registry import (
    MetricDefinition,
    categories,
    metric,
    metric_definitions,
    normalize_value,
    profile_weights,
    system_profiles,
)

__all__ = [
    "CURVES",
    "MetricDefinition",
    "Normalized",
    "categories",
    "metric",
    "metric_definitions",
    "normalize",
    "normalize_value",
    "profile_weights",
    "system_profiles",
]
