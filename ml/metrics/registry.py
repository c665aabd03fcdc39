"""The metric registry as Python sees it, read from the dbt seeds that define it.

`dbt_project/seeds/metrics/*.csv` is the one definition of every metric and weight profile:
dbt loads it into the warehouse, and this module reads the same files, so the normalisation
tester, the console and the search API work without a database and cannot drift from it.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ml.metrics.normalization import Normalized, normalize

SEED_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "metrics"
WEIGHT_SUFFIX = "_weight"


@dataclass(frozen=True)
class MetricDefinition:
    """One row of `metric_definitions.csv` (see its YAML for what each column means)."""

    code: str
    name: str
    category: str
    source: str
    data_type: str
    raw_scale_min: float | None
    raw_scale_max: float | None
    raw_unit: str | None
    normalization_type: str
    normalization_params: dict
    normalized_weight: float
    source_reliability: float
    freshness_days: int
    coverage_threshold: float
    active: bool
    description: str

    def normalize(self, raw: float | None) -> Normalized:
        return normalize(
            raw,
            self.normalization_type,
            self.normalization_params,
            self.raw_scale_min,
            self.raw_scale_max,
        )


def _optional_float(text: str) -> float | None:
    return float(text) if text != "" else None


def _definition(row: dict[str, str]) -> MetricDefinition:
    return MetricDefinition(
        code=row["code"],
        name=row["name"],
        category=row["category"],
        source=row["source"],
        data_type=row["data_type"],
        raw_scale_min=_optional_float(row["raw_scale_min"]),
        raw_scale_max=_optional_float(row["raw_scale_max"]),
        raw_unit=row["raw_unit"] or None,
        normalization_type=row["normalization_type"],
        normalization_params=json.loads(row["normalization_params"]),
        normalized_weight=float(row["normalized_weight"]),
        source_reliability=float(row["source_reliability"]),
        freshness_days=int(row["freshness_days"]),
        coverage_threshold=float(row["coverage_threshold"]),
        active=row["active"] == "true",
        description=row["description"],
    )


def _read(name: str, seed_dir: Path) -> list[dict[str, str]]:
    with open(seed_dir / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def metric_definitions(seed_dir: Path = SEED_DIR) -> dict[str, MetricDefinition]:
    """Every metric by code, in seed order."""
    return {row["code"]: _definition(row) for row in _read("metric_definitions", seed_dir)}


@cache
def categories(seed_dir: Path = SEED_DIR) -> tuple[str, ...]:
    """The weighted categories: one `<category>_weight` column each in `weight_profiles.csv`."""
    with open(seed_dir / "weight_profiles.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    return tuple(c.removesuffix(WEIGHT_SUFFIX) for c in header if c.endswith(WEIGHT_SUFFIX))


@cache
def system_profiles(seed_dir: Path = SEED_DIR) -> tuple[str, ...]:
    """The names of the profiles the seeds define; they cannot be edited through the API."""
    return tuple(row["profile"] for row in _read("weight_profiles", seed_dir))


def metric(code: str) -> MetricDefinition:
    """The definition of one metric; an unknown code is an error naming the valid ones."""
    definitions = metric_definitions()
    if code not in definitions:
        raise LookupError(f"unknown metric {code!r}; valid metrics: {', '.join(definitions)}")
    return definitions[code]


def normalize_value(code: str, raw: float | None) -> Normalized:
    """The normalisation tester: one raw value of one metric, normalised as the warehouse does."""
    return metric(code).normalize(raw)


@cache
def profile_weights(profile: str, seed_dir: Path = SEED_DIR) -> dict[str, float]:
    """A system profile's category weights as the seeds define them (`balanced` is the
    baseline a learned profile must beat)."""
    rows = {row["profile"]: row for row in _read("weight_profiles", seed_dir)}
    if profile not in rows:
        raise LookupError(f"unknown system profile {profile!r}; valid: {', '.join(rows)}")
    return {c: float(rows[profile][f"{c}{WEIGHT_SUFFIX}"]) for c in categories(seed_dir)}
