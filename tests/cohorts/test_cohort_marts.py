"""The cohort marts on the fully materialised warehouse: contents, serving, and incremental
refresh. Tests that change data put it back (the last step of each is the restore)."""

from __future__ import annotations

import dagster as dg
import pandas as pd
import pytest

from ingest import app_events
from ingest.live.movielens_archive.archive import open_archive
from ingest.live.movielens_archive.loading import load_ratings, load_snapshot_tables
from orchestration import warehouse as server
from orchestration.cli import main
from serving import cohorts as api

pytestmark = pytest.mark.slow

LAST_MONTHS = ["2016-09-01", "2016-10-01"]
# Every cohort table and the columns to compare: all but the incremental bookkeeping.
COMPARED = {
    "marts.fct_ratings": "*",
    "marts.rating_rejects": "*",
    "marts.user_activity": "*",
    "intermediate.int_rating_month_loads": "rating_month, ratings, film_ids, user_ids",
    "marts.cohort_members": "*",
    "marts.dim_cohorts": "*",
    "marts.cohort_film_stats": "cohort_id, cohort, film_id, watchers, raters, mean_rating, "
    "stddev_rating, likes, favorites, repeat_watchers, bucket_counts, "
    "high_share, crowd_share, first_rated_at, last_rated_at, membership_hash",
    "marts.film_rankings": "*",
    "marts.ranking_insights": "*",
    "marts.person_rankings": "*",
    "marts.collaboration_pairs": "*",
    "marts.emerging_voices": "*",
    "marts.weekly_digests": "cohort_id, cohort, week_start, film_id, members_active, ratings, "
    "likes, mean_rating, rank, membership_hash",
    "marts.user_streaks": "user_id, active_days, entries, first_active_day, last_active_day, "
    "longest_streak_days, longest_streak_start, longest_streak_end, busiest_day, "
    "busiest_day_entries, burst_days, burst_min_entries",
    "marts.rewatches": "user_id, film_id, entries, first_rated_at, last_rated_at, ratings, "
    "rating_change",
    "marts.cohort_overlap": "*",
}


def scalar(db, query, params=None):
    with db.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchone()[0]


def execute(db, query, params=None):
    with db.cursor() as cur:
        cur.execute(query, params)
    db.commit()


@pytest.fixture(scope="module")
def selections():
    from orchestration.defs.cohorts import cohort_marts
    from orchestration.defs.dbt import dbt_monthly_models

    monthly = dg.AssetSelection.assets(dbt_monthly_models)
    return {
        "monthly": monthly,
        "monthly_with_raw": monthly | dg.AssetSelection.assets(["raw", "movielens__ratings"]),
        "cohorts": cohort_marts,
    }


def test_every_movielens_rating_is_a_rating_or_a_reject(materialized, db):
    raw = scalar(db, "select count(*) from raw.movielens__ratings")
    kept = scalar(
        db, "select sum(collapsed_events) from marts.fct_ratings where source = 'movielens'"
    )
    rejected = scalar(db, "select count(*) from marts.rating_rejects where source = 'movielens'")
    assert kept + rejected == raw == 100_004
    assert (
        scalar(
            db,
            "select count(*) from marts.rating_rejects "
            "where reason not like 'unknown film: movie_id %%'",
        )
        == 0
    )


def test_cohorts_include_everyone_and_the_taste_clusters(materialized, db):
    assert scalar(db, "select member_count from marts.dim_cohorts where cohort = 'all'") == 671
    k = scalar(db, "select count(*) from marts.dim_cohorts where kind = 'cluster'")
    assert 4 <= k <= 8
    clustered = scalar(db, "select count(*) from ml.user_clusters")
    assert (
        scalar(db, "select sum(member_count) from marts.dim_cohorts where kind = 'cluster'")
        == clustered
    )
    with db.cursor() as cur:
        cur.execute(
            "select distinct on (model_name) model_name, metrics from ml.model_runs "
            "where model_name in ('taste_clusters', 'rating_prediction') "
            "order by model_name, created_at desc"
        )
        runs = dict(cur.fetchall())
    assert runs["taste_clusters"]["k"] == k
    assert (
        runs["rating_prediction"]["rmse_bias_baseline"]
        < runs["rating_prediction"]["rmse_global_mean"]
    )


def test_strategies_renormalise_over_the_inputs_movielens_has(materialized, db):
    """MovieLens has no likes: engagement drops like and favourite rates: 2 x the Bayesian mean."""
    with db.cursor() as cur:
        cur.execute("""
            select missing_inputs, weight_scale, score, bayesian_mean, raters, mean_rating,
                   vote_floor, prior_mean
            from marts.film_rankings
            where cohort = 'all' and strategy = 'engagement' and rank = 1
        """)
        missing, scale, score, bayesian, v, mean, m, prior = cur.fetchone()
    assert missing == ["like_rate", "favorite_rate"]
    assert scale == 2 and score == pytest.approx(2 * bayesian)
    assert bayesian == pytest.approx(v / (v + m) * mean + m / (v + m) * prior)
    assert m == 50


def test_bi_reader_reads_the_cohort_marts(materialized, settings):
    conn = server.connect(settings.bi_reader)
    try:
        for table in ("film_rankings", "film_histograms", "ranking_insights", "person_rankings"):
            assert scalar(conn, f"select count(*) from marts.{table}") > 0
    finally:
        conn.close()


def test_cli_rankings_divergences_and_people(materialized, capsys):
    assert (
        main(
            [
                "rankings",
                "--cohort",
                "all",
                "--strategy",
                "engagement",
                "--released-from",
                "2000",
                "--top",
                "50",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["rank", "title", "release_year"]
    assert [line.split()[0] for line in lines[1:51]] == [str(rank) for rank in range(1, 51)]
    assert lines[51].startswith("note: no variation in like_rate, favorite_rate")

    assert main(["divergences", "--cohort", "cluster:2", "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "cohort higher" in out and "cohort lower" in out

    assert main(["people", "--cohort", "all", "--role", "director", "--limit", "5"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6

    assert main(["rankings", "--cohort", "cluster:99"]) == 2
    assert "unknown cohort 'cluster:99'; valid: all, cluster:1" in capsys.readouterr().err


def test_rankings_slices(materialized, db):
    decade = api.rankings(db, "all", "bayesian", top=10, released_from=1990, released_to=1999)
    assert decade["release_year"].between(1990, 1999).all() and list(decade["rank"]) == list(
        range(1, 11)
    )
    assert (decade["rank_in_cohort"].diff().dropna() > 0).all()
    afi = api.rankings(db, "all", "bayesian", top=250, list_name="afi_top_100")
    assert 50 < len(afi) <= 100
    rated_2015 = api.rankings(db, "all", "bayesian", rated_from="2015-01-01", rated_to="2016-01-01")
    assert (rated_2015["ratings_in_period"] > 0).all()
    with pytest.raises(LookupError, match="unknown list 'nope'; valid: .*afi_top_100"):
        api.rankings(db, list_name="nope")


def test_prediction_from_histograms(materialized, db):
    film = api.rankings(db, "all", "bayesian", top=1)["film_id"][0]
    result = api.predict_rating(db, 15, film)
    assert 0.5 <= result["expected_rating"] <= 5.0
    assert sum(result["p_user"].values()) == pytest.approx(1, abs=1e-3)


def test_incremental_month_loads_equal_a_full_rebuild(materialized, db, materialize, selections):
    """Unload the last two months, load them back one at a time (ingest, monthly dbt models,
    cohort refresh per month), and compare every cohort table with the full build."""
    execute(db, "drop schema if exists cohort_snapshot cascade; create schema cohort_snapshot")
    for table, columns in COMPARED.items():
        execute(
            db,
            f"create table cohort_snapshot.{table.replace('.', '__')} "
            f"as select {columns} from {table}",
        )
    try:
        execute(db, "delete from raw.movielens__ratings where rated_at >= %s", (LAST_MONTHS[0],))
        for month in LAST_MONTHS:
            materialize(selections["monthly"], partition_key=month)
        materialize(selections["cohorts"])
        assert (
            scalar(
                db, "select count(*) from marts.fct_ratings where rated_at >= %s", (LAST_MONTHS[0],)
            )
            == 0
        )
        for month in LAST_MONTHS:
            materialize(selections["monthly_with_raw"], partition_key=month)
            materialize(selections["cohorts"])
        differences = {}
        for table, columns in COMPARED.items():
            copy = f"cohort_snapshot.{table.replace('.', '__')}"
            differences[table] = scalar(
                db,
                f"""
                select count(*) from (
                    (select {columns} from {table} except all select * from {copy})
                    union all
                    (select * from {copy} except all select {columns} from {table})
                ) as diff
            """,
            )
        assert differences == dict.fromkeys(COMPARED, 0)
    finally:
        if scalar(db, "select count(*) from raw.movielens__ratings") != 100_004:
            for month in LAST_MONTHS:
                materialize(selections["monthly_with_raw"], partition_key=month)
            materialize(selections["cohorts"])
        execute(db, "drop schema cohort_snapshot cascade")


def test_app_events_collapse_and_bad_ones_become_rejects(materialized, db, materialize, selections):
    month, at = "2016-10-01", "2016-10-01T12:00:00+00:00"
    before = scalar(db, "select count(*) from marts.fct_ratings")
    heat = scalar(
        db,
        "select film_id from marts.bridge_film_sources "
        "where source = 'movielens' and source_key = '6'",
    )
    first = [
        {"source_row": 1, "user_id": 1, "movie_id": 6, "rating": 4.0, "event_at": at},
        {"source_row": 2, "user_id": 1, "movie_id": 32, "rating": 7.0, "event_at": at},
        {"source_row": 3, "user_id": 1, "movie_id": 47, "rating": 3.3, "event_at": at},
        {"source_row": 4, "user_id": 999_999, "movie_id": 6, "rating": 3.0, "event_at": at},
        {"source_row": 5, "user_id": 1, "movie_id": 99_999_999, "rating": 3.0, "event_at": at},
    ]
    later = [
        {"source_row": 1, "user_id": 1, "movie_id": 6, "rating": 5.0, "liked": True, "event_at": at}
    ]
    try:
        for name, rows in (("first.csv", first), ("later.csv", later)):
            frame = pd.DataFrame(rows).assign(
                event_at=lambda f: pd.to_datetime(f["event_at"], utc=True)
            )
            assert app_events.load_rating_events(db, frame, "test", name).months == [month]
        materialize(selections["monthly"], partition_key=month)
        with db.cursor() as cur:
            cur.execute(
                "select rating, liked, source, collapsed_events from marts.fct_ratings "
                "where user_id = 1 and film_id = %s and rated_at = %s",
                (heat, at),
            )
            assert cur.fetchall() == [(5.0, True, "test", 2)]
            cur.execute(
                "select source_row, reason from marts.rating_rejects where source = 'test' "
                "order by source_row"
            )
            reasons = dict(cur.fetchall())
        assert reasons == {
            2: "rating 7.0 is outside 0.5-5",
            3: "rating 3.3 is off the half-star grid",
            4: "unknown user 999999",
            5: "unknown film: movie_id 99999999",
        }
    finally:
        execute(db, "delete from app.rating_events where source = 'test'")
        materialize(selections["monthly"], partition_key=month)
    assert scalar(db, "select count(*) from marts.fct_ratings") == before


def test_a_rating_dated_before_the_first_month_is_a_reject_of_the_first_month(
    materialized, db, materialize, selections
):
    from orchestration.partitions import RATINGS_START

    old = pd.DataFrame(
        [{"source_row": 1, "user_id": 1, "movie_id": 6, "rating": 4.0, "event_at": "1990-06-01"}]
    ).assign(event_at=lambda f: pd.to_datetime(f["event_at"], utc=True))
    try:
        assert app_events.load_rating_events(db, old, "test", "old.csv").months == ["1990-06-01"]
        for _ in range(2):  # re-running the month keeps one copy
            materialize(selections["monthly"], partition_key=RATINGS_START)
        with db.cursor() as cur:
            cur.execute("select reason from marts.rating_rejects where source = 'test'")
            assert cur.fetchall() == [
                ("rated 1990-06-01, before the first rating month 1995-01-01",)
            ]
    finally:
        execute(db, "delete from app.rating_events where source = 'test'")
        materialize(selections["monthly"], partition_key=RATINGS_START)
    assert scalar(db, "select count(*) from marts.rating_rejects where source = 'test'") == 0


def test_movielens_archive_ratings_reach_fct_ratings_by_imdb_id(
    materialized, db, materialize, selections, tmp_path
):
    """An archive's rating becomes a rating of the film its links.csv IMDb id names, in its
    month's partition; a movie whose IMDb id no film has is a reject saying so."""
    month, at = "2016-10-01", "2016-10-01T12:00:00+00:00"
    before = scalar(db, "select count(*) from marts.fct_ratings")
    with db.cursor() as cur:
        cur.execute(
            "select bridge.source_key, films.film_id, films.imdb_id "
            "from marts.bridge_film_sources as bridge "
            "inner join marts.dim_films as films on bridge.film_id = films.film_id "
            "where bridge.source = 'movielens' and films.imdb_id is not null "
            "order by bridge.source_key::integer limit 1"
        )
        movie_id, film_id, imdb_id = cur.fetchone()
    timestamp = int(pd.Timestamp(at).timestamp())
    archive = tmp_path / "ml-test"
    archive.mkdir()
    files = {
        "ratings.csv": f"userId,movieId,rating,timestamp\n1,{movie_id},4.5,{timestamp}\n"
        f"2,90000,3.0,{timestamp}\n",
        "movies.csv": f"movieId,title,genres\n{movie_id},A film (1995),Drama\n"
        "90000,Nowhere (2016),Drama\n",
        "links.csv": f"movieId,imdbId,tmdbId\n{movie_id},{imdb_id[2:]},\n90000,9999999,\n",
        "tags.csv": "userId,movieId,tag,timestamp\n",
    }
    for name, text in files.items():
        (archive / name).write_text(text)
    try:
        with open_archive(archive) as opened:
            load_snapshot_tables(db, opened)
            load_ratings(db, opened, None)
        materialize(selections["monthly"], partition_key=month)
        with db.cursor() as cur:
            cur.execute(
                "select film_id, rating, source from marts.fct_ratings "
                "where user_id = 1 and rated_at = %s",
                (at,),
            )
            assert cur.fetchall() == [(film_id, 4.5, "movielens_archive")]
            cur.execute(
                "select user_id, reason from marts.rating_rejects "
                "where source = 'movielens_archive'"
            )
            assert cur.fetchall() == [(2, "unknown film: movie_id 90000 imdb_id tt9999999")]
    finally:
        for table in ("ratings", "movies", "links", "tags"):
            execute(db, f"delete from raw.movielens_archive__{table}")  # names are constants
        materialize(selections["monthly"], partition_key=month)
    assert scalar(db, "select count(*) from marts.fct_ratings") == before


def test_a_named_cohort_is_ranked_after_a_refresh_and_gone_after_deletion(
    materialized, db, materialize, selections
):
    try:
        assert api.create_cohort(db, "test-critics", [1, 2, 3], "three critics") == 3
        materialize(selections["cohorts"])
        stats = scalar(
            db, "select count(*) from marts.cohort_film_stats where cohort = 'test-critics'"
        )
        direct = scalar(
            db, "select count(distinct film_id) from marts.fct_ratings where user_id in (1, 2, 3)"
        )
        assert stats == direct > 0
        top = api.rankings(db, "test-critics", "extended", top=5)
        assert len(top) == 5
    finally:
        api.delete_cohort(db, "test-critics")
        materialize(selections["cohorts"])
    assert (
        scalar(db, "select count(*) from marts.cohort_film_stats where cohort = 'test-critics'")
        == 0
    )
    assert scalar(db, "select count(*) from marts.dim_cohorts where cohort = 'test-critics'") == 0
