"""The PQS calculation on a hand-made cast: every measure checked by hand, the registry's
curves, the role weights, and the as-of cut (a later award never reaches an earlier year)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import entropy, linregress

from ml.metrics import metric
from ml.metrics.normalization import normalize
from ml.people.config import people_config
from ml.people.graph import CollaborationGraph
from ml.people.history import asof_keys, peer_by_year, person_quality_asof
from ml.people.quality import CURRENT, current_keys, person_quality, raw_measures

pytestmark = pytest.mark.nodb

CONFIG = people_config()


def current_scores(inputs):
    peer = CollaborationGraph(inputs.pairs, inputs.films).stationary(CONFIG)
    return person_quality(inputs, CONFIG, peer_by_year(peer, CURRENT), current_keys(inputs.credits))


def test_raw_measures_count_what_the_person_did_in_the_role(tiny, cast):
    DIRECTOR, WRITER = cast.DIRECTOR, cast.WRITER
    peer = CollaborationGraph(tiny.pairs, tiny.films).stationary(CONFIG)
    measures = raw_measures(tiny, CONFIG, peer_by_year(peer, CURRENT), current_keys(tiny.credits))
    director = measures.loc[(DIRECTOR, "director", CURRENT)]
    points = CONFIG.award_points
    assert director["films_analyzed"] == 4  # the undated film counts in the current score
    assert director["career_years"] == 12
    # the role's own Oscar win; the film's Oscar record credits nobody's role
    assert director["award_points"] == pytest.approx(points["own_oscar_win"])
    # the Palme d'Or at its registry tier + the director's own Oscar, over the square root
    # of the film count
    assert director["festival_points"] == pytest.approx((1.0 + points["own_oscar_win"]) / 2)
    assert director["canonical_points"] == pytest.approx(0.8)
    assert director["imdb_votes_total"] == 3500
    rated = tiny.films.dropna(subset=["release_year"])
    assert director["rating_trend"] == pytest.approx(
        linregress(rated["release_year"], rated["imdb_rating"]).slope * 10
    )
    assert director["genre_entropy"] == pytest.approx(entropy([2, 1, 1], base=2))
    writer = measures.loc[(WRITER, "writer", CURRENT)]
    # a festival prize is the director's: the writer of the Palme d'Or film gets none of it
    assert writer["festival_points"] == 0 and writer["award_points"] == 0
    # the director and writer share two films: each is the other's repeat collaborator
    assert director["repeat_collaboration_rating"] == pytest.approx(np.mean([8.0, 6.0, 8.0, 7.0]))
    assert measures.loc[
        (WRITER, "writer", CURRENT), "repeat_collaboration_rating"
    ] == pytest.approx(7.0)


def test_components_are_the_registry_curves_and_the_total_the_role_weights(tiny, cast):
    DIRECTOR = cast.DIRECTOR
    scores = current_scores(tiny)
    row = scores.loc[(DIRECTOR, "director", CURRENT)]
    curves = {m.name: m.curve for m in CONFIG.measures}
    festival = curves["festival_points"]
    expected = normalize(
        row["festival_points"],
        festival.normalization_type,
        festival.params,
        festival.scale_min,
        festival.scale_max,
    ).value
    assert row["festival_score"] == pytest.approx(expected, abs=1e-6)
    assert row["longevity_score"] == pytest.approx(
        metric("director_longevity_score").normalize(12).value, abs=1e-6
    )
    votes = metric("imdb_vote_count").normalize(3500).value
    gross = metric("worldwide_gross").normalize(4e6).value
    assert row["cultural_impact_score"] == pytest.approx((votes + gross) / 2, abs=1e-6)
    weights = CONFIG.role_weights["director"]
    assert weights == {
        "festival": 0.40,
        "canonical": 0.25,
        "longevity": 0.20,
        "peer_recognition": 0.10,
        "cultural_impact": 0.05,
    }
    total = sum(w * row[f"{c}_score"] for c, w in weights.items())
    assert row["total_pqs"] == pytest.approx(total, abs=1e-5)
    assert row["weight_coverage"] == pytest.approx(1.0)


def test_a_missing_component_earns_nothing_and_lowers_the_coverage(tiny, cast):
    scores = current_scores(tiny)
    support = scores.loc[
        (cast.SUPPORT, "actor", CURRENT)
    ]  # one film: no rating trend, no repeat partner
    assert math.isnan(support["career_arc_score"]) and math.isnan(
        support["collaboration_quality_score"]
    )
    weights = CONFIG.role_weights["actor"]
    present = [c for c in weights if not math.isnan(support[f"{c}_score"])]
    assert support["weight_coverage"] == pytest.approx(sum(weights[c] for c in present))
    assert support["total_pqs"] == pytest.approx(
        sum(weights[c] * support[f"{c}_score"] for c in present), abs=1e-5
    )


def test_weights_are_data_and_sum_to_one_per_role():
    frame = CONFIG.weights_frame()
    assert np.allclose(frame.sum(axis=1), 1.0)
    assert set(frame.columns) == {
        "festival",
        "canonical",
        "awards",
        "longevity",
        "peer_recognition",
        "cultural_impact",
        "collaboration_quality",
        "genre_versatility",
        "career_arc",
    }
    assert CONFIG.calculation_version.startswith(CONFIG.version + "+")


def test_as_of_rows_see_only_films_released_and_awards_given_before_their_year(tiny, cast):
    DIRECTOR = cast.DIRECTOR
    asof, iterations = person_quality_asof(tiny, CONFIG)
    director = asof.xs((DIRECTOR, "director"), level=["person_id", "role"])
    assert list(director.index) == list(range(2000, 2013))  # first to last dated film
    assert director.loc[2000, "films_analyzed"] == 0 and director.loc[2000, "festival_points"] == 0
    assert director.loc[2001, "festival_points"] == pytest.approx(1.0)  # the 2000 Palme d'Or
    assert director.loc[2006, "festival_points"] == pytest.approx(1.0 / np.sqrt(2))  # 2 films
    assert director.loc[2012, "films_analyzed"] == 2  # the 2012 film is not known on 1 January 2012
    assert director["award_points"].max() == 0  # the Oscar is given in 2013, after the span
    assert set(iterations) == set(range(2000, 2013))

    perturbed = cast.inputs()
    perturbed.recognition.loc[perturbed.recognition["known_year"] == 2015, "normalized_value"] = 0.1
    later = person_quality_asof(perturbed, CONFIG)[0]
    pd.testing.assert_frame_equal(asof, later)  # the 2015 list entry reaches no row up to 2012


def test_a_2015_award_moves_the_2016_row_and_leaves_2010_alone(cast):
    DIRECTOR, F2012 = cast.DIRECTOR, cast.F2012
    extended = cast.inputs()
    late = pd.DataFrame(
        {
            "film_id": [F2012 + 1],
            "person_id": [DIRECTOR],
            "credit_role": ["director"],
            "pqs_role": ["director"],
            "release_year": [2016.0],
        }
    )
    extended = type(extended)(
        credits=pd.concat([extended.credits, late], ignore_index=True),
        films=pd.concat(
            [
                extended.films,
                pd.DataFrame(
                    {"film_id": [F2012 + 1], "release_year": [2016.0], "genres": [["drama"]]}
                ),
            ],
            ignore_index=True,
        ),
        recognition=extended.recognition,
        nominations=extended.nominations,
        pairs=extended.pairs,
    )
    before = person_quality_asof(extended, CONFIG)[0]
    boosted = type(extended)(
        **{
            **extended.__dict__,
            "recognition": pd.concat(
                [
                    extended.recognition,
                    pd.DataFrame(
                        {
                            "film_id": [F2012],
                            "kind": ["festival"],
                            "metric_code": ["berlin_golden_bear"],
                            "raw_value": [1.0],
                            "normalized_value": [0.9],
                            "known_year": [2015.0],
                            "is_prize": [True],
                        }
                    ),
                ],
                ignore_index=True,
            ),
        }
    )
    after = person_quality_asof(boosted, CONFIG)[0]
    key = (DIRECTOR, "director")
    pd.testing.assert_series_equal(before.loc[(*key, 2010)], after.loc[(*key, 2010)])
    films = after.loc[(*key, 2016), "films_analyzed"]
    assert after.loc[(*key, 2016), "festival_points"] == pytest.approx(
        before.loc[(*key, 2016), "festival_points"] + 0.9 / np.sqrt(films)
    )
    assert after.loc[(*key, 2016), "total_pqs"] > before.loc[(*key, 2016), "total_pqs"]


def test_asof_keys_cover_every_year_of_every_career_span(tiny, cast):
    keys = asof_keys(tiny.credits).to_frame(index=False)
    spans = keys.groupby(["person_id", "role"])["year"].agg(["min", "max", "size"])
    assert (spans["size"] == spans["max"] - spans["min"] + 1).all()
    assert spans.loc[(cast.WRITER, "writer")].tolist() == [2000, 2005, 6]


def test_a_career_before_the_first_ceremony_is_not_marked_down_for_missing_prizes(cast):
    """The award components weigh by the share of the person's films made when the role's
    awards existed; the rest of the weight is renormalised (Griffith is not unknown)."""
    era = CONFIG.award_first_year["director"]
    inputs = cast.inputs()
    shift = float(era - 2012 - 1)  # every dated film moves to before the first ceremony
    for frame in (inputs.films, inputs.credits, inputs.pairs):
        frame["release_year"] = frame["release_year"] + shift
    for frame in (inputs.credits, inputs.pairs):
        frame["known_year"] = frame["release_year"]
    inputs.recognition["known_year"] = inputs.recognition["known_year"] + shift
    inputs.nominations["known_year"] = inputs.nominations["known_year"] + shift
    early = current_scores(inputs).loc[(cast.DIRECTOR, "director", CURRENT)]
    # three dated films before the era, one undated (counted as eligible)
    assert early["award_eligible_share"] == pytest.approx(0.25)
    weights = pd.Series(CONFIG.role_weights["director"])
    weights["festival"] *= 0.25
    weights /= weights.sum()
    assert early["total_pqs"] == pytest.approx(
        sum(w * early[f"{c}_score"] for c, w in weights.items()), abs=1e-5
    )
    modern = current_scores(cast.inputs()).loc[(cast.DIRECTOR, "director", CURRENT)]
    assert modern["award_eligible_share"] == 1
