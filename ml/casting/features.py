"""Feature builders for the actor and director heads, shared by training and serving.

A query row is a (person, film) pair: the person's `person_id` (`actor_id` or
`director_id`), the film's year, budget decile, genres and bill order (and, for actors, the
film's `director_id`). Every person-side feature is an as-of lookup in `history`, so it
reflects only films released before the query's year.

Actor head features:
- atr3 / dtr3: resonance rate of the actor's / director's last 3 roles, shrunk towards the
  training years' norm by a Beta prior (`history.TrackPrior`): 1 of 1 is not 100%;
- bfd: |film budget decile - the actor's trailing budget decile| (train-era deciles);
- release_density: the actor's roles per year over the `density_years` before the film;
- prior_roles, lead_share: experience and seniority (share of prior roles billed first);
- genre_*_aff: share of the actor's last 5 roles in each genre; genre_fit: in the film's genres;
- year_sin / year_cos: position of the year in a `cycle_years` cycle;
- pqs_asof: person quality as of the year before, when `person_quality_asof` exists.

The Movie Industry credit is always the lead, so the bill order is not a feature of the
training rows (it would be a constant); the brief's bill order selects candidates instead
(see `serve.candidates`) and `lead_share` carries seniority.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.casting.history import (
    TrackPrior,
    asof,
    fit_track_prior,
    genre_column,
    genre_flags,
    role_states,
)
from ml.casting.params import CastingParams
from ml.casting.train_era import TrainEra

# Rows whose existence does not depend on the film's reception: the training targets.
TARGET_ORIGIN = "credit"
PQS_FEATURE = "pqs_asof"


@dataclass(frozen=True)
class FeatureContract:
    """The columns a head was trained on, in order. Serving frames are forced into it."""

    columns: tuple[str, ...]

    def enforce(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """The frame with exactly the contract's columns, in order; also the ones it lacked,
        which are added as missing values (the heads handle NaN) and reported."""
        added = [c for c in self.columns if c not in frame.columns]
        return frame.reindex(columns=list(self.columns)).astype(float), added


@dataclass
class Histories:
    """Role states per actor, per director and per actor-director pair, and the track
    record priors (fitted on the training years' roles) that shrink atr3 and dtr3."""

    actor: pd.DataFrame
    director: pd.DataFrame
    pair: pd.DataFrame
    actor_prior: TrackPrior
    director_prior: TrackPrior


def pair_key(actor_id: pd.Series, director_id: pd.Series) -> pd.Series:
    return actor_id.astype("string") + " | " + director_id.astype("string")


def build_histories(
    roles: pd.DataFrame, films: pd.DataFrame, era: TrainEra, params: CastingParams
) -> Histories:
    """`roles`: labelled long-table rows (every origin); `films`: labelled films."""
    directed = films.dropna(subset=["director_id"]).assign(bill_order=1)
    paired = roles.assign(pair=pair_key(roles["actor_id"], roles["director_id"]))
    actor_prior = fit_track_prior(roles[roles["year"] <= era.cutoff_year], "actor_id")
    director_prior = fit_track_prior(directed[directed["year"] <= era.cutoff_year], "director_id")
    return Histories(
        actor=role_states(roles, "actor_id", era.genres, params, actor_prior),
        director=role_states(directed, "director_id", era.genres, params, director_prior),
        # Pairs feed synergy through their raw prior_rate; their track is not used.
        pair=role_states(paired, "pair", era.genres, params, actor_prior),
        actor_prior=actor_prior,
        director_prior=director_prior,
    )


def year_cycle(years: pd.Series, params: CastingParams) -> pd.DataFrame:
    angle = 2 * np.pi * years.astype(float) / params.cycle_years
    return pd.DataFrame({"year_sin": np.sin(angle), "year_cos": np.cos(angle)}, index=years.index)


def person_features(
    queries: pd.DataFrame, states: pd.DataFrame, entity: str, era: TrainEra, params: CastingParams
) -> pd.DataFrame:
    """The as-of features of `entity` for each query, under generic names."""
    now = asof(states, queries, entity)
    earlier = asof(states, queries, entity, years_back=params.density_years)
    prior_roles = now["prior_roles"].fillna(0)
    affinities = now[[genre_column(g) for g in era.genres]]
    in_film_genres = affinities.to_numpy() * genre_flags(queries["genres"], era.genres).to_numpy()
    genre_fit = pd.Series(in_film_genres.sum(axis=1), index=queries.index).clip(upper=1.0)
    return pd.DataFrame(
        {
            "track": now["track"],
            "bfd": (queries["budget_decile"] - now["budget_trail"]).abs(),
            "density": (prior_roles - earlier["prior_roles"].fillna(0)) / params.density_years,
            "prior_roles": prior_roles,
            "lead_share": now["lead_share"],
            "prior_rate": now["prior_rate"],
            "last_year": now["last_year"],
            "genre_fit": genre_fit.where(now["prior_roles"].notna()),  # no history: unknown
            **{f"{column}_aff": affinities[column] for column in affinities.columns},
        },
        index=queries.index,
    )


def actor_features(
    queries: pd.DataFrame,
    histories: Histories,
    era: TrainEra,
    params: CastingParams,
    pqs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Actor-head features (plus prior_rate and last_year, which serving and baselines use)."""
    own = person_features(queries, histories.actor, "actor_id", era, params).rename(
        columns={"track": "atr3", "density": "release_density"}
    )
    director = asof(histories.director, queries, "director_id")["track"].rename("dtr3")
    frame = pd.concat(
        [own, director, queries[["budget_decile"]], year_cycle(queries["year"], params)], axis=1
    )
    if pqs is not None:
        frame[PQS_FEATURE] = asof(pqs, queries, "actor_id")[PQS_FEATURE]
    return frame


def director_features(
    queries: pd.DataFrame, histories: Histories, era: TrainEra, params: CastingParams
) -> pd.DataFrame:
    """Director-head features: the director's own track, budget gap, pace and genre fit."""
    own = person_features(queries, histories.director, "director_id", era, params)
    return pd.concat(
        [
            own[["track", "bfd", "density", "prior_roles", "genre_fit"]].rename(
                columns={
                    "track": "dtr3",
                    "bfd": "director_bfd",
                    "density": "director_density",
                    "prior_roles": "director_prior_films",
                    "genre_fit": "director_genre_fit",
                }
            ),
            queries[["budget_decile"]],
            year_cycle(queries["year"], params),
        ],
        axis=1,
    )


def synergy_rate(queries: pd.DataFrame, histories: Histories) -> pd.Series:
    """Resonance rate of the actor's earlier films with the query's director (0 when none)."""
    keyed = queries.assign(pair=pair_key(queries["actor_id"], queries["director_id"]))
    return asof(histories.pair, keyed, "pair")["prior_rate"].fillna(0.0).rename("synergy_rate")


def actor_contract(era: TrainEra, with_pqs: bool) -> FeatureContract:
    genres = [f"{genre_column(g)}_aff" for g in era.genres]
    columns = [
        "atr3",
        "dtr3",
        "bfd",
        "budget_decile",
        "release_density",
        "prior_roles",
        "lead_share",
        "genre_fit",
        *genres,
        "year_sin",
        "year_cos",
    ]
    return FeatureContract(tuple(columns + ([PQS_FEATURE] if with_pqs else [])))


def alternate_columns(era: TrainEra) -> list[str]:
    """What "a similar actor" means for alternates: track, budget level, pace, seniority, genres."""
    return [
        "atr3",
        "budget_decile",
        "release_density",
        "lead_share",
        *[f"{genre_column(g)}_aff" for g in era.genres],
    ]


DIRECTOR_CONTRACT = FeatureContract(
    (
        "dtr3",
        "director_bfd",
        "director_density",
        "director_prior_films",
        "director_genre_fit",
        "budget_decile",
        "year_sin",
        "year_cos",
    )
)
