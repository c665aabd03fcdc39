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


def _zip_of(path, members: dict[str, bytes], compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return path


def _export_members() -> dict[str, bytes]:
    return {str(f.relative_to(EXPORT)): f.read_bytes() for f in EXPORT.rglob("*.csv")}


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(tmp_path, monkeypatch):
    import ingest.live.letterboxd as letterboxd

    # 64 MB of zeros deflate to ~64 kB; the limit is lowered so the test stays small.
    bomb = _zip_of(
        tmp_path / "bomb.zip",
        {**_export_members(), "diary.csv": b"\0" * (64 << 20)},
        zipfile.ZIP_DEFLATED,
    )
    assert bomb.stat().st_size < 1 << 20
    monkeypatch.setattr(letterboxd, "MAX_TOTAL_BYTES", 32 << 20)
    reads = []
    monkeypatch.setattr(letterboxd, "_read_member", lambda *args: reads.append(args))
    with pytest.raises(MalformedFileError, match=r"bomb\.zip: .*bytes uncompressed, more than"):
        read_letterboxd_export(bomb)
    assert reads == []  # refused from the declared sizes: not one member was read


def test_too_many_members_and_nested_archives_are_refused_with_a_clear_message(tmp_path):
    many = {**_export_members(), **{f"extra/{i}.txt": b"x" for i in range(70)}}
    with pytest.raises(MalformedFileError, match=r"many\.zip: 7\d files, more than"):
        read_letterboxd_export(_zip_of(tmp_path / "many.zip", many))

    inner = _zip_of(tmp_path / "inner.zip", _export_members()).read_bytes()
    nested = _zip_of(tmp_path / "nested.zip", {**_export_members(), "more.zip": inner})
    with pytest.raises(MalformedFileError, match=r"nested\.zip: holds another archive \(more"):
        read_letterboxd_export(nested)
    # An archive under a harmless name is found by its first bytes.
    hidden = _zip_of(tmp_path / "hidden.zip", {**_export_members(), "notes.csv": inner})
    with pytest.raises(MalformedFileError, match=r"holds another archive \(notes\.csv\)"):
        read_letterboxd_export(hidden)


def test_a_nested_export_registers_no_user(clean_tables, tmp_path):
    inner = _zip_of(tmp_path / "inner.zip", _export_members()).read_bytes()
    outer = _zip_of(
        tmp_path / "outer.zip",
        {"profile.csv": _export_members()["profile.csv"], "export.zip": inner},
    )
    with pytest.raises(MalformedFileError, match="holds another archive"):
        load_letterboxd_export(clean_tables, outer)
    assert _rows(clean_tables, "select count(*) from app.users where source = 'letterboxd'") == [
        (0,)
    ]


def test_errors_name_the_zip_and_the_file_inside_it_not_a_temp_folder(tmp_path):
    members = _export_members()
    members["ratings.csv"] = members["ratings.csv"].replace(b"Heat", "Hé".encode("latin-1"))
    latin1 = _zip_of(tmp_path / "latin1.zip", members)
    with pytest.raises(MalformedFileError) as raised:
        read_letterboxd_export(latin1)
    assert str(raised.value).startswith(f"{latin1}/ratings.csv, line 4: not UTF-8 text")

    members = _export_members()
    members["profile.csv"] = b"\xef\xbb\xbf" + members["profile.csv"]  # a BOM is not a column
    assert read_letterboxd_export(_zip_of(tmp_path / "bom.zip", members)).username == "cinephile_jo"


def test_a_damaged_zip_and_an_overlong_username_are_refused(tmp_path):
    good = _zip_of(tmp_path / "crc.zip", _export_members())
    data = good.read_bytes()
    at = data.index(b"Titanic")
    good.write_bytes(data[:at] + b"Titan1c" + data[at + 7 :])  # stored data no longer its CRC
    with pytest.raises(MalformedFileError, match=r"crc\.zip: a damaged or unsupported zip: .*CRC"):
        read_letterboxd_export(good)

    members = _export_members()
    members["profile.csv"] = members["profile.csv"].replace(b"cinephile_jo", b"j" * 20_000)
    with pytest.raises(MalformedFileError, match=r"profile\.csv, line 2: the Username is longer"):
        read_letterboxd_export(_zip_of(tmp_path / "long.zip", members))


def test_a_load_that_fails_after_registering_leaves_no_user(clean_tables, monkeypatch):
    import ingest.app_events as app_events

    def broken_copy(*args):
        raise RuntimeError("the COPY failed")

    monkeypatch.setattr(app_events, "copy_frame", broken_copy)
    with pytest.raises(RuntimeError, match="the COPY failed"):
        load_letterboxd_export(clean_tables, EXPORT)
    assert _rows(clean_tables, "select count(*) from app.users where source = 'letterboxd'") == [
        (0,)
    ]
