"""A local HTTP server that answers like TMDb's API v3, for tests and the benchmark.

It serves `/3/trending/movie/{day,week}` (paginated, 20 per page), `/3/discover/movie` and
`/3/movie/<id>` from in-memory data, checks the API key like TMDb does (401 with TMDb's
error body), and can be told to fail: `fail(path, (status, body, headers), ...)` queues
answers that the next requests to `path` get before the normal one. Every request is
logged in `requests` as (path, query).
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 20
API_KEY = "tmdb-test-key-7c1f0e"


def listed_movie(tmdb_id: int, title: str, release_date: str = "2020-01-01") -> dict:
    return {
        "id": tmdb_id,
        "title": title,
        "original_title": title,
        "original_language": "en",
        "release_date": release_date,
        "popularity": 10.5,
        "vote_average": 7.1,
        "vote_count": 100,
        "genre_ids": [18],
        "adult": False,
    }


def movie_details(
    tmdb_id: int,
    title: str,
    imdb_id: str | None,
    release_date: str = "2020-01-01",
    cast: list[str] = (),
    director: str | None = None,
) -> dict:
    return {
        "id": tmdb_id,
        "title": title,
        "original_title": title,
        "original_language": "en",
        "release_date": release_date,
        "runtime": 120,
        "budget": 1_000_000,
        "revenue": 0,
        "popularity": 10.5,
        "vote_average": 7.1,
        "vote_count": 100,
        "status": "Released",
        "genres": [{"id": 18, "name": "Drama"}],
        "external_ids": {"imdb_id": imdb_id, "wikidata_id": None},
        "credits": {
            "cast": [
                {
                    "id": 1000 + i,
                    "credit_id": f"c{tmdb_id}-{i}",
                    "name": name,
                    "character": f"Role {i}",
                    "order": i,
                }
                for i, name in enumerate(cast)
            ],
            "crew": [
                {
                    "id": 999,
                    "credit_id": f"d{tmdb_id}",
                    "name": director,
                    "department": "Directing",
                    "job": "Director",
                }
            ]
            if director
            else [],
        },
        "release_dates": {
            "results": [
                {
                    "iso_3166_1": "US",
                    "release_dates": [
                        {
                            "certification": "PG-13",
                            "note": "",
                            "release_date": f"{release_date}T00:00:00.000Z",
                            "type": 3,
                        }
                    ],
                }
            ]
        },
    }


class FakeTmdb:
    def __init__(self, api_key: str = API_KEY):
        self.api_key = api_key
        self.trending: dict[str, list[dict]] = {"day": [], "week": []}
        self.discover: dict[int, list[dict]] = {}
        self.movies: dict[int, dict] = {}
        self.failures: dict[str, deque] = defaultdict(deque)
        self.requests: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/3"

    def __enter__(self) -> FakeTmdb:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, path: str, *answers: tuple[int, object, dict]) -> None:
        self.failures[path].extend(answers)

    def calls_to(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested == path)

    def answer(self, path: str, query: dict, headers) -> tuple[int, object, dict]:
        with self.lock:
            self.requests.append((path, query))
            if self.failures[path]:
                return self.failures[path].popleft()
        key = query.get("api_key")
        if key != self.api_key and headers.get("Authorization") != f"Bearer {self.api_key}":
            return (
                401,
                {
                    "status_code": 7,
                    "status_message": "Invalid API key: You must be granted a valid key.",
                    "success": False,
                },
                {},
            )
        page = int(query.get("page", 1))
        if path.startswith("/3/trending/movie/"):
            return 200, _page(self.trending.get(path.rsplit("/", 1)[-1], []), page), {}
        if path == "/3/discover/movie":
            return 200, _page(self.discover.get(int(query["primary_release_year"]), []), page), {}
        if path.startswith("/3/movie/"):
            movie = self.movies.get(int(path.rsplit("/", 1)[-1]))
            if movie is None:
                return (
                    404,
                    {
                        "status_code": 34,
                        "status_message": "The resource you requested could not be found.",
                        "success": False,
                    },
                    {},
                )
            return 200, movie, {}
        return 404, {"status_code": 34}, {}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
                status, body, headers = fake.answer(parts.path, query, self.headers)
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler


def _page(movies: list[dict], page: int) -> dict:
    total_pages = max(1, -(-len(movies) // PAGE_SIZE))
    return {
        "page": page,
        "results": movies[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total_pages": total_pages,
        "total_results": len(movies),
    }
