"""One Oscar changes: Richard Linklater wins Best Director for Boyhood (the 2015 ceremony).

The real pipeline runs on the change (the raw row, the dbt models, the Dagster assets) and
the test shows (a) the incremental refresh rewrites exactly the dependency closure - the
nominee, everyone credited on the film, and then all their films - (b) its tables equal a
full recompute, and (c) the as-of history moves from 2016 on and leaves 2010 untouched. The
raw row is restored and the tables rebuilt, and they must come back to where they were.
"""

from __future__ import annotations

import dagster as dg
import pandas as pd
import pytest
from psycopg2 import sql

from orchestration.defs.people import GRAVITAS, GRAVITAS_ASOF, PQS, PQS_ASOF

pytestmark = pytest.mark.slow

CHANGED_MODELS = [
    dg.AssetKey(["intermediate", "int_metrics__oscars"]),
    dg.AssetKey(["intermediate", "int_people__nominations"]),
    dg.AssetKey(["intermediate", "int_people__film_recognition"]),
]
TIMESTAMPS = ["calculated_at", "valid_until"]
NOMINATION = """
    select nomination_id from staging.stg_oscars__nominations
    where canonical_category = 'DIRECTING' and award_year = 2014
        and nominee_name = 'Richard Linklater'
"""


def table(db, name: str, key: list[str]) -> pd.DataFrame:
    with db.cursor() as cur:
        cur.execute(sql.SQL("select * from {}").format(sql.Identifier("ml", name)))
        frame = pd.DataFrame(cur.fetchall(), columns=[c.name for c in cur.description])
    db.commit()
    return frame.sort_values(key).reset_index(drop=True)


def without_timestamps(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=TIMESTAMPS, errors="ignore")


def flip_winner(db, nomination_id: str) -> None:
    with db, db.cursor() as cur:
        cur.execute(
            "update raw.oscars__nominations set winner = not coalesce(winner, false) "
            "where nomination_id = %s",
            (nomination_id,),
        )
        assert cur.rowcount >= 1


def pqs_metadata(result) -> dict:
    events = [
        e for e in result.get_asset_materialization_events() if e.materialization.asset_key == PQS
    ]
    return {k: v.value for k, v in events[-1].materialization.metadata.items()}


@pytest.fixture(scope="module")
def award_change(materialized, materialize, warehouse):
    """The tables before, after the flipped award (incremental, then full) and after the restore."""
    from orchestration.warehouse import connect

    db = connect(warehouse)
    with db.cursor() as cur:
        cur.execute(NOMINATION)
        (nomination_id,) = cur.fetchone()
        cur.execute(
            "select person_id, film_id from intermediate.int_people__nominations "
            "where nomination_id = %s",
            (nomination_id,),
        )
        nominee, film = cur.fetchone()
    db.commit()
    before = {
        name: table(db, name, key)
        for name, key in (
            ("person_quality_scores", ["person_id", "role"]),
            ("movie_gravitas_scores", ["film_id"]),
            ("person_quality_asof", ["person_id", "role", "year"]),
        )
    }
    flip_winner(db, nomination_id)
    try:
        incremental = materialize([*CHANGED_MODELS, PQS, GRAVITAS, PQS_ASOF, GRAVITAS_ASOF])
        after = {
            name: table(db, name, key)
            for name, key in (
                ("person_quality_scores", ["person_id", "role"]),
                ("movie_gravitas_scores", ["film_id"]),
                ("person_quality_asof", ["person_id", "role", "year"]),
            )
        }
        materialize(
            [PQS, GRAVITAS],
            run_config={"ops": {"person_quality": {"config": {"full_refresh": True}}}},
        )
        full = {
            name: table(db, name, key)
            for name, key in (
                ("person_quality_scores", ["person_id", "role"]),
                ("movie_gravitas_scores", ["film_id"]),
            )
        }
    finally:
        flip_winner(db, nomination_id)
        restored_run = materialize([*CHANGED_MODELS, PQS, GRAVITAS, PQS_ASOF, GRAVITAS_ASOF])
    restored = {
        name: table(db, name, key)
        for name, key in (
            ("person_quality_scores", ["person_id", "role"]),
            ("movie_gravitas_scores", ["film_id"]),
        )
    }
    with db.cursor() as cur:
        cur.execute("select film_id, person_id from intermediate.int_people__credits")
        credits = pd.DataFrame(cur.fetchall(), columns=["film_id", "person_id"])
    db.close()
    yield dict(
        nominee=nominee,
        film=film,
        before=before,
        after=after,
        full=full,
        restored=restored,
        metadata=pqs_metadata(incremental),
        restored_metadata=pqs_metadata(restored_run),
        credits=credits,
    )


def test_the_incremental_refresh_rewrites_exactly_the_closure(award_change):
    change, credits = award_change, award_change["credits"]
    people = {change["nominee"]} | set(
        credits.loc[credits["film_id"] == change["film"], "person_id"]
    )
    films = set(credits.loc[credits["person_id"].isin(people), "film_id"])
    scores, gravitas = (
        change["after"]["person_quality_scores"],
        change["after"]["movie_gravitas_scores"],
    )
    latest = scores["calculated_at"].max()
    assert set(scores.loc[scores["calculated_at"] == latest, "person_id"]) == people
    assert set(gravitas.loc[gravitas["calculated_at"] == latest, "film_id"]) == films & set(
        gravitas["film_id"]
    )
    assert change["metadata"]["people_recomputed"] == len(people)
    assert change["metadata"]["changed_films"] == 1 and change["metadata"]["changed_people"] == 1
    assert change["metadata"]["peer_moved"] == 0  # an award does not touch the collaboration graph
    assert len(people) < 10 and len(films) < 0.05 * len(gravitas)
    before = change["before"]["person_quality_scores"].set_index(["person_id", "role"])
    linklater = scores.set_index(["person_id", "role"]).loc[(change["nominee"], "director")]
    assert linklater["award_points"] > before.loc[(change["nominee"], "director"), "award_points"]


def test_the_incremental_result_equals_a_full_recompute(award_change):
    for name, full in award_change["full"].items():
        pd.testing.assert_frame_equal(
            without_timestamps(award_change["after"][name]), without_timestamps(full)
        )


def test_the_2015_award_moves_the_as_of_history_from_2016_only(award_change):
    key = ["person_id", "role", "year"]
    before = award_change["before"]["person_quality_asof"].set_index(key)
    after = award_change["after"]["person_quality_asof"].set_index(key)
    director = (award_change["nominee"], "director")
    columns = before.columns.difference(TIMESTAMPS)
    pd.testing.assert_series_equal(
        before.loc[(*director, 2010), columns], after.loc[(*director, 2010), columns]
    )
    pd.testing.assert_frame_equal(
        before.loc[director].loc[:2015, columns], after.loc[director].loc[:2015, columns]
    )
    assert (
        after.loc[(*director, 2016), "award_points"] > before.loc[(*director, 2016), "award_points"]
    )
    assert after.loc[(*director, 2016), "total_pqs"] >= before.loc[(*director, 2016), "total_pqs"]


def test_restoring_the_award_restores_the_tables(award_change):
    for name, restored in award_change["restored"].items():
        pd.testing.assert_frame_equal(
            without_timestamps(award_change["before"][name]), without_timestamps(restored)
        )
    assert award_change["restored_metadata"]["mode"] == "incremental"
