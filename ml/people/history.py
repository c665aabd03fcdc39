"""Current and as-of person quality, and the gravitas that follows from each.

The current scores ask `ml.people.quality` for year CURRENT; the as-of history asks for
every (person, role, year) from the year of the person's first credited film in the role to
the year of their last, with the peer graph rebuilt for each year from the collaborations
known then. Both are the same calculation, so an as-of row differs from a current one only
by what it was allowed to see.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.people.config import PeopleConfig
from ml.people.graph import CollaborationGraph, StationaryScore
from ml.people.gravitas import gravitas
from ml.people.inputs import PeopleInputs
from ml.people.quality import CURRENT, KEY, person_quality


def peer_by_year(scores: StationaryScore, year: float) -> pd.Series:
    """A stationary score as the (person_id, year)-indexed series the measures read."""
    index = pd.MultiIndex.from_arrays(
        [scores.scores.index, np.full(len(scores.scores), year)], names=["person_id", "year"]
    )
    return pd.Series(scores.scores.to_numpy(), index=index)


def asof_keys(credits: pd.DataFrame) -> pd.MultiIndex:
    """(person_id, role, year) for every year of every career span (first to last dated film)."""
    dated = credits.dropna(subset=["release_year"]).rename(columns={"pqs_role": "role"})
    spans = dated.groupby(["person_id", "role"])["release_year"].agg(["min", "max"]).astype(int)
    return pd.MultiIndex.from_tuples(
        [
            (person, role, year)
            for person, role, first, last in spans.reset_index().itertuples(index=False)
            for year in range(first, last + 1)
        ],
        names=KEY,
    )


def person_quality_asof(
    inputs: PeopleInputs, config: PeopleConfig
) -> tuple[pd.DataFrame, dict[int, int]]:
    """The as-of scores, and the peer solver's iterations per year (for the run's metadata)."""
    keys = asof_keys(inputs.credits)
    graph = CollaborationGraph(inputs.pairs, inputs.films)
    years = np.unique(keys.get_level_values("year"))
    yearly = {int(year): graph.stationary(config, before_year=year) for year in years}
    peer = pd.concat([peer_by_year(scores, year) for year, scores in yearly.items()])
    return person_quality(inputs, config, peer, keys), {
        year: peer.iterations for year, peer in yearly.items()
    }


def credit_scores(
    credits: pd.DataFrame, scores: pd.DataFrame, year: pd.Series | float
) -> pd.DataFrame:
    """Each credit with the PQS its person had in its role at `year` (a column or CURRENT)."""
    pqs = scores["total_pqs"].reset_index()
    lookup = credits.assign(role=credits["pqs_role"], year=year)
    joined = lookup.merge(pqs, on=KEY, how="left")
    return joined[["film_id", "person_id", "credit_role", "total_pqs"]]


def gravitas_asof(inputs: PeopleInputs, asof: pd.DataFrame, config: PeopleConfig) -> pd.DataFrame:
    """Each dated film's gravitas from its people's PQS as of its release year, over the
    credits known at release: a supporting actor we know only through the film's later
    Oscar nomination is not part of the cast it was judged by."""
    credits = inputs.credits[inputs.credits["known_year"] <= inputs.credits["release_year"]]
    return gravitas(credit_scores(credits, asof, credits["release_year"]), config)


def gravitas_current(
    credits: pd.DataFrame, current: pd.DataFrame, config: PeopleConfig
) -> pd.DataFrame:
    return gravitas(credit_scores(credits, current, CURRENT), config)
