"""The metrics query API on the materialised warehouse: scores, search, profile edits."""

from __future__ import annotations

import pytest

from serving.metrics import (
    SystemProfileError,
    calculate_movie_score,
    create_profile,
    delete_profile,
    get_profile,
    leaderboard,
    search_movies,
    update_profile_weight,
)

pytestmark = pytest.mark.slow

TITANIC = "tt0120338"
CUSTOM = "test_gems_by_critics"
INJECTION = "x'; drop table marts.dim_films; --"


def test_score_matches_film_scores_and_explains_itself(materialized, db):
    result = calculate_movie_score(db, TITANIC, "balanced")
    assert (result.title, result.release_year) == ("Titanic", 1997)
    with db.cursor() as cur:
        cur.execute(
            "select total_score, weight_coverage from marts.film_scores "
            "where film_id = %s and profile = 'balanced'",
            (result.film_id,),
        )
        stored = cur.fetchone()
    assert result.total_score == pytest.approx(stored[0], abs=1e-12)
    assert result.weight_coverage == pytest.approx(stored[1], abs=1e-12)
    assert sum(row.contribution for row in result.breakdown) == pytest.approx(
        result.total_score, abs=1e-12
    )
    wins = next(row for row in result.breakdown if row.metric_code == "oscar_wins")
    assert (wins.raw_value, wins.normalized_value, wins.source) == (11, 1.0, "oscars")
    assert wins.effective_weight == pytest.approx(
        wins.normalized_weight * wins.profile_metric_weight * wins.source_reliability
    )
    # the same film by film_id and by 'Title (year)'
    assert calculate_movie_score(db, result.film_id, "balanced").total_score == result.total_score
    assert calculate_movie_score(db, "Titanic (1997)", "balanced").film_id == result.film_id


def test_profiles_weigh_the_same_film_differently(materialized, db):
    award = calculate_movie_score(db, TITANIC, "award_seeker")
    critics = calculate_movie_score(db, TITANIC, "critics_choice")
    assert award.total_score != critics.total_score
    assert {row.category for row in critics.breakdown if row.contribution} <= {
        "rating",
        "award",
        "cultural",
    }


def test_a_film_without_data_has_no_score(materialized, db):
    with db.cursor() as cur:
        cur.execute("select film_id from marts.film_scores where metrics_used = 0 limit 1")
        film_id = cur.fetchone()[0]
    result = calculate_movie_score(db, film_id, "balanced")
    assert (result.total_score, result.weight_coverage, result.breakdown) == (None, 0.0, ())


def test_unknown_or_ambiguous_films_and_profiles_are_clear_errors(materialized, db):
    with pytest.raises(LookupError, match="valid profiles: .*balanced"):
        calculate_movie_score(db, TITANIC, "no_such_profile")
    with pytest.raises(LookupError, match="several films.*Hamlet"):
        calculate_movie_score(db, "Hamlet", "balanced")
    with pytest.raises(LookupError, match="no film matches"):
        calculate_movie_score(db, "tt0000000", "balanced")


def test_search_by_category_by_raw_range_and_by_normalised_range(materialized, db):
    rated = search_movies(db, {"category": "rating", "min_normalized": 0.8}, limit=50)
    assert len(rated.rows) == 50 and rated.scored_from == "film_scores"
    assert all(row["rating_score"] >= 0.8 for row in rated.rows)
    ranked = [row["ranked_score"] for row in rated.rows]
    assert ranked == sorted(ranked, reverse=True)
    assert all(0 < row["weight_coverage"] <= row["available_coverage"] <= 1 for row in rated.rows)

    fresh = search_movies(
        db, {"metric_code": "rt_tomatometer", "min_raw_value": 95, "max_raw_value": 99}
    )
    with db.cursor() as cur:
        cur.execute(
            "select raw_value from marts.film_metric_values where metric_code = 'rt_tomatometer' "
            "and film_id = any(%s)",
            ([row["film_id"] for row in fresh.rows],),
        )
        values = [row[0] for row in cur.fetchall()]
    assert len(values) == len(fresh.rows) > 0 and all(95 <= v <= 99 for v in values)

    high_afi = search_movies(
        db, {"filters": [{"metric_code": "afi_top_100", "min_normalized": 0.9}]}
    )
    assert 0 < len(high_afi.rows) <= 20


def test_the_leaderboard_ranks_by_evidence_and_lists_no_untitled_film(materialized, db):
    top = leaderboard(db, "balanced", limit=50)
    assert len(top.rows) == 50 and all(row["title"] for row in top.rows)
    ranked = [row["ranked_score"] for row in top.rows]
    assert ranked == sorted(ranked, reverse=True)
    # a perfect score from a sliver of the profile's weight does not top the board
    assert min(row["available_coverage"] for row in top.rows) >= 0.3
    with_untitled = leaderboard(db, "balanced", limit=500, include_untitled=True)
    labels = {row["film_label"] for row in with_untitled.rows if row["title"] is None}
    assert all(label.startswith("imdb:tt") for label in labels)


def test_hidden_gems_combine_filters_and_pages_do_not_overlap(materialized, db):
    gems = [
        {"metric_code": "movielens_rating_count", "max_normalized": 0.3},
        {"category": "rating", "min_normalized": 0.7},
        {"category": "cultural", "min_normalized": 0.3},
    ]
    first = search_movies(db, gems, "hidden_gems", limit=5)
    second = search_movies(db, gems, "hidden_gems", limit=5, offset=5)
    assert len(first.rows) == 5
    assert not {r["film_id"] for r in first.rows} & {r["film_id"] for r in second.rows}
    for row in first.rows:
        assert row["rating_score"] >= 0.7 and row["cultural_score"] >= 0.3


def test_search_rejects_unknown_names_and_bad_filters(materialized, db):
    with pytest.raises(LookupError, match="valid metrics: .*imdb_rating"):
        search_movies(db, {"metric_code": "imdb_score", "min_normalized": 0.5})
    with pytest.raises(LookupError, match="valid categories: rating, award"):
        search_movies(db, {"category": "ratings", "min_normalized": 0.5})
    with pytest.raises(ValueError, match="min_normalized / max_normalized only"):
        search_movies(db, {"category": "rating", "min_raw_value": 5})
    with pytest.raises(ValueError, match="valid keys"):
        search_movies(db, {"metric_code": "imdb_rating", "above": 5})
    with pytest.raises(LookupError, match="valid profiles"):
        search_movies(db, {"category": "rating", "min_normalized": 0.5}, profile="nope")


def test_values_that_try_sql_injection_are_just_values(materialized, db):
    with pytest.raises(LookupError, match="no film matches"):
        calculate_movie_score(db, INJECTION, "balanced")
    with pytest.raises(LookupError, match="unknown weight profile"):
        calculate_movie_score(db, TITANIC, "balanced' or '1'='1")
    with pytest.raises(ValueError, match="must be a number"):
        search_movies(
            db, {"category": "rating", "min_normalized": "0.5; drop table marts.film_scores"}
        )
    with pytest.raises(LookupError, match="unknown weight profile"):
        search_movies(db, {"category": "rating", "min_normalized": 0.5}, profile=INJECTION)
    db.rollback()
    with db.cursor() as cur:
        cur.execute("select count(*) from marts.dim_films")
        assert cur.fetchone()[0] > 0
        cur.execute("select count(*) from marts.film_scores")
        assert cur.fetchone()[0] > 0


@pytest.fixture
def custom_profile(materialized, db):
    """A custom profile for the test; it and its history rows are removed afterwards."""
    yield CUSTOM
    db.rollback()
    with db.cursor() as cur:
        cur.execute("delete from app.custom_weight_profiles where profile = %s", (CUSTOM,))
        cur.execute("delete from app.weight_profile_history where profile = %s", (CUSTOM,))
    db.commit()


def test_system_profiles_cannot_be_edited_or_deleted(materialized, db):
    with pytest.raises(SystemProfileError, match="system profile.*create_profile"):
        update_profile_weight(
            db,
            "balanced",
            category_weights={"rating": 1.0, "award": 0.0, "financial": 0.0, "cultural": 0.0},
            changed_by="test",
            reason="test",
        )
    with pytest.raises(SystemProfileError):
        delete_profile(db, "hidden_gems", deleted_by="test", reason="test")


def test_custom_profile_lifecycle_with_history(custom_profile, db):
    with pytest.raises(ValueError, match="sum to 1, these sum to 1.1"):
        create_profile(
            db,
            custom_profile,
            created_by="alice",
            reason="try",
            based_on="critics_choice",
            category_weights={"rating": 0.6},
        )
    with pytest.raises(LookupError, match="valid categories"):
        create_profile(
            db, custom_profile, created_by="alice", reason="try", category_weights={"gravitas": 0.1}
        )
    created = create_profile(
        db,
        custom_profile,
        created_by="alice",
        reason="critics only, no lists",
        based_on="critics_choice",
        category_weights={"rating": 0.8, "cultural": 0.0},
        description=INJECTION,
    )
    assert created.category_weights["rating"] == 0.8 and not created.is_system
    assert get_profile(db, custom_profile).description == INJECTION  # stored verbatim
    assert get_profile(db, custom_profile).metric_weights["rt_tomatometer"] == 2.0  # inherited

    scored = calculate_movie_score(db, TITANIC, custom_profile)
    assert scored.total_score is not None
    assert {row.category for row in scored.breakdown if row.contribution} <= {"rating", "award"}
    found = search_movies(
        db, {"category": "rating", "min_normalized": 0.8}, custom_profile, limit=3
    )
    assert found.scored_from == "film_scores_live" and len(found.rows) == 3

    with pytest.raises(ValueError, match="sum to 1"):
        update_profile_weight(
            db,
            custom_profile,
            category_weights={"award": 0.5},
            changed_by="bob",
            reason="more awards",
        )
    updated = update_profile_weight(
        db,
        custom_profile,
        category_weights={"award": 0.5, "rating": 0.5},
        metric_weights={"imdb_rating": 3.0},
        changed_by="bob",
        reason="balance",
    )
    assert updated.metric_weights["imdb_rating"] == 3.0
    delete_profile(db, custom_profile, deleted_by="carol", reason="done")
    with db.cursor() as cur:
        cur.execute(
            "select action, changed_by, old_values -> 'category_weights' ->> 'award', "
            "new_values -> 'category_weights' ->> 'award', change_reason "
            "from app.weight_profile_history where profile = %s order by id",
            (custom_profile,),
        )
        history = cur.fetchall()
    assert history == [
        ("create", "alice", None, "0.2", "critics only, no lists"),
        ("update", "bob", "0.2", "0.5", "balance"),
        ("delete", "carol", "0.5", None, "done"),
    ]
    with pytest.raises(LookupError, match="unknown weight profile"):
        calculate_movie_score(db, TITANIC, custom_profile)


def test_a_custom_profile_ranks_with_its_own_shrinkage(custom_profile, db):
    """k and the prior of the ranked score are the profile's own: taken from its base unless
    given, validated, and used by the live scores at once."""
    with pytest.raises(ValueError, match="ranking_k must be a finite number above 0"):
        create_profile(db, custom_profile, created_by="alice", reason="try", ranking_k=0)
    with pytest.raises(ValueError, match="ranking_prior must be .* between 0 and 1"):
        create_profile(db, custom_profile, created_by="alice", reason="try", ranking_prior=1.5)
    base = get_profile(db, "critics_choice")
    inherited = create_profile(
        db, custom_profile, created_by="alice", reason="try", based_on="critics_choice"
    )
    assert (inherited.ranking_k, inherited.ranking_prior) == (base.ranking_k, base.ranking_prior)
    stricter = update_profile_weight(
        db, custom_profile, changed_by="bob", reason="more evidence", ranking_k=1.0
    )
    assert (stricter.ranking_k, stricter.ranking_prior) == (1.0, base.ranking_prior)
    with db.cursor() as cur:
        cur.execute(
            "select weight_coverage, total_score, ranked_score, ranking_k "
            "from marts.film_scores_live where profile = %s and total_score is not null "
            "order by film_id limit 20",
            (custom_profile,),
        )
        rows = cur.fetchall()
    assert len(rows) == 20
    for coverage, total, ranked, k in rows:
        assert k == 1.0
        expected = (coverage * total + 1.0 * base.ranking_prior) / (coverage + 1.0)
        assert ranked == pytest.approx(expected, abs=1e-9)
