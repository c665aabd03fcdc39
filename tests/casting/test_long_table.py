"""The long table: the credits bridge's lead stars and Oscar acting nominees, keyed by the
identity layer's person_id, with billing from the nominations' leading / supporting category."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.casting.history import TrackPrior, fit_track_prior, role_states
from ml.casting.long_table import LONG_TABLE_COLUMNS, build_long_table
from tests.support.casting import FAST


def person_id(db, name: str) -> int:
    with db.cursor() as cur:
        cur.execute("select person_id from marts.dim_people where name = %s", (name,))
        (found,) = cur.fetchall()
    return found[0]


def test_one_row_per_film_person_and_role(demo_long):
    table, report = demo_long
    assert list(table.columns) == LONG_TABLE_COLUMNS
    assert not table.duplicated(["film_id", "actor_id", "role"]).any()
    # Every Movie Industry film keeps its lead credit; nominations come on top.
    assert report["credit_rows"] == report["films"] == table["film_id"].nunique()
    assert report["nomination_rows"] > 0
    assert set(table["role"]) == {"lead_actor", "actor"}


def test_titanic_lead_and_nominees_are_keyed_by_person_id(demo_long, db):
    table, _ = demo_long
    titanic = table[(table["title"] == "Titanic") & (table["year"] == 1997)].set_index("actor_name")
    lead = titanic.loc["Leonardo DiCaprio"]
    assert lead["actor_id"] == person_id(db, "Leonardo DiCaprio")
    assert (lead["origin"], lead["role"], lead["bill_order"]) == ("credit", "lead_actor", 1)
    assert titanic.loc["Kate Winslet", ["origin", "bill_order"]].tolist() == ["nomination", 1]
    assert titanic.loc["Gloria Stuart", ["origin", "bill_order"]].tolist() == ["nomination", 2]
    assert titanic["director_id"].unique().tolist() == [person_id(db, "James Cameron")]


def test_a_star_nominated_as_supporting_counts_the_film_once(demo_long):
    table, _ = demo_long
    spacey = table[
        (table["actor_name"] == "Kevin Spacey") & (table["title"] == "The Usual Suspects")
    ]
    assert sorted(spacey["origin"]) == ["credit", "nomination"]
    states = role_states(
        spacey.assign(resonance=1.0, budget_decile=5.0),
        "actor_id",
        ("Crime",),
        FAST,
        TrackPrior(1.0, 3.0),
    )
    assert states[["prior_roles", "lead_share"]].values.tolist() == [[1, 1.0]]
    # One resonating film of one, under a Beta(1, 3) prior: (1 + 1) / (1 + 4), not 100%.
    assert states["track"].tolist() == [0.4] and states["track_roles"].tolist() == [1]


@pytest.mark.nodb
def test_the_track_prior_is_fitted_to_the_spread_of_people_s_rates():
    rng = np.random.default_rng(0)
    rates = rng.beta(2.0, 6.0, 2000)  # mean 0.25, weighing as 8 roles
    roles = pd.DataFrame(
        [
            (person, film, float(rng.uniform() < rate))
            for person, rate in enumerate(rates)
            for film in range(int(rng.integers(1, 12)))
        ],
        columns=["actor_id", "film_id", "resonance"],
    )
    prior = fit_track_prior(roles, "actor_id")
    assert prior.mean == pytest.approx(0.25, abs=0.02)
    assert 5 < prior.strength < 12


@pytest.mark.nodb
def test_films_without_an_outcome_are_dropped_and_counted():
    credits = pd.DataFrame(
        {
            "film_id": [1, 2, 2],
            "title": ["A", "B", "B"],
            "year": [2001, 2001, 2001],
            "budget": [1e6, None, None],
            "genre": ["Drama", "Drama", "Drama"],
            "director_id": [7, None, None],
            "director_name": ["D", None, None],
            "score": [None, 6.0, 6.0],
            "votes": [10, 10, 10],
            "actor_id": [11, 12, 13],
            "actor_name": ["X", "Y", "Z"],
            "role": ["lead_actor", "lead_actor", "actor"],
            "credited": [True, True, False],
        }
    )
    table, report = build_long_table(credits)
    assert table["actor_id"].tolist() == [12, 13]
    assert table["bill_order"].tolist() == [1, 2]
    assert table["origin"].tolist() == ["credit", "nomination"]
    assert table["genres"].tolist() == [["Drama"], ["Drama"]]
    assert report["films_dropped_without_score_votes_or_year"] == 1
