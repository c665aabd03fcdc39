"""The registry's marts on a fully materialised warehouse: facts, the winner rule, scores,
coverage, gaps and the time series."""

from __future__ import annotations

import pytest

from ml.metrics import categories, metric_definitions

pytestmark = pytest.mark.slow

TITANIC = "tt0120338"


def one(db, query, params=()):
    with db.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchone()


def all_rows(db, query, params=()):
    with db.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_every_ingested_source_feeds_its_metrics(materialized, db):
    feeds = set(all_rows(db, "select distinct metric_code, source from marts.fct_film_metrics"))
    assert {
        ("imdb_rating", s) for s in ("imdb_histograms", "box_office", "movie_industry")
    } <= feeds
    assert {
        ("imdb_vote_count", s) for s in ("imdb_histograms", "box_office", "movie_industry")
    } <= feeds
    assert {
        ("rt_tomatometer", "box_office"),
        ("oscar_wins", "oscars"),
        ("oscar_nominations", "oscars"),
        ("cannes_palme_dor", "festivals"),
        ("afi_top_100", "canonical_lists"),
        ("sight_sound_rank", "canonical_lists"),
        ("nfr_preserved", "canonical_lists"),
        ("movielens_rating", "movielens"),
        ("movielens_rating_count", "movielens"),
        ("production_budget", "movie_industry"),
        ("worldwide_gross", "box_office"),
    } <= feeds
    # metrics nothing feeds have no rows at all: no invented zeros
    assert not {code for code, _ in feeds} & {"metacritic_score", "venice_selection", "bfi_top_100"}


def test_values_are_normalised_and_never_null(materialized, db):
    nulls, outside = one(
        db,
        """
        select count(*) filter (where raw_value is null or normalized_value is null),
               count(*) filter (where normalized_value not between 0 and 1)
        from marts.fct_film_metrics
    """,
    )
    assert (nulls, outside) == (0, 0)


def test_titanic_counts_its_oscars(materialized, db):
    rows = all_rows(
        db,
        """
        select metric_code, raw_value, normalized_value
        from marts.film_metric_values join marts.dim_films using (film_id)
        where imdb_id = %s and metric_code like 'oscar%%' order by metric_code
    """,
        (TITANIC,),
    )
    assert rows == [("oscar_nominations", 14.0, 1.0), ("oscar_wins", 11.0, 1.0)]


def test_the_most_reliable_then_most_recent_source_wins(materialized, db):
    # no losing observation is more reliable than the winner, or as reliable and more recent
    beaten = one(
        db,
        """
        select count(*)
        from marts.film_metric_values as winner
        join marts.fct_film_metrics as other using (film_id, metric_code)
        where other.source <> winner.source
            and (other.reliability, other.observed_at) > (winner.reliability, winner.observed_at)
    """,
    )[0]
    assert beaten == 0
    # the three IMDb copies of one film: movie_industry (0.9, 2021) beats ggplot2movies
    # (0.9, 2006) on freshness and vega (0.8) on reliability
    winners = dict(
        all_rows(
            db,
            """
        select source, count(*) from marts.film_metric_values
        where metric_code = 'imdb_rating' and sources_observed = 3 group by source
    """,
        )
    )
    assert set(winners) == {"movie_industry"} and winners["movie_industry"] > 100


def test_contributions_add_up_to_the_total_score(materialized, db):
    mismatched, scored = one(
        db,
        """
        select count(*) filter (where abs(scores.total_score - parts.total) > 1e-9), count(*)
        from marts.film_scores as scores
        join (
            select film_id, profile, sum(contribution) as total
            from marts.film_score_breakdown group by film_id, profile
        ) as parts using (film_id, profile)
    """,
    )
    assert mismatched == 0 and scored > 100_000


def test_films_without_data_have_no_score_not_a_zero(materialized, db):
    without_data, with_zero = one(
        db,
        """
        select count(*) filter (where metrics_used = 0),
               count(*) filter (
                   where metrics_used = 0 and (total_score is not null or weight_coverage <> 0)
               )
        from marts.film_scores
    """,
    )
    assert with_zero == 0
    films = one(db, "select count(*) from marts.dim_films")[0]
    # Profiles the learning loop publishes after film_scores was built join it on the next run.
    profiles = one(db, "select count(distinct profile) from marts.film_scores")[0]
    system = one(db, "select count(*) from marts.dim_weight_profiles where is_system")[0]
    assert profiles >= system
    assert one(db, "select count(*) from marts.film_scores")[0] == films * profiles
    assert without_data > 0  # e.g. films known only from a ratings-free source row


def test_weight_coverage_tells_a_rich_score_from_a_thin_one(materialized, db):
    titanic = one(
        db,
        """
        select weight_coverage, metrics_used
        from marts.film_scores join marts.dim_films using (film_id)
        where imdb_id = %s and profile = 'balanced'
    """,
        (TITANIC,),
    )
    thin = one(
        db,
        """
        select min(weight_coverage) from marts.film_scores
        where profile = 'balanced' and metrics_used = 1 and total_score is not null
    """,
    )[0]
    assert titanic[1] >= 10 and 0 < thin < titanic[0] <= 1


def test_movielens_history_is_cumulative_and_ends_at_the_current_value(materialized, db):
    counts = [
        row[0]
        for row in all_rows(
            db,
            """
        select raw_value from intermediate.int_metric_observations
        where metric_code = 'movielens_rating_count'
            and film_id = (select film_id from marts.film_metric_values
                           where metric_code = 'movielens_rating_count'
                           order by raw_value desc, film_id limit 1)
        order by observed_at
    """,
        )
    ]
    assert len(counts) > 12 and counts == sorted(counts) and len(set(counts)) == len(counts)
    rated = one(
        db,
        """
        select count(*) from marts.fct_ratings where film_id = (
            select film_id from marts.film_metric_values
            where metric_code = 'movielens_rating_count'
            order by raw_value desc, film_id limit 1)
    """,
    )[0]
    assert counts[-1] == rated


def test_coverage_snapshot_lists_every_metric_including_the_gaps(materialized, db):
    rows = {
        code: (films, pct)
        for code, films, pct in all_rows(
            db,
            """
        select metric_code, films_with_data, coverage_share from marts.metric_coverage_stats
        where level = 'metric'
            and snapshot_at = (select max(snapshot_at) from marts.metric_coverage_stats)
    """,
        )
    }
    assert set(rows) == set(metric_definitions())
    assert rows["metacritic_score"] == (0, 0) and rows["venice_selection"] == (0, 0)
    imdb_films = one(
        db, "select count(*) from marts.film_metric_values where metric_code = 'imdb_rating'"
    )[0]
    assert rows["imdb_rating"][0] == imdb_films > 50_000
    criterion = one(
        db,
        """
        select films_with_data from marts.metric_coverage_stats
        where level = 'metric_source' and metric_code = 'criterion_collection'
        order by snapshot_at desc limit 1
    """,
    )[0]
    assert criterion == 0


def test_gap_analysis_names_the_missing_categories(materialized, db):
    films = one(db, "select count(*) from marts.dim_films")[0]
    for category in categories():
        missing = one(
            db,
            "select count(*) from marts.film_metric_gaps where %s = any(categories_missing)",
            (category,),
        )[0]
        present = one(
            db,
            "select count(distinct film_id) from marts.film_metric_values where category = %s",
            (category,),
        )[0]
        assert missing == films - present, category
    titanic = one(
        db,
        """
        select coalesce(max(categories_missing), '{}') from marts.film_metric_gaps
        join marts.dim_films using (film_id) where imdb_id = %s
    """,
        (TITANIC,),
    )[0]
    assert set(titanic) <= {"person_quality"}


def test_time_series_holds_every_observation_in_month_partitions(materialized, db):
    observations = one(db, "select count(*) from intermediate.int_metric_observations")[0]
    series = one(db, "select count(*) from marts.metric_timeseries")[0]
    partitions = one(
        db, "select count(*) from pg_inherits where inhparent = 'ml.metric_timeseries'::regclass"
    )[0]
    assert series == observations and partitions > 200
    # every month partition sits in ml_partitions: ml lists only the series itself
    stray = all_rows(
        db,
        """
        select c.relnamespace::regnamespace::text, count(*)
        from pg_inherits as i inner join pg_class as c on i.inhrelid = c.oid
        where i.inhparent = 'ml.metric_timeseries'::regclass group by 1
        """,
    )
    assert stray == [("ml_partitions", partitions)]
    risers = one(
        db, "select count(*) from marts.rising_films where metric_code = 'movielens_rating'"
    )[0]
    assert risers > 0
