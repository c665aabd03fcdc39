"""Fixtures of the identity tests: the identity models built by real dbt over small,
hand-written source rows (one CSV per case under fixtures/), in a database of their own
on the test server, so the demo warehouse other tests read is never touched.

Each fixture row names a source and gives what that source's raw table carries: title,
year, director, IMDb id, and for an Oscar nomination its category and nominee.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from psycopg2 import sql

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATABASE = "identity_fixtures"
# Everything the identity marts read, and the marts themselves, with their dbt tests (not
# the raw sources' tests: fixture rows fill only the columns identity reads).
SELECT = (
    "+dim_films +dim_people +bridge_film_sources +bridge_film_people +film_identity_issues"
    " +identity_match_report"
)
# Singular tests about the demo data's films, which the fixtures do not hold.
DEMO_ONLY_TESTS = [
    "assert_titanic_1997_is_one_film_across_five_sources",
    "assert_titanic_1953_stays_a_different_film",
    "assert_two_steve_mcqueens_stay_two_people",
]
LONG_NAME = "x" * 301  # the director cell `LONG_DIRECTOR` stands for this


def _raw_row(row: dict[str, str]) -> tuple[str, dict]:
    """The raw table and row a fixture row stands for."""
    key = int(row["key"])
    year = int(row["year"]) if row["year"] else None
    title = row["title"]
    director = LONG_NAME if row["director"] == "LONG_DIRECTOR" else row["director"] or None
    imdb_id = row["imdb_id"] or None
    match row["source"]:
        case "movielens":
            return "movielens__movies", {"movie_id": key, "title": title, "year": year}
        case "imdb_histograms":
            return "imdb_histograms__titles", {"source_row_id": key, "title": title, "year": year}
        case "movie_industry":
            return "movie_industry__movies", {
                "source_row": key,
                "name": title,
                "year": year,
                "director": director,
            }
        case "box_office":
            return "box_office__movies", {
                "record_index": key,
                "title": title,
                "director": director,
                "release_date": f"{year}-06-01" if year else None,
            }
        case "festivals":
            return "festivals__awards", {
                "source_row": key,
                "festival": "Cannes",
                "award": "Palme d'Or",
                "year": year,
                "film_title": title,
                "film_year": year,
                "director": director,
                "imdb_id": imdb_id,
            }
        case "canonical_lists":
            return "canonical_lists__entries", {
                "source_row": key,
                "list": "sight_sound",
                "rank": key,
                "film_title": title,
                "film_year": year,
                "director": director,
                "imdb_id": imdb_id,
            }
        case "oscars":
            return "oscars__nominations", {
                "nomination_id": key,
                "film_position": 1,
                "nominee_position": 1,
                "ceremony": 1,
                "year": str(year),
                "award_year": year,
                "class": "Fixture",
                "canonical_category": row["category"],
                "category": row["category"],
                "film_title": title,
                "film_imdb_id": imdb_id,
                "nominee_name": row["nominee"],
                "nominee_imdb_id": row["nominee_id"] or None,
                "winner": False,
            }
    raise ValueError(f"unknown source {row['source']!r}")


def fixture_rows() -> list[tuple[str, dict]]:
    rows = []
    for path in sorted(FIXTURES.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(_raw_row(row) for row in csv.DictReader(handle))
    return rows


def _load(conn, rows: list[tuple[str, dict]]) -> None:
    from ingest.files.registry import raw_tables
    from ingest.loader import ensure_table

    with conn, conn.cursor() as cur:
        for table in raw_tables():
            ensure_table(cur, table)
            cur.execute(sql.SQL("truncate {}").format(sql.Identifier("raw", table.name)))
        for table, values in rows:
            cur.execute(
                sql.SQL("insert into {} ({}) values ({})").format(
                    sql.Identifier("raw", table),
                    sql.SQL(", ").join(map(sql.Identifier, values)),
                    sql.SQL(", ").join(sql.Placeholder() * len(values)),
                ),
                list(values.values()),
            )


def dbt_build(settings, database: str, target_path: Path) -> subprocess.CompletedProcess:
    """`dbt build` of the identity marts and their tests against `database`."""
    from orchestration.settings import DBT_PROJECT_DIR

    env = {**os.environ, **settings.child_env(), "CINEGRAPH_PGDATABASE": database}
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [
            str(dbt),
            "build",
            "--select",
            SELECT,
            "--exclude",
            "source:*",
            *DEMO_ONLY_TESTS,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def identity_db(warehouse, settings, tmp_path_factory):
    """A connection to a database holding only the fixture rows, identity built by dbt."""
    from orchestration import warehouse as server

    admin = server.connect(warehouse)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(DATABASE))
        )
        cur.execute(sql.SQL("create database {}").format(sql.Identifier(DATABASE)))
    admin.close()
    fixtures = warehouse.with_database(DATABASE)
    server.bootstrap(fixtures)
    conn = server.connect(fixtures)
    _load(conn, fixture_rows())
    conn.autocommit = True  # no open transaction may hold a table a rebuild replaces
    build = dbt_build(settings, DATABASE, tmp_path_factory.mktemp("dbt"))
    assert build.returncode == 0, build.stdout[-4000:]
    yield conn
    conn.close()


@pytest.fixture
def rebuild_identity(identity_db, settings, tmp_path):
    """Build the identity models of the fixture database again, as a rebuild would."""

    def rebuild() -> None:
        build = dbt_build(settings, DATABASE, tmp_path)
        assert build.returncode == 0, build.stdout[-4000:]

    return rebuild
