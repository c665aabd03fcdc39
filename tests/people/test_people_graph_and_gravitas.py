"""The peer graph's stationary score against networkx's PageRank, its yearly prefixes, and
gravitas' weights, renormalisation and component hash."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from ml.people.config import people_config
from ml.people.graph import CollaborationGraph, stationary_scores
from ml.people.gravitas import gravitas
from ml.people.history import gravitas_asof, gravitas_current, peer_by_year, person_quality_asof
from ml.people.quality import CURRENT, current_keys, person_quality

pytestmark = pytest.mark.nodb

CONFIG = people_config()


def test_stationary_score_is_pagerank_on_the_weighted_graph():
    rng = np.random.default_rng(7)
    edges = pd.DataFrame({"a": rng.integers(0, 40, 300), "b": rng.integers(0, 40, 300)})
    edges = (
        edges[edges["a"] < edges["b"]]
        .drop_duplicates()
        .assign(w=lambda e: rng.uniform(0.1, 3, len(e)))
    )
    ours = stationary_scores(
        edges["a"].to_numpy(), edges["b"].to_numpy(), edges["w"].to_numpy(), CONFIG
    )
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges.itertuples(index=False))
    theirs = pd.Series(
        nx.pagerank(graph, alpha=CONFIG.peer_damping, weight="weight", tol=1e-12)
    ) * len(graph)
    assert ours.converged and 0 < ours.iterations < CONFIG.peer_max_iterations
    assert ours.people == len(graph) and ours.edges == len(edges)
    np.testing.assert_allclose(
        ours.scores.sort_index(), theirs.sort_index(), atol=10**-CONFIG.peer_decimals
    )
    assert ours.scores.mean() == pytest.approx(1.0, abs=1e-3)  # relative to the graph's size


def test_graph_weights_are_shared_films_times_mean_score_and_years_are_prefixes(tiny, cast):
    graph = CollaborationGraph(tiny.pairs, tiny.films)
    a, b, w = graph.weights()
    weights = dict(zip(zip(a, b, strict=True), w, strict=True))
    assert weights[(cast.DIRECTOR, cast.WRITER)] == pytest.approx(2 * (0.8 + 0.6) / 2)
    assert weights[(cast.DIRECTOR, cast.LEAD)] == pytest.approx(2 * (0.8 + 0.7) / 2)
    a, b, w = graph.weights(before_year=2005)  # only the 2000 film is released before 2005
    assert sorted(zip(a, b, strict=True)) == [
        (cast.DIRECTOR, cast.LEAD),
        (cast.DIRECTOR, cast.WRITER),
        (cast.LEAD, cast.WRITER),
    ]
    assert np.allclose(w, 0.8)
    assert graph.stationary(CONFIG, before_year=1999).people == 0


def test_a_pair_without_a_rated_film_carries_no_weight(tiny, cast):
    unrated = tiny.films.assign(
        film_score=np.where(tiny.films["film_id"] == cast.F2005, np.nan, tiny.films["film_score"])
    )
    a, b, w = CollaborationGraph(tiny.pairs, unrated).weights()
    pairs = dict(zip(zip(a, b, strict=True), w, strict=True))
    assert (cast.DIRECTOR, cast.SUPPORT) not in pairs  # they share only the unrated film
    assert pairs[(cast.DIRECTOR, cast.WRITER)] == pytest.approx(
        2 * 0.8
    )  # two films x the rated one's score


def credit_scores(rows):
    return pd.DataFrame(rows, columns=["film_id", "person_id", "credit_role", "total_pqs"])


def test_gravitas_weights_the_design_and_renormalises_over_what_exists():
    films = gravitas(
        credit_scores(
            [
                (1, 10, "director", 0.9),
                (1, 20, "lead_actor", 0.5),
                (1, 21, "lead_actor", 0.3),
                (1, 30, "actor", 0.2),
                (1, 40, "writer", 0.7),
                (2, 10, "director", 0.9),
                (2, 20, "lead_actor", 0.5),
                (3, 40, "writer", 0.7),
                (3, 50, "composer", 0.6),
            ]
        ),
        CONFIG,
    )
    full = films.loc[1]
    assert full["total_gravitas_score"] == pytest.approx(0.6 * 0.9 + 0.3 * 0.4 + 0.1 * 0.2)
    assert full["components_present"] == ["director", "lead_actors", "supporting_cast"]
    assert full["writer_pqs"] == 0.7 and full["people_count"] == 5
    partial = films.loc[2]  # no supporting cast: 0.6 and 0.3 renormalised to 2/3 and 1/3
    assert (
        partial["director_weight"] == pytest.approx(2 / 3)
        and partial["supporting_cast_weight"] == 0
    )
    assert partial["total_gravitas_score"] == pytest.approx(0.9 * 2 / 3 + 0.5 / 3)
    assert partial["components_present"] == ["director", "lead_actors"]
    assert 3 not in films.index  # only weightless components: no gravitas, not a 0


def test_components_hash_follows_the_people_and_the_calculation_version():
    base = [(1, 10, "director", 0.9), (1, 20, "lead_actor", 0.5)]
    first = gravitas(credit_scores(base), CONFIG).loc[1, "components_hash"]
    assert (
        gravitas(credit_scores([(1, 10, "director", 0.1), (1, 20, "lead_actor", 0.2)]), CONFIG).loc[
            1, "components_hash"
        ]
        == first
    )
    assert (
        gravitas(credit_scores([*base, (1, 30, "actor", 0.4)]), CONFIG).loc[1, "components_hash"]
        != first
    )
    other_version = type(CONFIG)(**{**CONFIG.__dict__, "calculation_version": "0.0+test"})
    assert gravitas(credit_scores(base), other_version).loc[1, "components_hash"] != first


def test_a_credit_known_only_from_a_later_nomination_stays_out_of_as_of_gravitas(cast):
    """A supporting actor whom only the film's Oscar nomination names (known the year after
    release) counts in the current gravitas, never in the film's as-of gravitas."""
    inputs = cast.inputs()
    nominee = 99
    later = pd.DataFrame(
        {
            "film_id": [cast.F2005],
            "person_id": [nominee],
            "credit_role": ["actor"],
            "pqs_role": ["actor"],
            "release_year": [2005.0],
            "known_year": [2006.0],
        }
    )
    inputs = dataclasses.replace(inputs, credits=pd.concat([inputs.credits, later]))
    asof, _ = person_quality_asof(inputs, CONFIG)
    at_release = gravitas_asof(inputs, asof, CONFIG).loc[cast.F2005]
    # the catalogue's supporting actor (cast.SUPPORT) is the only one known at release
    assert at_release["supporting_cast_pqs"] == pytest.approx(
        asof.loc[(cast.SUPPORT, "actor", 2005), "total_pqs"]
    )
    peer = CollaborationGraph(inputs.pairs, inputs.films).stationary(CONFIG)
    scores = person_quality(
        inputs, CONFIG, peer_by_year(peer, CURRENT), current_keys(inputs.credits)
    )
    current = gravitas_current(inputs.credits, scores, CONFIG).loc[cast.F2005]
    assert current["people_count"] == at_release["people_count"] + 1
