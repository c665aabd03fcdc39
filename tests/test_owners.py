"""Every asset has an owner: its domain's team, or for dbt the team of the model's folder."""

from __future__ import annotations

import dagster as dg


def test_no_asset_is_ownerless(defs):
    graph = defs.resolve_asset_graph()
    ownerless = [k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).owners]
    assert not ownerless


def test_owners_follow_the_domain_and_the_dbt_folder(defs):
    graph = defs.resolve_asset_graph()
    expected = {
        "raw/movielens__ratings": "team:ingest",
        "staging/stg_oscars__nominations": "team:ingest",
        "intermediate/int_metric_observations": "team:metrics",
        "marts/dim_films": "team:identity",  # marts/core: the identity layer's output
        "marts/fct_casting_credits": "team:casting",
        "marts/casting_slates": "team:casting",
        "ml/casting_model": "team:casting",
        "ml/user_clusters": "team:cohorts",
        "app/casting_slates": "team:casting",
    }
    owners = {key: list(graph.get(dg.AssetKey.from_user_string(key)).owners) for key in expected}
    assert owners == {key: [team] for key, team in expected.items()}


def test_dbt_owner_comes_from_the_folder():
    from orchestration.defs.dbt import owner_of_folder

    assert owner_of_folder(["cinegraph", "marts", "people", "person_quality_scores"]) == (
        "team:people"
    )
    assert owner_of_folder(["cinegraph", "staging", "app", "stg_app__users"]) == "team:ingest"
    assert owner_of_folder(["cinegraph", "cohorts", "some_seed"]) == "team:cohorts"
