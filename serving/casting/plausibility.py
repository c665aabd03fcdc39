"""What no slate may contain, checked from the data rather than from the candidate rules, so a
rule that stops working is caught: a non-actor (acting share of credits below the
threshold), someone with no credit in the brief's activity window, someone known to have died
before the brief's year, someone none of whose last roles is in the brief's genres, or a
probability displayed as a certainty or without calibration rows behind it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.casting.train import CastingModel
from serving.casting.slate import Brief


def generated_briefs(model: CastingModel, count: int, seed: int) -> list[Brief]:
    """`count` briefs spread over the data's years, budgets from $1M to $300M (log-uniform),
    one or two of the featured genres, lead or supporting, a third with a known director."""
    rng = np.random.default_rng(seed)
    era, films = model.data.era, model.data.films
    # From the first year with a full activity window before it to the last a brief may ask.
    first = era.first_year + model.params.active_years
    directors = sorted(films["director_name"].dropna().unique())
    briefs = []
    for _ in range(count):
        genres = rng.choice(era.genres, size=int(rng.integers(1, 3)), replace=False)
        briefs.append(
            Brief(
                year=int(rng.integers(first, era.last_year + 2)),
                budget_millions=round(float(np.exp(rng.uniform(np.log(1), np.log(300)))), 1),
                genres=tuple(str(g) for g in genres),
                bill_order=int(rng.choice([1, 1, 2])),
                n=10,
                director=str(rng.choice(directors)) if rng.random() < 1 / 3 else None,
            )
        )
    return briefs


def slate_violations(model: CastingModel, brief: Brief, slate: pd.DataFrame) -> pd.DataFrame:
    """One row per (slate actor, violation): actor_id, actor_name, violation."""
    params, roles = model.params, model.data.roles
    window = roles[roles["year"].between(brief.year - params.active_years, brief.year - 1)]
    people = model.data.people.reindex(slate["actor_id"].astype("int64"))
    earlier = (
        roles[roles["year"] < brief.year]
        .sort_values(["actor_id", "year", "film_id"])
        .drop_duplicates(["actor_id", "film_id"])
    )
    recent = earlier.groupby("actor_id").tail(params.genre_window)
    in_genre = recent[recent["genres"].map(lambda genres: bool(set(genres) & set(brief.genres)))]
    checks = {
        "non-actor": (people["acting_share"] < params.min_acting_share).to_numpy(),
        "no credit in the window": ~slate["actor_id"].isin(window["actor_id"]).to_numpy(),
        "dead at the brief year": (people["death_year"] < brief.year).to_numpy(),
        "no recent role in the brief's genres": ~slate["actor_id"]
        .isin(in_genre["actor_id"])
        .to_numpy(),
        "probability shown as certain": np.isin(slate["p_cal"].round(2), (0.0, 1.0)),
        "probability without calibration support": (slate["p_cal_support"] == 0).to_numpy(),
    }
    found = [
        slate.loc[failed, ["actor_id", "actor_name"]].assign(violation=name)
        for name, failed in checks.items()
    ]
    return pd.concat(found, ignore_index=True)
