"""`TmdbClient`, the only code that talks to TMDb (API v3).

Every request goes through the response cache (a rerun inside the TTL costs no call), then
the rate limit, then a session that retries 5xx, timeouts and 429 (honouring `Retry-After`).
A 401 is not retried: the key is wrong and asking again only burns quota. The API key or
token never appears in an error, a log line or a cache file: errors name the endpoint
(`/movie/550`), not the URL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import requests

from ingest.config import TmdbConfig
from ingest.http import RateLimiter, ResponseCache, protect_secrets, redact, retrying_session

log = logging.getLogger(__name__)

# TMDb serves at most 500 pages of any list.
MAX_PAGES = 500
DETAILS_APPEND = "credits,release_dates,external_ids"


class TmdbError(RuntimeError):
    """TMDb could not give a usable answer; the message names the endpoint, never the key."""


class TmdbAuthError(TmdbError):
    pass


class TmdbNotFound(TmdbError):
    pass


class TmdbClient:
    """A cached, rate-limited, retrying TMDb v3 client."""

    def __init__(
        self,
        config: TmdbConfig,
        cache: ResponseCache | None = None,
        session: requests.Session | None = None,
    ):
        if config.api_key is None and config.api_token is None:
            raise TmdbError("TMDb needs TMDB_API_KEY or TMDB_API_TOKEN in the environment")
        self.config = config
        self.cache = cache
        self.session = session or retrying_session(config.max_retries, config.backoff_s)
        self.limiter = RateLimiter(config.requests_per_second)
        self.calls = 0
        self.cache_hits = 0
        # A v4 read token goes in a header; a v3 key can only go in the query string.
        self._headers, self._params = {}, {}
        if config.api_token is not None:
            self._headers["Authorization"] = f"Bearer {config.api_token.get_secret_value()}"
        else:
            self._params["api_key"] = config.api_key.get_secret_value()
        self._secrets = tuple(s.get_secret_value() for s in (config.api_key, config.api_token) if s)
        protect_secrets(*self._secrets)

    def get(self, endpoint: str, params: dict | None = None, kind: str = "details") -> dict:
        """One JSON object from `endpoint` ('/movie/550'), from the cache when fresh enough."""
        params = dict(params or {})
        key = ResponseCache.key(self.config.base_url, endpoint, params)
        if self.cache is not None:
            cached = self.cache.get(key, self.config.cache_ttl_s.get(kind, 0))
            if cached is not None:
                self.cache_hits += 1
                return cached
        self.limiter.wait()
        self.calls += 1
        log.debug("TMDb GET %s %s", endpoint, params)
        try:
            response = self.session.get(
                self.config.base_url.rstrip("/") + endpoint,
                params={**params, **self._params},
                headers=self._headers,
                timeout=self.config.timeout_s,
            )
        except requests.RequestException as error:
            # The exception text holds the URL, query string included: never pass it on.
            raise TmdbError(
                f"TMDb {endpoint}: no answer after {self.config.max_retries} retries "
                f"({type(error).__name__})"
            ) from None
        body = self._body(endpoint, response)
        if self.cache is not None:
            self.cache.put(key, body)
        return body

    def _body(self, endpoint: str, response: requests.Response) -> dict:
        status = response.status_code
        if status == 401:
            raise TmdbAuthError(
                f"TMDb {endpoint}: 401 Unauthorized, the API key or token was "
                "refused (check TMDB_API_KEY / TMDB_API_TOKEN); not retried"
            )
        if status == 404:
            raise TmdbNotFound(f"TMDb {endpoint}: 404, no such resource")
        if status != 200:
            retried = len(response.raw.retries.history) if response.raw.retries else 0
            raise TmdbError(
                f"TMDb {endpoint}: HTTP {status} after {retried} retries: {self._excerpt(response)}"
            )
        try:
            body = response.json()
        except ValueError:
            raise TmdbError(
                f"TMDb {endpoint}: the answer is not JSON: {self._excerpt(response)}"
            ) from None
        if not isinstance(body, dict):
            raise TmdbError(f"TMDb {endpoint}: expected a JSON object, got {type(body).__name__}")
        return body

    def _excerpt(self, response: requests.Response) -> str:
        return repr(redact(response.text[:120], self._secrets))

    def pages(self, endpoint: str, params: dict, max_pages: int, kind: str) -> Iterator[list[dict]]:
        """The `results` of each page, following `total_pages` up to `max_pages`."""
        page = 1
        while True:
            body = self.get(endpoint, {**params, "page": page}, kind)
            results, total = body.get("results"), body.get("total_pages")
            if not isinstance(results, list) or not isinstance(total, int):
                raise TmdbError(
                    f"TMDb {endpoint} page {page}: malformed answer, expected "
                    "'results' (a list) and 'total_pages' (a number)"
                )
            yield results
            if page >= min(total, max_pages, MAX_PAGES):
                return
            page += 1

    def trending(self, window: str, max_pages: int) -> list[dict]:
        endpoint = f"/trending/movie/{window}"
        return [movie for page in self.pages(endpoint, {}, max_pages, "trending") for movie in page]

    def discover_year(self, year: int, max_pages: int) -> list[dict]:
        params = {
            "primary_release_year": year,
            "sort_by": "popularity.desc",
            "include_adult": "false",
        }
        return [
            m for page in self.pages("/discover/movie", params, max_pages, "discover") for m in page
        ]

    def movie_details(self, tmdb_id: int) -> dict:
        endpoint = f"/movie/{tmdb_id}"
        body = self.get(endpoint, {"append_to_response": DETAILS_APPEND}, "details")
        missing = [
            part for part in ("id", "credits", "release_dates", "external_ids") if part not in body
        ]
        if missing:
            raise TmdbError(f"TMDb {endpoint}: malformed answer, missing {', '.join(missing)}")
        return body
