"""The TMDb client against a local TMDb-shaped server: pagination, retries, errors, cache."""

from __future__ import annotations

import logging
import time

import pytest

from ingest.http import RateLimiter, ResponseCache
from ingest.live.tmdb.client import TmdbAuthError, TmdbClient, TmdbError, TmdbNotFound
from tests.support.fake_tmdb import API_KEY, listed_movie, movie_details

pytestmark = pytest.mark.nodb

TRENDING_DAY = "/3/trending/movie/day"


def _client(config, cache_dir=None, **changes) -> TmdbClient:
    cache = ResponseCache(cache_dir) if cache_dir else None
    return TmdbClient(type(config).model_validate({**dict(config), **changes}), cache)


def test_trending_follows_pagination_to_the_last_page(fake_tmdb, tmdb_config):
    fake_tmdb.trending["day"] = [listed_movie(i, f"Film {i}") for i in range(1, 46)]
    movies = _client(tmdb_config).trending("day", max_pages=10)
    assert [m["id"] for m in movies] == list(range(1, 46))
    assert [query["page"] for _, query in fake_tmdb.requests] == ["1", "2", "3"]


def test_pagination_stops_at_max_pages(fake_tmdb, tmdb_config):
    fake_tmdb.trending["day"] = [listed_movie(i, f"Film {i}") for i in range(1, 46)]
    assert len(_client(tmdb_config).trending("day", max_pages=2)) == 40
    assert fake_tmdb.calls_to(TRENDING_DAY) == 2


def test_a_429_waits_for_retry_after_then_succeeds(fake_tmdb, tmdb_config):
    fake_tmdb.trending["day"] = [listed_movie(1, "Film")]
    fake_tmdb.fail(TRENDING_DAY, (429, {"status_code": 25}, {"Retry-After": "1"}))
    started = time.monotonic()
    movies = _client(tmdb_config).trending("day", max_pages=1)
    assert time.monotonic() - started >= 1.0  # backoff alone would be ~0.01 s
    assert [m["id"] for m in movies] == [1]
    assert fake_tmdb.calls_to(TRENDING_DAY) == 2


def test_5xx_answers_are_retried_then_succeed(fake_tmdb, tmdb_config):
    fake_tmdb.movies[550] = movie_details(550, "Fight Club", "tt0137523")
    fake_tmdb.fail("/3/movie/550", (500, "oops", {}), (502, "bad gateway", {}))
    assert _client(tmdb_config).movie_details(550)["title"] == "Fight Club"
    assert fake_tmdb.calls_to("/3/movie/550") == 3


def test_5xx_beyond_the_retries_fails_naming_the_endpoint(fake_tmdb, tmdb_config):
    fake_tmdb.fail("/3/movie/550", *[(503, "down", {})] * 10)
    with pytest.raises(TmdbError, match=r"/movie/550: HTTP 503 after 3 retries"):
        _client(tmdb_config).movie_details(550)
    assert fake_tmdb.calls_to("/3/movie/550") == 4  # the first try and 3 retries, then stop


def test_a_401_fails_at_once_with_a_clear_message(fake_tmdb, tmdb_config):
    client = _client(tmdb_config, api_key="wrong-key-0000")
    with pytest.raises(TmdbAuthError, match=r"/trending/movie/day: 401.*TMDB_API_KEY") as error:
        client.trending("day", max_pages=1)
    assert "wrong-key-0000" not in str(error.value)
    assert fake_tmdb.calls_to(TRENDING_DAY) == 1  # no retry storm


def test_a_bearer_token_is_sent_as_a_header(fake_tmdb, tmdb_config):
    fake_tmdb.trending["week"] = [listed_movie(7, "Se7en")]
    client = _client(tmdb_config, api_key=None, api_token=API_KEY)
    assert client.trending("week", max_pages=1)[0]["id"] == 7
    assert "api_key" not in fake_tmdb.requests[0][1]


def test_a_body_that_is_not_json_names_the_endpoint(fake_tmdb, tmdb_config):
    fake_tmdb.fail("/3/movie/550", (200, "<html>proxy error</html>", {}))
    with pytest.raises(TmdbError, match=r"TMDb /movie/550: the answer is not JSON: '<html>proxy"):
        _client(tmdb_config).movie_details(550)


def test_json_of_the_wrong_shape_names_the_endpoint(fake_tmdb, tmdb_config):
    fake_tmdb.fail(TRENDING_DAY, (200, {"page": 1, "movies": []}, {}))
    with pytest.raises(TmdbError, match=r"/trending/movie/day page 1: malformed answer"):
        _client(tmdb_config).trending("day", max_pages=1)
    fake_tmdb.fail("/3/movie/9", (200, {"id": 9, "title": "No credits"}, {}))
    with pytest.raises(TmdbError, match=r"/movie/9: malformed answer, missing credits"):
        _client(tmdb_config).movie_details(9)


def test_a_missing_film_is_a_not_found_error(fake_tmdb, tmdb_config):
    with pytest.raises(TmdbNotFound, match="/movie/404404: 404"):
        _client(tmdb_config).movie_details(404404)


def test_a_cached_rerun_makes_no_calls(fake_tmdb, tmdb_config, tmp_path):
    fake_tmdb.trending["day"] = [listed_movie(i, f"Film {i}") for i in range(1, 30)]
    fake_tmdb.movies[550] = movie_details(550, "Fight Club", "tt0137523")
    first = _client(tmdb_config, tmp_path)
    first.trending("day", max_pages=5)
    first.movie_details(550)
    calls = len(fake_tmdb.requests)
    rerun = _client(tmdb_config, tmp_path)
    assert rerun.trending("day", max_pages=5) == first.trending("day", max_pages=5)
    rerun.movie_details(550)
    assert len(fake_tmdb.requests) == calls == 3
    assert (rerun.calls, rerun.cache_hits) == (0, 3)
    # ...and the cache files do not hold the key.
    assert all(API_KEY not in path.read_text() for path in tmp_path.rglob("*.json"))


def test_an_expired_cache_entry_is_fetched_again(fake_tmdb, tmdb_config, tmp_path):
    fake_tmdb.movies[550] = movie_details(550, "Fight Club", "tt0137523")
    _client(tmdb_config, tmp_path).movie_details(550)
    _client(tmdb_config, tmp_path, cache_ttl_s={"details": 0}).movie_details(550)
    assert fake_tmdb.calls_to("/3/movie/550") == 2


def test_the_rate_limit_spaces_calls():
    limiter = RateLimiter(per_second=20)
    started = time.monotonic()
    for _ in range(6):
        limiter.wait()
    assert time.monotonic() - started >= 5 / 20 - 0.01


def test_the_key_never_reaches_debug_logs(fake_tmdb, tmdb_config, caplog):
    fake_tmdb.trending["day"] = [listed_movie(1, "Film")]
    fake_tmdb.fail(TRENDING_DAY, (500, "oops", {}))
    with caplog.at_level(logging.DEBUG):
        _client(tmdb_config).trending("day", max_pages=1)
    assert "api_key=***" in caplog.text  # urllib3 logged the request line, masked
    assert API_KEY not in caplog.text
