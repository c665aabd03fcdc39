"""A Letterboxd export (folder and zip) into the app rating events, with its user."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from ingest.app_events import MalformedFileError
from ingest.live.letterboxd import (
    is_letterboxd_export,
    load_letterboxd_export,
    read_letterboxd_export,
)

EXPORT = Path(__file__).parent / "fixtures" / "letterboxd-export"


@pytest.fixture
def export_zip(tmp_path):
    path = tmp_path / "letterboxd-cinephile_jo-2024-05-01-10-00-utc.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        for file in EXPORT.rglob("*.csv"):
            bundle.write(file, file.relative_to(EXPORT))
    return path


@pytest.mark.nodb
def test_exports_are_recognised_and_other_zips_are_not(export_zip, tmp_path):
    other = tmp_path / "ml-latest-small.zip"
    with zipfile.ZipFile(other, "w") as bundle:
        bundle.writestr("ml-latest-small/ratings.csv", "userId,movieId,rating,timestamp\n")
    assert is_letterboxd_export(EXPORT) and is_letterboxd_export(export_zip)
    assert not is_letterboxd_export(other)
    assert not is_letterboxd_export(tmp_path / "ratings.csv")


@pytest.mark.nodb
def test_one_event_per_film_rated_liked_favourited_or_rewatched():
    export = read_letterboxd_export(EXPORT)
    assert export.username == "cinephile_jo"
    events = {row.film_title: row for row in export.events.itertuples()}
    assert sorted(events) == ["A Film Nobody Else Knows", "Heat", "Parasite", "The Room", "Titanic"]
    titanic = events["Titanic"]
    # Rated 4.5 on 2021-05-04, a favourite, and rewatched at Christmas 2023.
    assert (
        titanic.film_year,
        titanic.rating,
        titanic.favorite,
        titanic.rewatch,
        titanic.liked,
    ) == (1997, 4.5, True, True, False)
    assert str(titanic.event_at) == "2021-05-04 00:00:00+00:00"
    assert events["Parasite"].liked and events["Parasite"].rating == 5.0
    # Liked, never rated: the like's date, no rating.
    nobody = events["A Film Nobody Else Knows"]
    assert (nobody.liked, str(nobody.event_at)) == (True, "2019-10-10 00:00:00+00:00")
    assert nobody.rating != nobody.rating  # NaN: no rating
    # Only a diary rewatch: the watch date.
    assert str(events["The Room"].event_at) == "2020-07-06 00:00:00+00:00"
    # Paddington 2 was only watched; one favourite link names no film in the export.
    assert (export.watched_only, export.unnamed_favorites) == (1, 1)


def _rows(db, query: str, params=()) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_loading_an_export_makes_the_user_a_cohort_member_and_is_idempotent(
    clean_tables, export_zip
):
    db = clean_tables
    first = load_letterboxd_export(db, export_zip)
    again = load_letterboxd_export(db, export_zip)
    assert first.user_id == again.user_id and first.rows == again.rows == 5
    assert first.months == ["2019-10-01", "2020-07-01", "2021-05-01", "2022-01-01", "2023-08-01"]
    assert _rows(
        db, "select handle, source from app.users where user_id = %s", (first.user_id,)
    ) == [("letterboxd:cinephile_jo", "letterboxd")]
    assert _rows(
        db, "select cohort_name from app.cohort_members where user_id = %s", (first.user_id,)
    ) == [("letterboxd",)]
    assert _rows(
        db,
        "select count(*), count(rating), sum(liked::int), sum(rewatch::int) "
        "from app.rating_events where source = 'letterboxd'",
    ) == [(5, 3, 2, 2)]


def test_an_export_without_favourites_loads(clean_tables, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    profile = export / "profile.csv"
    header, row = profile.read_text().splitlines()
    profile.write_text(header + "\n" + row[: row.rindex(',"https')] + ",\n")  # Favorite Films: ''
    loaded = load_letterboxd_export(clean_tables, export)
    # Titanic stays an event (rated, rewatched), no longer a favourite; nothing else changes.
    assert (loaded.rows, loaded.unnamed_favorites) == (5, 0)
    assert _rows(
        clean_tables,
        "select count(*), sum(favorite::int) from app.rating_events where source = 'letterboxd'",
    ) == [(5, 0)]


def test_a_malformed_export_names_file_and_line_and_loads_nothing(clean_tables, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    ratings = export / "ratings.csv"
    ratings.write_text(
        ratings.read_text().replace(
            "Heat,1995,https://boxd.it/29Ni,3.5", "Heat,1995,https://boxd.it/29Ni,3.3"
        )
    )
    with pytest.raises(
        MalformedFileError, match=r"ratings.csv, line 4: Rating is not a whole or half star"
    ):
        load_letterboxd_export(clean_tables, export)
    assert _rows(clean_tables, "select count(*) from app.users where source = 'letterboxd'") == [
        (0,)
    ]
