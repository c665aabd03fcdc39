"""Academy Award nominations, ceremonies 1-98 (DLu/oscar_data `oscars.csv`, tab-separated).

The file drops trailing empty fields (most rows have 8 to 13 of the 14 columns), so short
rows are padded; a row with more fields than the header is rejected.

A source row is one nomination. `Film`/`FilmId` and `Nominees`/`NomineeIds` may hold several
'|'-separated values, paired by position; an unknown id is '?'. The raw table has one row per
nomination, film and nominee:

- several films, one nominee (early acting nominations: 'The Noose|The Patent Leather Kid'):
  one row per film, the nominee repeated;
- one film (or none), several nominees (producers, sound teams): one row per nominee, the
  film repeated;
- several films *and* several nominees: the source does not say who goes with which film,
  so the nomination is rejected (none in the demo file);
- a name list and an id list of different lengths are rejected; an empty id list means
  "no ids known" and gives null ids;
- `Detail` (character or song names) is split per film when it has exactly one value per
  film and there are several films; otherwise every row carries the whole text.

A nomination without film or nominee keeps one row, with position 1 and null values, so
every nomination is in the table.

`Year` is the awards year as printed ('1927/28' for the first six ceremonies, which covered
films released over two calendar years); `award_year` is its later year (1928), the year
whose films a ceremony honours from 1934 on.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ingest.parsing import DEMO_DATA_DIR, IMDB_TITLE_ID, Conversion, raw_table, read_delimited
from ingest.schema import Parsed

DEMO_FILE = DEMO_DATA_DIR / "oscars.tsv"
SOURCE_COLUMNS = [
    "Ceremony",
    "Year",
    "Class",
    "CanonicalCategory",
    "Category",
    "Film",
    "FilmId",
    "Name",
    "Nominees",
    "NomineeIds",
    "Winner",
    "Detail",
    "Note",
    "Citation",
]
SEPARATOR = "|"
UNKNOWN_ID = "?"
# Nominees are people (nm) or companies (co). 'nm0001053,nm0001054' is one nominee with two
# ids: Roderick Jaynes, the Coen brothers' shared pseudonym as editors.
NOMINEE_ID = r"(?:nm|co)\d{7,}(?:,(?:nm|co)\d{7,})*"
AWARD_YEAR = r"(?P<start>\d{4})(?:/(?P<end>\d{2}))?"

NOMINATIONS = raw_table(
    "oscars__nominations",
    key=("nomination_id", "film_position", "nominee_position"),
    description=(
        "Academy Award nominations (DLu/oscar_data), one row per nomination, film and nominee: "
        "multi-valued Film/Nominees fields exploded and paired with their IMDb ids."
    ),
    columns=[
        ("nomination_id", "integer", "1-based data row of the nomination in oscars.tsv."),
        ("film_position", "integer", "1-based position of the film within `Film` (1 when none)."),
        (
            "nominee_position",
            "integer",
            "1-based position of the nominee within `Nominees` (1 when none).",
        ),
        ("ceremony", "integer", "Ceremony number, 1 (1929) to 98."),
        ("year", "text", "Awards year as printed, '1927/28' or '1934'."),
        ("award_year", "integer", "Numeric awards year: the later year of '1927/28' (1928)."),
        ("class", "text", "Award class, e.g. Acting, Title, Production, SciTech."),
        (
            "canonical_category",
            "text",
            "Category under its current name, e.g. 'ACTOR IN A LEADING ROLE'.",
        ),
        ("category", "text", "Category as named at that ceremony, e.g. 'ACTOR'."),
        ("film_title", "text", "One film of the nomination; null when the award has no film."),
        ("film_imdb_id", "text", "IMDb title id (tt...) of `film_title`; null when unknown."),
        (
            "credited_name",
            "text",
            "`Name`: the nomination as credited, e.g. 'Walt Disney, "
            "Producer'; the same on every row of a nomination.",
        ),
        ("nominee_name", "text", "One nominee (person or company); null when none is named."),
        (
            "nominee_imdb_id",
            "text",
            "IMDb id of the nominee: nm... for people, co... for "
            "companies; null when unknown ('?'). A pseudonym may carry "
            "two ids, comma-separated.",
        ),
        ("winner", "boolean", "True when the nomination won."),
        (
            "detail",
            "text",
            "Character, song or technical detail; split per film when it has one value per film.",
        ),
        ("note", "text", "Editorial note (e.g. unofficial write-in candidates)."),
        ("citation", "text", "Citation text of honorary and technical awards."),
    ],
)

TABLES = [NOMINATIONS]


@dataclass(frozen=True)
class _Pairing:
    """A '|'-list of names and the parallel '|'-list of their ids."""

    names: str
    ids: str
    id_pattern: str
    expected: str
    name_column: str
    id_column: str
    position_column: str


FILMS = _Pairing(
    names="Film",
    ids="FilmId",
    id_pattern=IMDB_TITLE_ID,
    expected="'|'-separated IMDb title ids (tt0019217) or '?'",
    name_column="film_title",
    id_column="film_imdb_id",
    position_column="film_position",
)
NOMINEES = _Pairing(
    names="Nominees",
    ids="NomineeIds",
    id_pattern=NOMINEE_ID,
    expected="'|'-separated IMDb name or company ids (nm0001932, co0080422) or '?'",
    name_column="nominee_name",
    id_column="nominee_imdb_id",
    position_column="nominee_position",
)


def parse(path: Path | None = None) -> list[Parsed]:
    records = read_delimited(
        path or DEMO_FILE,
        required=SOURCE_COLUMNS,
        sep="\t",
        quoting=csv.QUOTE_NONE,
        omits_trailing_empty=True,
    )
    conversion = Conversion(records)
    nominations = _nominations(conversion)
    films = _pair(conversion, FILMS)
    nominees = _pair(conversion, NOMINEES)
    _reject_unpairable(conversion, films, nominees)
    frame = (
        films.merge(nominees, on="record")
        .merge(nominations.reset_index(), on="record")
        .pipe(_add_detail, conversion)
        .sort_values(["record", FILMS.position_column, NOMINEES.position_column])
        .set_index("record")
    )
    return [conversion.parsed(NOMINATIONS, frame)]


def _nominations(conversion: Conversion) -> pd.DataFrame:
    """The per-nomination columns, typed (index: record number)."""
    frame = pd.DataFrame(
        {
            "nomination_id": conversion.frame.index.to_series().astype("Int64"),
            "ceremony": conversion.integer("Ceremony", minimum=1),
            "year": conversion.text("Year"),
            "award_year": _award_year(conversion),
            "class": conversion.text("Class"),
            "canonical_category": conversion.text("CanonicalCategory"),
            "category": conversion.text("Category"),
            "credited_name": conversion.text("Name"),
            "winner": conversion.flag("Winner", true="True", false=""),
            "note": conversion.text("Note"),
            "citation": conversion.text("Citation"),
        }
    )
    for column in ("Ceremony", "Year", "Category"):
        conversion.require(column)
    return frame


def _award_year(conversion: Conversion) -> pd.Series:
    """'1927/28' -> 1928, '1934' -> 1934; a two-digit end before the start rolls the century."""
    year = conversion.matches(
        conversion.text("Year"), AWARD_YEAR, "Year", expected="'1934' or '1927/28'"
    )
    parts = year.str.extract(AWARD_YEAR).apply(pd.to_numeric)
    start, end = parts["start"], parts["end"]
    later = start - start % 100 + end
    later = later.where(later >= start, later + 100)
    return later.fillna(start).astype("Int64")


def _count(values: pd.Series) -> pd.Series:
    """How many '|'-separated values a field holds (0 when empty)."""
    return (values.str.count(re.escape(SEPARATOR)) + 1).fillna(0).astype("int64")


def _explode(values: pd.Series, column: str, position: str) -> pd.DataFrame:
    """One row per '|'-separated value with its 1-based position; empty gives one null row."""
    frame = values.str.split(SEPARATOR).explode().rename(column).rename_axis("record").reset_index()
    frame[column] = frame[column].astype("string").replace("", pd.NA)
    frame[position] = (frame.groupby("record").cumcount() + 1).astype("Int64")
    return frame


def _pair(conversion: Conversion, pairing: _Pairing) -> pd.DataFrame:
    """Names paired with their ids by position; mismatched list lengths fail the record."""
    names = conversion.text(pairing.names)
    id_list = rf"(?:{pairing.id_pattern}|{re.escape(UNKNOWN_ID)})"
    ids = conversion.matches(
        conversion.text(pairing.ids),
        rf"{id_list}(?:{re.escape(SEPARATOR)}{id_list})*",
        pairing.ids,
        pairing.expected,
    )
    name_count, id_count = _count(names), _count(ids)
    mismatch = ids.notna() & (name_count != id_count)
    conversion.fail(
        mismatch,
        f"{pairing.names} has "
        + name_count.astype("string")
        + f" values but {pairing.ids} has "
        + id_count.astype("string"),
    )
    exploded_names = _explode(names, pairing.name_column, pairing.position_column)
    exploded_ids = _explode(ids, pairing.id_column, pairing.position_column)
    exploded_ids[pairing.id_column] = exploded_ids[pairing.id_column].replace(UNKNOWN_ID, pd.NA)
    return exploded_names.merge(exploded_ids, on=["record", pairing.position_column], how="left")


def _reject_unpairable(conversion: Conversion, films: pd.DataFrame, nominees: pd.DataFrame) -> None:
    """Several films and several nominees cannot be paired: no pairing rule is in the data."""
    several_films = films.groupby("record")[FILMS.name_column].count() > 1
    several_nominees = nominees.groupby("record")[NOMINEES.name_column].count() > 1
    conversion.fail(
        several_films & several_nominees,
        "several films and several nominees: the source does not say who goes with which film",
    )


def _add_detail(frame: pd.DataFrame, conversion: Conversion) -> pd.DataFrame:
    """`Detail` per film when it has one value per film (and several films), else whole."""
    detail = conversion.text("Detail")
    film_count = _count(conversion.text(FILMS.names))
    per_film = (film_count > 1) & (_count(detail) == film_count)
    parts = _explode(detail[per_film], "detail", FILMS.position_column)
    frame = frame.merge(parts, on=["record", FILMS.position_column], how="left")
    by_record = frame["record"]
    whole = detail.reindex(by_record).set_axis(frame.index)
    split = per_film.reindex(by_record).set_axis(frame.index)
    return frame.assign(detail=frame["detail"].astype("string").where(split, whole))
