"""Connector tables through dbt: sources exist as assets, and TMDb credits reach the marts
keyed by the IMDb id TMDb gives (run on the fully materialised demo warehouse)."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg
import pytest

from ingest.connectors import CONNECTOR_TABLES
from ingest.live.tmdb.parsing import parse_details
from ingest.loader import Slice, load
from tests.support.fake_tmdb import movie_details

# The identity chain the connector mentions feed; rebuilt with TMDb rows, then without.
IDENTITY_MODELS = [
    "int_connector_film_mentions",
    "int_connector_person_mentions",
    "path:models/intermediate/identity",
    "path:models/marts/core",
]


def test_every_connector_table_is_a_dbt_source_and_an_asset(defs):
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for tables in CONNECTOR_TABLES.values():
        for table in tables:
            key = dg.AssetKey(["raw", table.name])
            assert key.to_user_string() in keys
            # The dbt staging models hang under the connector asset, not under a stray source.
            assert not graph.get(key).is_external, table.name
    staging = dg.AssetKey(["staging", "stg_tmdb__movies"])
    assert dg.AssetKey(["raw", "tmdb__movies"]) in graph.get(staging).parent_keys


def _dbt_run(tmp_path) -> None:
    from orchestration.dbt_project import dbt_resource

    dbt_resource().cli(
        ["run", "--select", " ".join(IDENTITY_MODELS)], target_path=tmp_path / "dbt"
    ).wait()


def _rows(db, query: str, params=()) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


@pytest.mark.slow
def test_tmdb_credits_reach_bridge_film_people_through_the_imdb_id(
    materialized, clean_tables, tmp_path
):
    db = clean_tables
    body = movie_details(
        597,
        "Titanic",
        "tt0120338",
        release_date="1997-11-18",
        cast=["Leonardo DiCaprio", "Kate Winslet", "Billy Zane", "Kathy Bates"],
        director="James Cameron",
    )
    for parsed in parse_details(body, datetime.now(UTC)):
        load(db, parsed, Slice("tmdb_id", 597, 598))
    try:
        _dbt_run(tmp_path)
        tmdb_film = _rows(
            db,
            "select film_id, match_rule from marts.bridge_film_sources "
            "where source = 'tmdb' and source_key = '597'",
        )
        oscar_film = _rows(
            db,
            "select distinct film_id from intermediate.int_film_identity "
            "where imdb_id = 'tt0120338' and source = 'oscars'",
        )
        assert tmdb_film == [(oscar_film[0][0], "imdb_id")]
        credits = _rows(
            db,
            """
            select people.name, bridge.role, bridge.billing_order
            from marts.bridge_film_people as bridge
            join marts.dim_people as people using (person_id)
            where bridge.film_id = %s and 'tmdb' = any(bridge.sources)
            order by bridge.role, bridge.billing_order nulls first, people.name
        """,
            (tmdb_film[0][0],),
        )
        assert ("Leonardo DiCaprio", "lead_actor", 1) in credits
        assert ("Kathy Bates", "actor", 4) in credits
        assert ("James Cameron", "director", None) in credits
    finally:
        tmdb_tables = [table.name for table in CONNECTOR_TABLES["tmdb"]]
        with db.cursor() as cur:
            cur.execute("truncate " + ", ".join(f"raw.{name}" for name in tmdb_tables))
        db.commit()
        _dbt_run(tmp_path)  # the marts as the other tests expect them
    assert _rows(db, "select count(*) from marts.bridge_film_sources where source = 'tmdb'") == [
        (0,)
    ]
