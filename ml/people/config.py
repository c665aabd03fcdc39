"""The person-quality calculation as data, read from the dbt seeds in `dbt_project/seeds/people`.

dbt loads the same files into the warehouse (so BI sees the weights); Python reads them from
disk, like `ml.metrics.registry`, so the calculation runs and is tested without a database.
`calculation_version` is the seeds' version plus a digest of every file: editing a weight
changes the version stamped on every score, and the incremental recompute starts over.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ml.metrics import metric
from ml.metrics.normalization import normalize

SEED_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "people"
SEED_FILES = (
    "pqs_role_weights",
    "pqs_measures",
    "pqs_award_points",
    "pqs_award_categories",
    "gravitas_weights",
    "pqs_calculation",
)
ROLES = ("director", "actor", "writer", "composer", "cinematographer")


@dataclass(frozen=True)
class Curve:
    """A registry normalisation curve: a metric code's, or one in the registry's format."""

    normalization_type: str
    params: dict
    scale_min: float | None
    scale_max: float | None

    def normalize(self, raw: float) -> float:
        value = normalize(
            raw, self.normalization_type, self.params, self.scale_min, self.scale_max
        ).value
        return np.nan if value is None else value

    def apply(self, raw: pd.Series) -> pd.Series:
        """The registry's `normalize` on every distinct value (missing stays missing)."""
        distinct, positions = np.unique(raw.astype("float64").to_numpy(), return_inverse=True)
        mapped = np.array([self.normalize(x) for x in distinct], dtype="float64")
        return pd.Series(mapped[positions], index=raw.index)


@dataclass(frozen=True)
class Measure:
    name: str
    component: str
    curve: Curve
    registry_metric: str | None


@dataclass(frozen=True)
class PeopleConfig:
    version: str
    calculation_version: str
    valid_days: int
    peer_damping: float
    peer_tolerance: float
    peer_max_iterations: int
    peer_decimals: int
    repeat_collaboration_min_films: int
    score_decimals: int
    measures: tuple[Measure, ...]
    role_weights: dict[str, dict[str, float]]
    award_points: dict[str, float]
    festival_categories: pd.DataFrame  # metric_code, role, weight: whose festival prize it is
    award_first_year: dict[str, int]  # per role: the first release year any of its awards honours
    gravitas: pd.DataFrame  # component, credit_role, pqs_role, weight

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.component for m in self.measures))

    def weights_frame(self) -> pd.DataFrame:
        """(role x component) weights, 0 where a role does not weigh a component."""
        frame = pd.DataFrame(self.role_weights).T.reindex(
            index=list(ROLES), columns=list(self.components)
        )
        return frame.fillna(0.0)


def _read(name: str, seed_dir: Path) -> list[dict[str, str]]:
    with open(seed_dir / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _optional_float(text: str) -> float | None:
    return float(text) if text != "" else None


def _measure(row: dict[str, str]) -> Measure:
    if row["registry_metric"]:
        definition = metric(row["registry_metric"])
        curve = Curve(
            definition.normalization_type,
            definition.normalization_params,
            definition.raw_scale_min,
            definition.raw_scale_max,
        )
    else:
        curve = Curve(
            row["normalization_type"],
            json.loads(row["normalization_params"]),
            _optional_float(row["raw_scale_min"]),
            _optional_float(row["raw_scale_max"]),
        )
    return Measure(row["measure"], row["component"], curve, row["registry_metric"] or None)


def _digest(seed_dir: Path) -> str:
    sha = hashlib.sha256()
    for name in SEED_FILES:
        sha.update((seed_dir / f"{name}.csv").read_bytes())
    return sha.hexdigest()[:8]


@cache
def people_config(seed_dir: Path = SEED_DIR) -> PeopleConfig:
    (calculation,) = _read("pqs_calculation", seed_dir)
    award_categories = _read("pqs_award_categories", seed_dir)
    role_weights: dict[str, dict[str, float]] = {}
    for row in _read("pqs_role_weights", seed_dir):
        role_weights.setdefault(row["role"], {})[row["component"]] = float(row["weight"])
    gravitas = pd.DataFrame(_read("gravitas_weights", seed_dir)).astype({"weight": float})
    return PeopleConfig(
        version=calculation["version"],
        calculation_version=f"{calculation['version']}+{_digest(seed_dir)}",
        valid_days=int(calculation["valid_days"]),
        peer_damping=float(calculation["peer_damping"]),
        peer_tolerance=float(calculation["peer_tolerance"]),
        peer_max_iterations=int(calculation["peer_max_iterations"]),
        peer_decimals=int(calculation["peer_decimals"]),
        repeat_collaboration_min_films=int(calculation["repeat_collaboration_min_films"]),
        score_decimals=int(calculation["score_decimals"]),
        measures=tuple(_measure(row) for row in _read("pqs_measures", seed_dir)),
        role_weights=role_weights,
        award_points={
            row["award"]: float(row["points"]) for row in _read("pqs_award_points", seed_dir)
        },
        festival_categories=pd.DataFrame(
            [
                {"metric_code": row["category"], "role": row["role"], "weight": row["weight"]}
                for row in award_categories
                if row["source"] == "festivals"
            ]
        ).astype({"weight": float}),
        award_first_year={
            role: min(int(row["first_year"]) for row in award_categories if row["role"] == role)
            for role in {row["role"] for row in award_categories}
        },
        gravitas=gravitas,
    )
