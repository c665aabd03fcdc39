"""People fixtures: a hand-made cast of four films and four people, small enough to check
every measure by hand, in the shape `ml.people.inputs.read_inputs` returns."""

from __future__ import annotations

from itertools import combinations
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ml.people.inputs import PeopleInputs

DIRECTOR, LEAD, SUPPORT, WRITER = 1, 2, 3, 4
F2000, F2005, F2012, UNDATED = 10, 20, 30, 40


def tiny_inputs() -> PeopleInputs:
    films = pd.DataFrame(
        {
            "film_id": [F2000, F2005, F2012, UNDATED],
            "release_year": [2000.0, 2005.0, 2012.0, np.nan],
            "genres": [["drama"], ["comedy"], ["drama", "war"], []],
            "imdb_rating": [8.0, 6.0, 7.0, 5.0],
            "imdb_votes": [1000.0, 500.0, 2000.0, np.nan],
            "worldwide_gross_usd": [1e6, np.nan, 3e6, np.nan],
            "budget_usd": [1e5, 2e5, 1e6, np.nan],
        }
    )
    films["film_score"] = films["imdb_rating"] / 10
    credits = pd.DataFrame(
        [
            (F2000, DIRECTOR, "director"),
            (F2005, DIRECTOR, "director"),
            (F2012, DIRECTOR, "director"),
            (UNDATED, DIRECTOR, "director"),
            (F2000, LEAD, "lead_actor"),
            (F2012, LEAD, "lead_actor"),
            (F2005, SUPPORT, "actor"),
            (F2000, WRITER, "writer"),
            (F2005, WRITER, "writer"),
        ],
        columns=["film_id", "person_id", "credit_role"],
    )
    credits["pqs_role"] = credits["credit_role"].replace({"lead_actor": "actor"})
    credits["release_year"] = credits["film_id"].map(films.set_index("film_id")["release_year"])
    # Every credit is a catalogue credit, known at release.
    credits["known_year"] = credits["release_year"]
    recognition = pd.DataFrame(
        {
            "film_id": [F2000, F2012, F2012],
            "kind": ["festival", "canonical", "oscar"],
            "metric_code": ["cannes_palme_dor", "nfr_preserved", "oscar_wins"],
            "raw_value": [1.0, 1.0, 1.0],
            "normalized_value": [1.0, 0.8, 0.6],
            "known_year": [2000.0, 2015.0, 2013.0],
            "is_prize": [True, False, True],
        }
    )
    nominations = pd.DataFrame(
        {
            "person_id": [DIRECTOR],
            "pqs_role": ["director"],
            "nomination_id": ["n1"],
            "film_id": pd.array([F2012], dtype="Int64"),
            "weight": [1.0],
            "award_year": [2012.0],
            "known_year": [2013.0],
            "is_winner": [True],
        }
    )
    pairs = pd.DataFrame(
        [
            (a, b, film, year, year)
            for (film, year), people in credits.groupby(["film_id", "release_year"], dropna=False)
            for a, b in combinations(sorted(set(people["person_id"])), 2)
        ],
        columns=["person_a_id", "person_b_id", "film_id", "release_year", "known_year"],
    )
    return PeopleInputs(
        credits=credits, films=films, recognition=recognition, nominations=nominations, pairs=pairs
    )


@pytest.fixture
def cast() -> SimpleNamespace:
    """The tiny cast's ids and a builder for fresh copies of its inputs."""
    return SimpleNamespace(
        DIRECTOR=DIRECTOR,
        LEAD=LEAD,
        SUPPORT=SUPPORT,
        WRITER=WRITER,
        F2000=F2000,
        F2005=F2005,
        F2012=F2012,
        UNDATED=UNDATED,
        inputs=tiny_inputs,
    )


@pytest.fixture
def tiny() -> PeopleInputs:
    return tiny_inputs()
