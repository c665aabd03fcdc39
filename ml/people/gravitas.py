"""Movie gravitas: the quality of a film's creative team, from its people's PQS.

Each component averages the PQS of the film's people credited in its role (director, lead
actors, supporting cast; writer, composer and cinematographer are reported beside them).
total_gravitas_score weights the components as `gravitas_weights` says (the design's 0.6 /
0.3 / 0.1), renormalised over the weighted components the film has: a film without a
known supporting cast is scored on its director and leads alone, and `components_present`
records which ones counted. The stored `<component>_weight` columns are those effective
weights, so total = sum(weight x pqs) can be checked by hand.

The same function scores current gravitas (current PQS) and as-of gravitas (each person's
PQS as of the film's release year); the caller decides which PQS each credit carries.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from ml.people.config import PeopleConfig


def _components_hashes(credits: pd.DataFrame, calculation_version: str) -> pd.Series:
    """Per film: md5 of 'component:person_id|...|calculation_version' (who the score is from)."""
    rows = credits.drop_duplicates(["film_id", "component", "person_id"]).sort_values(
        ["film_id", "component", "person_id"]
    )
    if rows.empty:
        return pd.Series(dtype="object")
    tokens = (rows["component"] + ":" + rows["person_id"].astype(str)).to_numpy()
    films = rows["film_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, films[1:] != films[:-1]])
    texts = ("|".join(chunk) for chunk in np.split(tokens, starts[1:]))
    digests = [hashlib.md5(f"{text}|{calculation_version}".encode()).hexdigest() for text in texts]
    return pd.Series(digests, index=films[starts])


def gravitas(credit_scores: pd.DataFrame, config: PeopleConfig) -> pd.DataFrame:
    """One row per film with at least one weighted component.

    `credit_scores`: film_id, person_id, credit_role, total_pqs (the PQS the credit counts
    with; missing when the person has none in that role).
    """
    weights = config.gravitas.set_index("component")["weight"]
    credits = credit_scores.merge(config.gravitas[["component", "credit_role"]], on="credit_role")
    credits = credits.dropna(subset=["total_pqs"])
    component_pqs = (
        credits.groupby(["film_id", "component"])["total_pqs"]
        .mean()
        .unstack()
        .reindex(columns=weights.index)
    )
    present = component_pqs.notna() & (weights > 0)
    effective = present * weights
    effective = effective.div(effective.sum(axis=1), axis=0)
    scored = effective.sum(axis=1) > 0
    films = pd.DataFrame(index=component_pqs.index[scored])
    for component in weights.index:
        films[f"{component}_pqs"] = component_pqs.loc[scored, component]
        if weights[component] > 0:
            films[f"{component}_weight"] = effective.loc[scored, component]
    films["total_gravitas_score"] = (component_pqs.fillna(0.0) * effective).sum(axis=1)[scored]
    names = list(weights.index)
    films["components_present"] = [
        [name for name, has in zip(names, row, strict=True) if has]
        for row in present[scored].to_numpy()
    ]
    credits = credits[credits["film_id"].isin(films.index)]
    films["people_count"] = credits.groupby("film_id")["person_id"].nunique()
    films["components_hash"] = _components_hashes(credits, config.calculation_version)
    return films
