"""What is fitted on the training years only: the resonance threshold, the budget deciles and
the genre vocabulary. Later years are labelled and binned with these, never refitted.

Success is the mean of two within-year z-scores: the IMDb score and log(1 + votes). Standardising
within the release year compares a film with its own year's films only (votes pile up on recent
and older classics differently), and uses nothing from any later year. A film *resonates* when
its success index reaches the `resonance_quantile` (top quartile) of the training years' films.
IMDb score and votes are preferred over gross / budget because budget is missing for a third of
the films and gross is missing or zero for others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.casting.long_table import FILM_COLUMNS
from ml.casting.params import CastingParams

DECILES = 10


@dataclass(frozen=True)
class TrainEra:
    cutoff_year: int
    resonance_threshold: float
    budget_edges: tuple[float, ...]  # the nine inner decile edges, in dollars
    genres: tuple[str, ...]  # genres with their own affinity feature
    known_genres: tuple[str, ...]  # every genre of the data, for validating briefs
    first_year: int
    last_year: int

    def budget_decile(self, budget: pd.Series | np.ndarray) -> np.ndarray:
        """1 (cheapest tenth of training films) to 10; NaN where the budget is unknown."""
        values = np.asarray(budget, dtype=float)
        deciles = np.searchsorted(np.asarray(self.budget_edges), values, side="right") + 1.0
        return np.where(np.isnan(values), np.nan, deciles)

    def as_dict(self) -> dict:
        return {
            "cutoff_year": self.cutoff_year,
            "resonance_threshold": round(self.resonance_threshold, 6),
            "budget_edges": list(self.budget_edges),
            "genres": list(self.genres),
            "years": [self.first_year, self.last_year],
        }


def success_index(films: pd.DataFrame) -> pd.Series:
    """Mean of the within-year z-scores of IMDb score and log(1 + votes)."""
    parts = pd.DataFrame({"score": films["score"], "log_votes": np.log1p(films["votes"])})
    by_year = parts.groupby(films["year"])
    z = (parts - by_year.transform("mean")) / by_year.transform("std")
    return z.mean(axis=1)


def film_frame(long: pd.DataFrame) -> pd.DataFrame:
    """One row per film, with its success index."""
    films = long.drop_duplicates("film_id")[FILM_COLUMNS].reset_index(drop=True)
    return films.assign(success=success_index(films))


def fit_train_era(films: pd.DataFrame, params: CastingParams) -> TrainEra:
    train = films[films["year"] <= params.train_cutoff_year]
    if train.empty or len(train) == len(films):
        raise ValueError(
            f"train_cutoff_year {params.train_cutoff_year} must leave films on both sides: "
            f"the data covers {films['year'].min()}-{films['year'].max()}"
        )
    budgets = train["budget"].dropna()
    edges = np.quantile(budgets, np.linspace(0, 1, DECILES + 1)[1:-1])
    genre_counts = train["genres"].explode().value_counts()
    return TrainEra(
        cutoff_year=params.train_cutoff_year,
        resonance_threshold=float(train["success"].quantile(params.resonance_quantile)),
        budget_edges=tuple(float(e) for e in edges),
        genres=tuple(sorted(genre_counts[genre_counts >= params.min_genre_roles].index)),
        known_genres=tuple(sorted(films["genres"].explode().dropna().unique())),
        first_year=int(films["year"].min()),
        last_year=int(films["year"].max()),
    )


def label_films(films: pd.DataFrame, era: TrainEra) -> pd.DataFrame:
    """Films with their resonance label and budget decile under the train-era fit."""
    return films.assign(
        resonance=(films["success"] >= era.resonance_threshold)
        .astype(float)
        .where(films["success"].notna()),
        budget_decile=era.budget_decile(films["budget"]),
    )
