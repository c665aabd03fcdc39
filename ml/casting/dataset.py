"""From the long table to labelled, split feature rows for both heads.

Order matters for leakage: the train era (threshold, deciles, genres) is fitted on films up to
the cutoff first; only then are all films labelled and binned, histories built and features
looked up as of each row's year.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from ml.casting.features import (
    TARGET_ORIGIN,
    Histories,
    actor_features,
    build_histories,
    director_features,
)
from ml.casting.long_table import LONG_TABLE_COLUMNS, require_columns
from ml.casting.params import CastingParams
from ml.casting.people import PEOPLE_COLUMNS
from ml.casting.train_era import TrainEra, film_frame, fit_train_era, label_films

SPLITS = ("fit", "calibration", "holdout")
KEY_COLUMNS = ["film_id", "title", "year", "split", "resonance"]


@dataclass
class CastingData:
    params: CastingParams
    era: TrainEra
    films: pd.DataFrame  # one row per film: success, resonance, budget_decile
    roles: pd.DataFrame  # every long-table row, labelled
    histories: Histories
    actor_rows: pd.DataFrame  # target rows: keys, split, label and actor features
    director_rows: pd.DataFrame  # one row per directed film: keys, split, label, features
    pqs: pd.DataFrame | None
    # Acting share and death year by actor_id (see `ml.casting.people`); serving filters
    # candidates on them, and an actor missing here is not filtered.
    people: pd.DataFrame
    report: dict = field(default_factory=dict)

    def data_hash(self) -> str:
        """A fingerprint of the long table the model was built from."""
        hashed = pd.util.hash_pandas_object(self.roles[LONG_TABLE_COLUMNS].astype(str), index=False)
        return hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()


def split_of(years: pd.Series, params: CastingParams) -> pd.Series:
    """fit: years up to cutoff - calibration_years; calibration: the rest up to the cutoff;
    holdout: later years."""
    calibration_start = params.train_cutoff_year - params.calibration_years
    return pd.Series(
        pd.cut(
            years,
            [-float("inf"), calibration_start, params.train_cutoff_year, float("inf")],
            labels=list(SPLITS),
        ).astype(str),
        index=years.index,
    )


def prepare(
    long: pd.DataFrame,
    params: CastingParams,
    pqs: pd.DataFrame | None = None,
    report: dict | None = None,
    people: pd.DataFrame | None = None,
) -> CastingData:
    """Label, bin and featurise the long table. `pqs`: (actor_id, year, pqs_asof) in the
    histories' convention (see `person_quality.person_quality_frame`), or None. `people`:
    `ml.casting.people.read_people`'s frame, or None when nothing is known (no filter)."""
    require_columns(long, LONG_TABLE_COLUMNS, "the long table")
    films = film_frame(long)
    era = fit_train_era(films, params)
    films = label_films(films, era)
    roles = long.merge(films[["film_id", "resonance", "budget_decile"]], on="film_id")
    histories = build_histories(roles, films, era, params)

    targets = roles[(roles["origin"] == TARGET_ORIGIN) & roles["resonance"].notna()]
    targets = targets.assign(split=split_of(targets["year"], params))
    actor_rows = pd.concat(
        [
            targets[KEY_COLUMNS + ["actor_id", "actor_name", "director_id", "director_name"]],
            actor_features(targets, histories, era, params, pqs),
        ],
        axis=1,
    )
    directed = films.dropna(subset=["director_id", "resonance"])
    directed = directed.assign(split=split_of(directed["year"], params))
    director_rows = pd.concat(
        [
            directed[KEY_COLUMNS + ["director_id", "director_name"]],
            director_features(directed, histories, era, params),
        ],
        axis=1,
    )
    counts = actor_rows["split"].value_counts().reindex(list(SPLITS), fill_value=0)
    summary = {f"actor_rows_{name}": int(n) for name, n in counts.items()}
    if people is None:
        people = pd.DataFrame(columns=PEOPLE_COLUMNS, dtype=float).rename_axis("actor_id")
    summary["people_with_acting_share"] = int(people["acting_share"].notna().sum())
    summary["people_with_death_year"] = int(people["death_year"].notna().sum())
    return CastingData(
        params=params,
        era=era,
        films=films,
        roles=roles,
        histories=histories,
        actor_rows=actor_rows.reset_index(drop=True),
        director_rows=director_rows.reset_index(drop=True),
        pqs=pqs,
        people=people,
        report={**(report or {}), **summary},
    )
