"""Slates a film fan would not laugh at, on the demo data: no non-actor, nobody without a
recent credit or with one film to their name, nobody known to be dead, no probability shown
as a certainty; and the slates that once showed each of those."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from ml.casting.people import people_frame
from serving.casting import Brief, recommend
from serving.casting.plausibility import generated_briefs, slate_violations

pytestmark = pytest.mark.slow


def _person(model, name: str) -> int:
    roles = model.data.roles
    (person,) = roles.loc[roles["actor_name"] == name, "actor_id"].unique()
    return int(person)


def test_no_slate_of_fifty_generated_briefs_breaks_a_rule(demo_model):
    found = [
        slate_violations(demo_model, brief, recommend(demo_model, brief).slate).assign(
            brief=str(brief)
        )
        for brief in generated_briefs(demo_model, 50, seed=0)
    ]
    violations = pd.concat(found, ignore_index=True)
    assert violations.empty, violations.to_string()


def test_the_checker_catches_what_the_rules_keep_out(demo_model):
    brief = Brief(2019, 40, ("Drama",))
    slate = recommend(demo_model, brief).slate.head(2).copy()
    slate.loc[0, "p_cal"] = 0.999
    slate.loc[1, "p_cal_support"] = 0
    people = pd.DataFrame(
        {"acting_share": [0.1], "death_year": [2001.0]}, index=slate["actor_id"].head(1)
    )
    model = replace(demo_model, data=replace(demo_model.data, people=people))
    assert sorted(slate_violations(model, brief, slate)["violation"]) == [
        "dead at the brief year",
        "non-actor",
        "probability shown as certain",
        "probability without calibration support",
    ]


def test_a_one_film_career_is_no_track_record(demo_model):
    """Space Jam's star (1996) stood 6th on Cameron's 1997 drama slate at 1.00: one film of
    one that resonated read as a 100% track record."""
    films = demo_model.data.roles
    star = films.loc[(films["title"] == "Space Jam") & (films["origin"] == "credit"), "actor_id"]
    result = recommend(demo_model, Brief(1997, 200, ("Drama",), director="James Cameron"))
    assert not result.slate["actor_id"].isin(star).any()
    assert (result.slate["prior_roles"] >= demo_model.params.min_candidate_roles).all()
    assert result.slate["p_cal"].round(2).max() < 1.0
    assert (result.slate["p_cal_support"] > 0).all()


def test_a_known_death_keeps_an_actor_off_later_slates(demo_model):
    """Heath Ledger (died 2008) stood 2nd on Nolan's 2010 action slate. The demo data has no
    death years (the IMDb datasets connector brings them): given his, he is gone."""
    ledger = _person(demo_model, "Heath Ledger")
    brief = Brief(2010, 160, ("Action",), director="Christopher Nolan")
    people = pd.concat(
        [
            demo_model.data.people.drop(index=ledger, errors="ignore"),
            pd.DataFrame({"acting_share": [1.0], "death_year": [2008.0]}, index=[ledger]),
        ]
    )
    informed = replace(demo_model, data=replace(demo_model.data, people=people))
    result = recommend(informed, brief)
    assert ledger not in result.slate["actor_id"].tolist()
    assert result.manifest["candidates_turned_away"]["alive"] == 1
    # Before his death the rule leaves him alone.
    earlier = recommend(informed, replace(brief, year=2008))
    assert earlier.manifest["candidates_turned_away"]["alive"] == 0


def test_directors_billed_as_their_film_s_star_are_not_candidates(demo_model):
    people = demo_model.data.people
    assert people.loc[_person(demo_model, "Richard Linklater"), "acting_share"] < 0.3
    assert people.loc[_person(demo_model, "Clint Eastwood"), "acting_share"] >= 0.3
    for year in (2000, 2010, 2019):
        result = recommend(demo_model, Brief(year, 20, ("Comedy", "Drama"), n=30))
        shares = people.reindex(result.slate["actor_id"])["acting_share"]
        assert (shares >= demo_model.params.min_acting_share).all()


def test_death_years_come_from_the_imdb_datasets_names(db, materialize):
    """dim_casting_people reads deathYear of name.basics when that connector has loaded it."""
    import dagster as dg

    keys = [dg.AssetKey(["staging", "stg_imdb_datasets__names"])]
    keys.append(dg.AssetKey(["marts", "dim_casting_people"]))
    with db.cursor() as cur:
        cur.execute(
            "insert into raw.imdb__name_basics (nconst, primary_name, birth_year, death_year,"
            " _loaded_at, _source_file, _row_hash) values"
            " ('nm0005132', 'Heath Ledger', 1979, 2008, now(), 'test', 'test')"
        )
    db.commit()
    try:
        materialize(keys)
        with db.cursor() as cur:
            cur.execute(
                "select death_year, death_year_source from marts.dim_casting_people"
                " join marts.dim_people using (person_id) where imdb_person_id = 'nm0005132'"
            )
            assert cur.fetchall() == [(2008, "imdb_datasets")]
    finally:
        with db.cursor() as cur:
            cur.execute("delete from raw.imdb__name_basics where _source_file = 'test'")
        db.commit()
        materialize(keys)


def test_people_frame_keys_by_actor(demo_people):
    frame = people_frame(
        pd.DataFrame({"person_id": [5], "acting_share": [0.5], "death_year": [None]})
    )
    assert frame.index.tolist() == [5] and frame["death_year"].isna().all()
    assert demo_people["acting_share"].between(0, 1).all()
