"""People's histories and their as-of lookup: the one place that decides what a row may see.

`role_states` walks each person's roles in release order and records, after each release
year, trailing aggregates of everything up to and including that year. `asof` hands a query
(person, year) the state recorded for the last year *strictly before* it, so a row never sees
its own film, a film of the same year, or anything later. Training rows and serving briefs go
through the same lookup, which is what keeps training and serving features identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import betabinom
from sklearn.preprocessing import MultiLabelBinarizer

from ml.casting.params import CastingParams


def genre_column(genre: str) -> str:
    return "genre_" + re.sub(r"[^0-9a-z]+", "_", genre.lower()).strip("_")


def genre_flags(genres: pd.Series, vocabulary: tuple[str, ...]) -> pd.DataFrame:
    """One 0/1 column per vocabulary genre; genres outside the vocabulary are ignored."""
    # Rare genres have no feature: drop them first, or the binarizer warns about each one.
    known = genres.map(lambda values: [g for g in values if g in vocabulary])
    flags = MultiLabelBinarizer(classes=list(vocabulary)).fit_transform(known)
    return pd.DataFrame(
        flags, index=genres.index, columns=[genre_column(g) for g in vocabulary], dtype=float
    )


@dataclass(frozen=True)
class TrackPrior:
    """A Beta(alpha, beta) prior on a person's resonance rate: a track record of h hits in n
    roles reads (h + alpha) / (n + alpha + beta), so one resonating film out of one is a
    small step above the norm, not 100%."""

    alpha: float
    beta: float

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def strength(self) -> float:
        """How many roles the prior weighs as."""
        return self.alpha + self.beta

    def as_dict(self) -> dict:
        return {"alpha": round(self.alpha, 4), "beta": round(self.beta, 4), "mean": self.mean}


def fit_track_prior(roles: pd.DataFrame, entity: str) -> TrackPrior:
    """Empirical Bayes: the Beta prior maximising the beta-binomial likelihood of each
    person's (resonating roles, roles). Callers pass training-year roles only."""
    ordered = roles.dropna(subset=[entity, "resonance"]).drop_duplicates([entity, "film_id"])
    counts = ordered.groupby(entity)["resonance"].agg(["sum", "size"])
    hits, trials = counts["sum"].to_numpy(), counts["size"].to_numpy()

    def negative_log_likelihood(log_ab: np.ndarray) -> float:
        alpha, beta = np.exp(log_ab)
        return -float(betabinom.logpmf(hits, trials, alpha, beta).sum())

    mean = hits.sum() / trials.sum()
    start = np.log([mean * 10, (1 - mean) * 10])
    fitted = minimize(negative_log_likelihood, start, method="Nelder-Mead")
    alpha, beta = np.exp(fitted.x)
    return TrackPrior(float(alpha), float(beta))


def role_states(
    roles: pd.DataFrame,
    entity: str,
    genres: tuple[str, ...],
    params: CastingParams,
    prior: TrackPrior,
) -> pd.DataFrame:
    """Per (entity, year): trailing aggregates after the entity's last role of that year.

    `roles` needs the entity column, year, film_id, resonance, budget_decile, genres and
    bill_order. Columns: track (resonance over the last `track_window` roles, shrunk by
    `prior`), track_roles (how many of them have a label), budget_trail
    (their mean budget decile), prior_rate (resonance over all roles), lead_share, prior_roles,
    and the genre shares over the last `genre_window` roles. A person credited twice on one
    film (a lead star also nominated for a supporting role) counts the film once, at the
    better billing.
    """
    ordered = (
        roles.dropna(subset=[entity])
        .sort_values([entity, "year", "film_id", "bill_order"])
        .drop_duplicates([entity, "film_id"], ignore_index=True)
    )
    flags = genre_flags(ordered["genres"], genres)
    values = pd.concat(
        [
            ordered[[entity, "year", "resonance", "budget_decile"]],
            (ordered["bill_order"] == 1).astype(float).rename("lead"),
            flags,
        ],
        axis=1,
    )
    by_entity = values.groupby(entity, sort=False)

    def trailing(columns: list[str], window: int | None, how: str = "mean") -> pd.DataFrame:
        frames = by_entity[columns]
        rolled = frames.expanding() if window is None else frames.rolling(window, min_periods=1)
        return getattr(rolled, how)().reset_index(level=0, drop=True)

    hits = trailing(["resonance"], params.track_window, "sum")["resonance"]
    labelled = trailing(["resonance"], params.track_window, "count")["resonance"]
    track = (hits + prior.alpha) / (labelled + prior.strength)
    budget = trailing(["budget_decile"], params.track_window)["budget_decile"]
    overall = trailing(["resonance", "lead"], None)
    states = pd.concat(
        [
            values[[entity, "year"]],
            track.rename("track"),
            labelled.rename("track_roles"),
            budget.rename("budget_trail"),
            overall.rename(columns={"resonance": "prior_rate", "lead": "lead_share"}),
            (by_entity.cumcount() + 1).rename("prior_roles"),
            values["year"].rename("last_year"),
            trailing(list(flags.columns), params.genre_window),
        ],
        axis=1,
    )
    return states.drop_duplicates([entity, "year"], keep="last").reset_index(drop=True)


def asof(
    states: pd.DataFrame, queries: pd.DataFrame, entity: str, years_back: int = 0
) -> pd.DataFrame:
    """The state of each query's entity as of the start of its year (minus `years_back`).

    Returns the state columns aligned to `queries.index`; NaN where the entity had no role
    before then (or the query has no entity).
    """
    wanted = queries[[entity, "year"]].dropna(subset=[entity])
    lookup = wanted.assign(year=wanted["year"] - years_back).reset_index(names="_row")
    # Keys may arrive as int64, nullable Int64 or strings (actor-director pairs); merge_asof
    # wants one dtype on both sides. The queries take the states' (a few hundred rows, not
    # the whole history, are converted per brief).
    lookup[entity] = lookup[entity].astype(states[entity].dtype)
    merged = pd.merge_asof(
        lookup.sort_values("year"),
        states.sort_values("year"),
        on="year",
        by=entity,
        allow_exact_matches=False,
    )
    return merged.set_index("_row").drop(columns=[entity, "year"]).reindex(queries.index)
