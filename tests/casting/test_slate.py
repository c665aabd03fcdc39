"""Serving on the demo data: a brief in, a slate with alternates, reasons and files out."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ml.casting.export import load_model, save_model
from serving.casting import Brief, recommend, write_slate

BRIEF = Brief(year=2019, budget_millions=40, genres=("Drama", "Crime"), bill_order=1, n=10)


@pytest.fixture(scope="module")
def result(demo_model):
    return recommend(demo_model, BRIEF)


def test_slate_end_to_end(result, demo_model):
    slate = result.slate
    assert slate["rank"].tolist() == list(range(1, 11))
    assert slate["actor_id"].is_unique
    # Ranked by the final score, which is traceable to its parts.
    assert slate["score"].is_monotonic_decreasing
    parts = (
        slate["p_high"]
        + slate["synergy_bonus"]
        - slate["bfd_penalty"]
        - slate["cadence_penalty"]
        - slate["diversity_penalty"]
    )
    np.testing.assert_allclose(slate["score"], parts)
    for column in ("p_base", "p_cal", "p_high"):
        assert slate[column].between(0, 1).all()
    # Candidates were active in the last five years, have a full track record and have led
    # a film before and a recent one in the brief's genres; each displayed probability has
    # calibration rows behind it.
    assert (slate["last_year"] >= 2014).all() and (slate["last_year"] < 2019).all()
    assert (slate["prior_roles"] >= demo_model.params.min_candidate_roles).all()
    assert (slate["lead_share"] > 0).all()
    assert (slate["genre_fit"] > 0).all()
    assert (slate["p_cal_support"] > 0).all()
    assert set(result.manifest["candidates_turned_away"]) == {
        "active",
        "experienced",
        "actor",
        "alive",
        "senior",
        "in_genre",
    }
    assert (slate["synergy_bonus"] == 0).all()  # no director in the brief


def test_reason_codes_are_readable_deltas(result):
    reasons = result.reasons
    assert reasons.groupby("rank").size().eq(3).all()
    assert reasons["reason"].str.contains(r"(?:raises|lowers) the chance by \d+\.\d points").all()
    assert (reasons["delta"] >= 0).eq(reasons["reason"].str.contains("raises")).all()


def test_alternates_are_other_candidates_preferring_the_less_exposed(result, demo_model):
    alternates = result.alternates
    assert not alternates["alternate_id"].isin(result.slate["actor_id"]).any()
    assert alternates.groupby("rank").size().max() == demo_model.params.alternates
    assert (
        alternates.groupby("rank")["prior_roles"].apply(lambda s: s.is_monotonic_increasing).all()
    )


def test_director_synergy_bumps_past_collaborators(demo_model):
    with_director = recommend(
        demo_model, Brief(2019, 40, ("Drama", "Crime"), 1, 10, director="martin scorsese")
    )
    assert with_director.brief.director == "Martin Scorsese"
    films = demo_model.data.films
    departed = films.loc[films["title"] == "The Departed", "director_id"]
    assert departed.tolist() == [with_director.brief.director_id]
    bumped = with_director.slate[with_director.slate["synergy_bonus"] > 0]
    assert "Leonardo DiCaprio" in bumped["actor_name"].tolist()
    assert 0 < with_director.manifest["director_outlook_p"] < 1


@pytest.mark.parametrize(
    ("brief", "error", "message"),
    [
        (Brief(1970, 40, ("Drama",)), ValueError, r"choose a year from \d{4} to \d{4}"),
        (Brief(2019, -5, ("Drama",)), ValueError, "positive number of millions"),
        (Brief(1981, 20, ("Drama",)), LookupError, r"no actor fits this brief: .*1976-1980"),
        (
            Brief(2019, 40, ("Dramma",)),
            ValueError,
            r"unknown genre\(s\) \['Dramma'\]; valid genres: Action, .*Drama",
        ),
        (
            Brief(2019, 40, ("Drama",), director="Martin Scorcese"),
            LookupError,
            "closest known: Martin Scorsese",
        ),
    ],
)
def test_a_bad_brief_lists_the_valid_values(demo_model, brief, error, message):
    with pytest.raises(error, match=message):
        recommend(demo_model, brief)


def test_exports_and_artifact_round_trip(result, demo_model, tmp_path):
    files = write_slate(result, tmp_path / "slate")
    assert {f.name for f in files} == {
        "slate.csv",
        "alternates.csv",
        "reason_codes.csv",
        "manifest.json",
    }
    manifest = json.loads((tmp_path / "slate" / "manifest.json").read_text())
    assert (
        manifest["brief"]["genres"] == ["Drama", "Crime"]
        and manifest["flags"]["alpha_cycle"] == 0.7
    )

    saved = save_model(demo_model, tmp_path / "models")
    assert {p.rsplit("/", 1)[1] for p in saved["plots"]} == {
        "reliability.png",
        "pr_curve.png",
        "per_year_pr_auc.png",
        "permutation_importance.png",
    }
    loaded = load_model(saved["artifact"], saved["artifact_sha256"])
    assert recommend(loaded, BRIEF).slate.equals(result.slate)
    with pytest.raises(ValueError, match="does not match its recorded sha256"):
        load_model(saved["artifact"], "0" * 64)
