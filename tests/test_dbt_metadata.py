"""dbt materialisations carry the relation's row count and typed column schema."""

from __future__ import annotations

import dagster as dg
import pytest

DIM_FILMS = dg.AssetKey(["marts", "dim_films"])
STAGING_VIEW = dg.AssetKey(["staging", "stg_oscars__nominations"])


@pytest.fixture(scope="module")
def built(defs, instance):
    from orchestration.materialize_all import materialize_upstream

    stage = materialize_upstream(defs, instance, [DIM_FILMS])
    assert stage.success, "\n".join(stage.failures)
    return instance


def metadata(instance, key: dg.AssetKey) -> dict:
    return instance.get_latest_materialization_event(key).asset_materialization.metadata


def test_a_table_has_its_row_count_and_typed_columns(built, db):
    found = metadata(built, DIM_FILMS)
    with db.cursor() as cur:
        cur.execute("select count(*) from marts.dim_films")
        assert found["dagster/row_count"].value == cur.fetchone()[0] > 0
    columns = {c.name: c.type for c in found["dagster/column_schema"].schema.columns}
    assert columns["film_id"] == "bigint"
    assert all(columns.values()), columns  # every column typed


def test_a_view_has_typed_columns_but_no_count(built):
    found = metadata(built, STAGING_VIEW)
    assert "dagster/row_count" not in found  # counting would run the view's query
    assert found["dagster/column_schema"].schema.columns
