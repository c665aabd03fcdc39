"""Computed slates land in the warehouse and the BI role reads them in marts.casting_slates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from serving.casting import Brief, recommend, store_slate
from serving.casting import store as slate_store

BRIEF = Brief(year=2019, budget_millions=40, genres=("Drama", "Crime"), bill_order=1, n=5)
RUN = {"run_id": "test-run", "manifest": {"artifact": {"version": "test-version"}}}
SLATE_VIEWS = [["staging", "stg_app__casting_slates"], ["marts", "casting_slates"]]


@pytest.fixture(scope="module")
def result(demo_model):
    return recommend(demo_model, BRIEF)


@pytest.fixture
def bi(settings, warehouse):
    from orchestration.warehouse import connect

    conn = connect(settings.bi_reader)
    yield conn
    conn.close()


def test_a_stored_slate_is_in_the_bi_mart(result, db, bi, materialize):
    slate_id = store_slate(db, result, RUN)
    materialize(SLATE_VIEWS)
    with bi.cursor() as cur:
        cur.execute(
            "select slate_rank, actor_id, actor_name, p_cal, reasons, has_alternates, "
            "brief_year, brief_genres, model_version, slate_recency "
            "from marts.casting_slates where slate_id = %s order by slate_rank",
            (slate_id,),
        )
        rows = cur.fetchall()
    assert [r[:4] for r in rows] == [
        (int(rank), int(actor), name, pytest.approx(p))
        for rank, actor, name, p in result.slate[
            ["rank", "actor_id", "actor_name", "p_cal"]
        ].itertuples(index=False)
    ]
    first = rows[0]
    top_reason = result.reasons.loc[result.reasons["rank"] == 1, "reason"].iloc[0]
    assert first[4].startswith(top_reason)
    assert first[5] == (result.alternates["rank"] == 1).any()
    assert first[6:] == (2019, "Drama, Crime", "test-version", 1)


def test_only_the_newest_slates_are_kept(result, db, monkeypatch):
    monkeypatch.setattr(slate_store, "RETAINED_SLATES", 2)
    ids = [
        store_slate(db, replace(result, manifest={**result.manifest, "created_at": at}), RUN)
        for at in (
            "2030-01-01T00:00:00+00:00",
            "2030-01-02T00:00:00+00:00",
            "2030-01-03T00:00:00+00:00",
        )
    ]
    with db.cursor() as cur:
        cur.execute("select distinct slate_id::text from app.casting_slates")
        kept = {row[0] for row in cur.fetchall()}
    assert kept == set(ids[1:])


def test_the_console_role_may_store_a_slate(result, settings, warehouse):
    from orchestration.warehouse import connect

    conn = connect(settings.console_app)
    try:
        slate_id = store_slate(conn, result, RUN)
    finally:
        conn.close()
    assert slate_id
