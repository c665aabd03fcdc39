"""What a BI user sees in `marts` after a full build: documented columns, a listable number of
relations, enforced contracts, names beside ids and shares on one scale."""

from __future__ import annotations

import pytest

from orchestration.settings import BI_ROLE
from warehouse.bi_surface import column_doc_share, selectable_relations, undocumented_columns

pytestmark = pytest.mark.slow

CONTRACTED = {
    "film_scores": ["film_id", "profile"],
    "film_rankings": ["cohort_id", "strategy", "film_id"],
    "person_rankings": ["cohort_id", "role", "person_id"],
    "person_quality_scores": ["person_id", "role"],
    "movie_gravitas_scores": ["film_id"],
    "personal_picks": ["user_id", "rank"],
}


def _rows(db, query, params=None):
    with db.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_nine_in_ten_mart_columns_carry_a_comment(materialized, db):
    commented, total = column_doc_share(db)
    assert total > 400  # every mart and seed of the schema, not an empty catalogue
    assert commented / total >= 0.9, undocumented_columns(db)[:40]


def test_views_get_their_column_comments_too(materialized, db):
    # persist_docs reaches views as well as tables: dim_weight_profiles is a view
    view = "'marts.dim_weight_profiles'::regclass"
    assert _rows(db, f"select relkind from pg_class where oid = {view}")[0][0] == "v"
    comment = _rows(db, f"select col_description({view}, 1)")[0][0]
    assert comment and "profile" in comment


def test_bi_reader_lists_fewer_than_eighty_relations(materialized, db):
    assert 30 < selectable_relations(db, BI_ROLE) < 80


def test_the_bi_marts_enforce_their_primary_keys(materialized, db):
    for model, key in CONTRACTED.items():
        rows = _rows(
            db,
            """
            select array_agg(a.attname::text order by a.attname)
            from pg_constraint as c
            inner join pg_attribute as a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
            where c.conrelid = %s::regclass and c.contype = 'p'
            """,
            (f"marts.{model}",),
        )
        assert rows[0][0] == sorted(key), model


def test_rankings_and_pqs_history_name_what_they_rank(materialized, db):
    top = _rows(
        db,
        "select title, release_year from marts.film_rankings "
        "where cohort = 'all' and strategy = 'bayesian' and rank <= 10",
    )
    assert len(top) == 10 and all(title and year for title, year in top)
    unnamed, total = _rows(
        db, "select count(*) filter (where name is null), count(*) from marts.person_quality_asof"
    )[0]
    assert total > 0 and unnamed == 0


def test_coverage_is_a_share_on_the_scale_of_its_threshold(materialized, db):
    low, high = _rows(
        db, "select min(coverage_share), max(coverage_share) from marts.metric_coverage_stats"
    )[0]
    assert low >= 0 and 0 < high <= 1
