"""Connector figures: IMDb dataset throughput and memory, and what a cached TMDb rerun costs.

IMDb: a generated dump in the real format (gzipped TSV, `\\N` nulls, comma-separated
arrays) with 1,000,000 title.basics rows (90% movies) and 5,000,000 title.principals rows;
ratings, crew and names are header-only, so the figures are those two files. The load runs
in a child process so its peak RSS is its own; rows/s counts records read from the files.

TMDb: the hourly job's work (trending snapshot, then details of the new films) against a
local TMDb-shaped server, run twice with one response cache; the second run's requests to
the server are counted by the server itself.

Runs on the bench warehouse (`bench/_env.py`) and leaves the connector tables empty.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench._env import PROJECT_ROOT, started_warehouse, timed

TITLES = 1_000_000
PRINCIPALS_PER_TITLE = 5
CATEGORIES = ["actor", "actress", "director", "writer", "producer"]
HEADERS = {
    "title.basics": "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\t"
    "runtimeMinutes\tgenres",
    "title.principals": "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
    "title.ratings": "tconst\taverageRating\tnumVotes",
    "title.crew": "tconst\tdirectors\twriters",
    "name.basics": "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
}


def write_dump(folder: Path) -> None:
    """The generated IMDb dump, written in blocks so generating it stays small too."""

    def write(name: str, lines) -> None:
        with gzip.open(folder / f"{name}.tsv.gz", "wt", compresslevel=1, encoding="utf-8") as out:
            out.write(HEADERS[name] + "\n")
            block = []
            for line in lines:
                block.append(line)
                if len(block) == 100_000:
                    out.write("".join(block))
                    block = []
            out.write("".join(block))

    write(
        "title.basics",
        (
            f"tt{i:08d}\t{'short' if i % 10 == 0 else 'movie'}\t"
            f"Film number {i}\tFilm number {i}\t0\t"
            f"{1900 + i % 125}\t\\N\t{60 + i % 120}\tDrama,Comedy\n"
            for i in range(1, TITLES + 1)
        ),
    )
    write(
        "title.principals",
        (
            _principal(i, k)
            for i in range(1, TITLES + 1)
            for k in range(1, PRINCIPALS_PER_TITLE + 1)
        ),
    )
    for name in ("title.ratings", "title.crew", "name.basics"):
        write(name, [])


def _principal(title: int, ordering: int) -> str:
    characters = f'["Role {ordering}"]' if ordering <= 2 else "\\N"  # actors play someone
    person = (title * 7 + ordering) % 3_000_000
    return (
        f"tt{title:08d}\t{ordering}\tnm{person:08d}\t{CATEGORIES[ordering - 1]}\t\\N\t"
        f"{characters}\n"
    )


def _imdb_child(folder: str) -> None:
    """Runs in the child process: load the dump, print figures as JSON."""
    from ingest.live.imdb_datasets.loading import load_imdb_datasets
    from orchestration import warehouse
    from orchestration.settings import settings

    conn = warehouse.connect(settings().warehouse)
    elapsed, loads = timed(lambda: list(load_imdb_datasets(conn, folder)))
    conn.close()
    print(
        json.dumps(
            {
                "read": sum(load.records_read for load in loads),
                "loaded": sum(load.result.rows for load in loads),
                "elapsed_s": elapsed,
                "peak_rss_mb": _own_peak_rss_mb(),
            }
        )
    )


def _own_peak_rss_mb() -> float:
    """This process's peak RSS since it started (VmHWM). Not `ru_maxrss`: Linux carries the
    parent's peak into a child across fork and exec, so after the foundation bench in the same
    run it reported the parent's 705 MB."""
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kilobytes) / 1024


def _imdb(scratch: Path) -> dict[str, float]:
    generate_s, _ = timed(lambda: write_dump(scratch))
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from bench.connectors import _imdb_child; _imdb_child({str(scratch)!r})",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    return {
        "imdb_rows_per_s": round(figures["read"] / figures["elapsed_s"]),
        "imdb_peak_rss_mb": round(figures["peak_rss_mb"], 1),
        "imdb_rows_read": figures["read"],
        "imdb_rows_loaded": figures["loaded"],
        "imdb_load_s": round(figures["elapsed_s"], 1),
        "imdb_generate_s": round(generate_s, 1),
    }


def _tmdb(scratch: Path, conn) -> dict[str, float]:
    sys.path.insert(0, str(PROJECT_ROOT / "tests" / "support"))
    from fake_tmdb import API_KEY, FakeTmdb, listed_movie, movie_details

    from ingest.config import TmdbConfig
    from ingest.http import ResponseCache
    from ingest.live.tmdb.client import TmdbClient
    from ingest.live.tmdb.loading import fetch_missing_details, load_trending

    def hourly_job(server: FakeTmdb) -> int:
        before = len(server.requests)
        config = TmdbConfig(base_url=server.base_url, api_key=API_KEY, trending_pages=3)
        client = TmdbClient(config, ResponseCache(scratch / "tmdb-cache"))
        load_trending(conn, client, datetime.now(UTC))
        fetch_missing_details(conn, client, limit=100)
        return len(server.requests) - before

    with FakeTmdb() as server:
        films = [listed_movie(i, f"Film {i}") for i in range(1, 61)]
        server.trending = {"day": films[:40], "week": films[20:]}
        server.movies = {
            i: movie_details(i, f"Film {i}", f"tt{i:07d}", cast=["A", "B"]) for i in range(1, 61)
        }
        first = hourly_job(server)
        _empty_tmdb_tables(conn)  # the rerun must want every film's details again
        rerun = hourly_job(server)
    return {"tmdb_first_run_calls": first, "tmdb_cached_rerun_calls": rerun}


def _empty_tmdb_tables(conn) -> None:
    from ingest.connectors import CONNECTOR_TABLES

    with conn.cursor() as cur:
        for tables in CONNECTOR_TABLES.values():
            cur.execute("truncate " + ", ".join(f"raw.{table.name}" for table in tables))
        cur.execute("delete from raw._rejects where source like 'tmdb%%' or source like 'imdb%%'")
    conn.commit()


def run() -> dict[str, float]:
    conn = started_warehouse()
    try:
        with tempfile.TemporaryDirectory(prefix="cinegraph-bench-connectors-") as scratch:
            figures = _imdb(Path(scratch))
            figures.update(_tmdb(Path(scratch), conn))
    finally:
        _empty_tmdb_tables(conn)
        conn.close()
    return figures
