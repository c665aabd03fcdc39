"""TMDb assets on the real warehouse and real Dagster: snapshots, incremental details,
resuming after a failure, the hourly schedule, and the key kept out of everything."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import dagster as dg
import pytest

from ingest.http import ResponseCache
from ingest.live.tmdb.client import TmdbClient, TmdbError
from ingest.live.tmdb.loading import fetch_missing_details, load_trending
from tests.support.fake_tmdb import API_KEY, listed_movie, movie_details


def _rows(db, query: str) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def _client(sources) -> TmdbClient:
    return TmdbClient(sources.tmdb, ResponseCache(sources.cache_dir / "tmdb"))


def test_a_trending_snapshot_replaces_only_its_own_hour(clean_tables, fake_tmdb, sources):
    db = clean_tables
    fake_tmdb.trending["day"] = [listed_movie(1, "One"), listed_movie(2, "Two")]
    fake_tmdb.trending["week"] = [listed_movie(3, "Three")]
    ten = datetime(2024, 5, 1, 10, 15, tzinfo=UTC)
    load_trending(db, _client(sources), ten)
    fake_tmdb.trending["day"] = [listed_movie(2, "Two")]
    cache_off = sources.tmdb.model_validate({**dict(sources.tmdb), "cache_ttl_s": {"trending": 0}})
    client = TmdbClient(cache_off)
    load_trending(db, client, ten.replace(minute=50))  # same hour: replaced
    load_trending(db, client, ten.replace(hour=11))  # next hour: added
    rows = _rows(
        db,
        "select extract(hour from snapshot_hour)::int, time_window, rank, tmdb_id "
        "from raw.tmdb__trending order by 1, 2, 3",
    )
    assert rows == [(10, "day", 1, 2), (10, "week", 1, 3), (11, "day", 1, 2), (11, "week", 1, 3)]


def test_details_are_fetched_in_batches_for_films_without_them(clean_tables, fake_tmdb, sources):
    db = clean_tables
    fake_tmdb.trending["day"] = [listed_movie(i, f"Film {i}") for i in (11, 12, 13)]
    for i in (11, 12, 13):
        fake_tmdb.movies[i] = movie_details(
            i, f"Film {i}", f"tt00000{i}", cast=["A B", "C D"], director="E F"
        )
    client = _client(sources)
    load_trending(db, client, datetime.now(UTC))
    first = fetch_missing_details(db, client, limit=2)
    assert (first.fetched, first.backlog) == (2, 1)
    second = fetch_missing_details(db, client, limit=2)
    assert (second.fetched, second.backlog) == (1, 0)
    assert [fake_tmdb.calls_to(f"/3/movie/{i}") for i in (11, 12, 13)] == [1, 1, 1]
    assert _rows(db, "select tmdb_id, imdb_id from raw.tmdb__movies order by 1") == [
        (11, "tt0000011"),
        (12, "tt0000012"),
        (13, "tt0000013"),
    ]
    assert _rows(
        db, "select name, cast_order from raw.tmdb__cast where tmdb_id = 12 order by 2"
    ) == [("A B", 0), ("C D", 1)]
    assert _rows(db, "select name, job from raw.tmdb__crew where tmdb_id = 12") == [
        ("E F", "Director")
    ]


def test_a_failed_details_run_resumes_where_it_stopped(clean_tables, fake_tmdb, sources):
    db = clean_tables
    fake_tmdb.trending["day"] = [listed_movie(i, f"Film {i}") for i in (21, 22, 23, 24)]
    for i in (21, 22, 23, 24):
        fake_tmdb.movies[i] = movie_details(i, f"Film {i}", None)
    fake_tmdb.fail("/3/movie/23", *[(500, "down", {})] * 4)  # outlasts the 3 retries
    client = _client(sources)
    load_trending(db, client, datetime.now(UTC))
    with pytest.raises(TmdbError, match="/movie/23: HTTP 500"):
        fetch_missing_details(db, client, limit=10)
    assert _rows(db, "select tmdb_id from raw.tmdb__movies order by 1") == [(21,), (22,)]
    resumed = fetch_missing_details(db, client, limit=10)
    assert (resumed.fetched, resumed.backlog) == (2, 0)
    assert [fake_tmdb.calls_to(f"/3/movie/{i}") for i in (21, 22)] == [1, 1]  # not asked again


def test_a_film_tmdb_does_not_have_is_a_reject_and_not_asked_again(
    clean_tables, fake_tmdb, sources
):
    db = clean_tables
    fake_tmdb.trending["day"] = [listed_movie(31, "Gone")]
    client = _client(sources)
    load_trending(db, client, datetime.now(UTC))
    assert fetch_missing_details(db, client, limit=5).unusable == 1
    assert fetch_missing_details(db, client, limit=5).unusable == 0
    assert fake_tmdb.calls_to("/3/movie/31") == 1
    assert _rows(
        db, "select source_file, reason from raw._rejects where source = 'tmdb__movies'"
    ) == [("tmdb:/movie/31", "TMDb /movie/31: 404, no such resource")]


def _defs(sources):
    from orchestration.defs import connectors
    from orchestration.resources import warehouse_resource
    from orchestration.settings import settings

    # The connector definitions with the test's sources in place of the deployment's.
    return dg.Definitions(
        assets=connectors.defs.assets,
        jobs=connectors.defs.jobs,
        resources={"warehouse": warehouse_resource(settings()), "sources": sources},
    )


def test_the_hourly_scout_runs_and_keeps_the_key_out_of_logs_and_metadata(
    clean_tables, fake_tmdb, sources, instance, caplog, capsys
):
    fake_tmdb.trending["day"] = fake_tmdb.trending["week"] = [listed_movie(41, "Forty-One")]
    fake_tmdb.movies[41] = movie_details(41, "Forty-One", "tt0000041", cast=["G H"])
    defs = _defs(sources)
    job = defs.resolve_job_def("tmdb_hourly")
    with caplog.at_level(logging.DEBUG):
        result = job.execute_in_process(instance=instance, resources=defs.resources)
    assert result.success
    metadata = {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    assert metadata["raw/tmdb__trending"]["rows"].value == 2  # one film in day and in week
    assert metadata["raw/tmdb__movies"]["films_fetched"].value == 1

    logs = [record.to_json() for record in instance.all_logs(result.run_id)]
    captured = capsys.readouterr()
    everything = "\n".join(
        [
            *logs,
            json.dumps({k: str(v) for k, v in metadata.items()}),
            caplog.text,
            captured.out,
            captured.err,
        ]
    )
    assert "tmdb__trending" in everything
    assert API_KEY not in everything


@pytest.mark.nodb
def test_the_schedule_skips_without_credentials_and_keys_runs_by_hour(sources):
    from ingest.config import SourcesConfig
    from orchestration.defs.connectors import tmdb_hourly

    at = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    skipped = tmdb_hourly(
        dg.build_schedule_context(
            scheduled_execution_time=at, resources={"sources": SourcesConfig()}
        )
    )
    assert isinstance(skipped, dg.SkipReason) and "TMDB_API_KEY" in skipped.skip_message
    request = tmdb_hourly(
        dg.build_schedule_context(scheduled_execution_time=at, resources={"sources": sources})
    )
    assert request.run_key == "tmdb-2024-05-01T10:00Z"
