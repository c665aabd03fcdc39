"""IMDb's non-commercial datasets (https://developer.imdb.com/non-commercial-datasets/).

Five gzipped TSV files from a local folder or an http(s) URL prefix: `title.basics`,
`title.ratings`, `title.principals`, `title.crew` and `name.basics`. `\\N` is null and list
fields are comma-separated; they land as PostgreSQL arrays. Files are streamed (a URL is
decompressed as it downloads, never saved) and loaded in chunks, one transaction per table.

Only titles of the configured `title_types` are kept (movies by default: the real dump has
about 11M titles, of which about 700k are movies). The other files keep the rows of kept
titles, and `name.basics` the people credited on them, so the tables stay consistent.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import requests
import urllib3.exceptions

from ingest.http import is_url, join_location, open_stream
from ingest.loader import LoadResult
from ingest.parsing import Conversion, SourceRecords, raw_table, to_float
from ingest.schema import Parsed, SourceFormatError
from ingest.streaming import read_chunks, replace_stream, typed

IMDB_NAME_ID = r"nm\d{7,}"

TITLE_BASICS = raw_table(
    "imdb__title_basics",
    key=("tconst",),
    description="IMDb titles of the kept title types (title.basics.tsv.gz), as given.",
    columns=[
        ("tconst", "text", "IMDb title id, e.g. 'tt0120338'."),
        ("title_type", "text", "IMDb title type (movie, short, tvMovie, ...)."),
        ("primary_title", "text", "The title used on IMDb (`primaryTitle`)."),
        ("original_title", "text", "Title in the original language (`originalTitle`)."),
        ("is_adult", "boolean", "Adult title (`isAdult`, 0/1)."),
        ("start_year", "integer", "Release year (`startYear`)."),
        ("end_year", "integer", "End year of a series; null for films (`endYear`)."),
        ("runtime_minutes", "integer", "Primary runtime in minutes (`runtimeMinutes`)."),
        ("genres", "text[]", "Up to three IMDb genres (`genres`)."),
    ],
)

TITLE_RATINGS = raw_table(
    "imdb__title_ratings",
    key=("tconst",),
    description="IMDb's average user rating and vote count per kept title (title.ratings.tsv.gz).",
    columns=[
        ("tconst", "text", "IMDb title id."),
        (
            "average_rating",
            "numeric(3, 1)",
            "Weighted average of user ratings, 1 to 10 (`averageRating`).",
        ),
        ("num_votes", "integer", "Number of votes (`numVotes`)."),
    ],
)

TITLE_PRINCIPALS = raw_table(
    "imdb__title_principals",
    key=("tconst", "ordering"),
    description="Principal cast and crew of kept titles in billing order (title.principals).",
    columns=[
        ("tconst", "text", "IMDb title id."),
        ("ordering", "integer", "Billing position on the title, from 1 (`ordering`)."),
        ("nconst", "text", "IMDb name id, e.g. 'nm0000138'."),
        (
            "category",
            "text",
            "Kind of job: actor, actress, director, writer, producer, composer, "
            "cinematographer, self, ...",
        ),
        ("job", "text", "Specific job title where given, else null."),
        (
            "characters",
            "text",
            "Characters played, as IMDb's JSON list text, e.g. '[\"Jack Dawson\"]'.",
        ),
    ],
)

TITLE_CREW = raw_table(
    "imdb__title_crew",
    key=("tconst",),
    description="Directors and writers of kept titles (title.crew.tsv.gz).",
    columns=[
        ("tconst", "text", "IMDb title id."),
        ("directors", "text[]", "IMDb name ids of the directors."),
        ("writers", "text[]", "IMDb name ids of the writers."),
    ],
)

NAME_BASICS = raw_table(
    "imdb__name_basics",
    key=("nconst",),
    description="People credited on kept titles (name.basics.tsv.gz).",
    columns=[
        ("nconst", "text", "IMDb name id."),
        ("primary_name", "text", "Name as credited most often (`primaryName`)."),
        ("birth_year", "integer", "Birth year."),
        ("death_year", "integer", "Death year; null if alive or unknown."),
        ("primary_profession", "text[]", "Top three professions."),
        ("known_for_titles", "text[]", "IMDb title ids the person is known for."),
    ],
)

TABLES = [TITLE_BASICS, TITLE_RATINGS, TITLE_PRINCIPALS, TITLE_CREW, NAME_BASICS]

# Dataset file name -> (its table, its header).
FILES = {
    "title.basics": (
        TITLE_BASICS,
        [
            "tconst",
            "titleType",
            "primaryTitle",
            "originalTitle",
            "isAdult",
            "startYear",
            "endYear",
            "runtimeMinutes",
            "genres",
        ],
    ),
    "title.ratings": (TITLE_RATINGS, ["tconst", "averageRating", "numVotes"]),
    "title.principals": (
        TITLE_PRINCIPALS,
        ["tconst", "ordering", "nconst", "category", "job", "characters"],
    ),
    "title.crew": (TITLE_CREW, ["tconst", "directors", "writers"]),
    "name.basics": (
        NAME_BASICS,
        ["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"],
    ),
}


@dataclass(frozen=True)
class ImdbLoad:
    """One table's load: what was read from the file and what the load did."""

    file: str
    records_read: int
    result: LoadResult


class _Ids:
    """The IMDb ids ('tt0120338', 'nm0000138') later files are filtered by, held as sorted
    integers (8 bytes each): a set of strings was 3x faster to probe but took ~90 bytes an
    id, which the millions of people credited on movies turn into most of the memory bound.
    """

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []
        self.values = np.empty(0, dtype=np.int64)

    @staticmethod
    def numbers(ids: pd.Series) -> np.ndarray:
        digits = to_float(ids.str.slice(2))
        return digits.fillna(-1).astype("int64").to_numpy()

    def add(self, ids: pd.Series) -> None:
        self.parts.append(self.numbers(ids.dropna()))

    def freeze(self) -> None:
        """Merge what was added; call before `contains`."""
        # pandas' hash table: numpy 2's `np.unique` took 10 s on the 5M credited people.
        self.values = np.sort(pd.unique(np.concatenate([self.values, *self.parts])))
        self.parts = []

    def contains(self, ids: pd.Series) -> pd.Series:
        return pd.Series(np.isin(self.numbers(ids.fillna("")), self.values), index=ids.index)


def pg_text_array(values: pd.Series, sep: str = ",") -> pd.Series:
    """'a,b' -> '{"a","b"}', a PostgreSQL array literal with every element quoted."""
    escaped = values.str.replace("\\", "\\\\", regex=False).str.replace('"', '\\"', regex=False)
    return '{"' + escaped.str.replace(sep, '","', regex=False) + '"}'


def load_imdb_datasets(
    conn,
    location: str | Path,
    title_types: tuple[str, ...] = ("movie",),
    chunk_rows: int = 100_000,
    session: requests.Session | None = None,
) -> Iterator[ImdbLoad]:
    """Load the five files in dependency order, yielding each table's load as it commits.

    Titles come first (they decide what is kept), people last (credited on kept titles).
    """
    session = session or requests.Session()
    titles, people = _Ids(), _Ids()

    def load(name, keep, convert, remember=None) -> ImdbLoad:
        return _load_file(conn, location, name, keep, convert, remember, chunk_rows, session)

    def of_kept_titles(records: SourceRecords) -> pd.Series:
        return titles.contains(records.frame["tconst"])

    yield load(
        "title.basics",
        lambda records: records.frame["titleType"].isin(title_types),
        _basics,
        lambda parsed: titles.add(parsed.frame["tconst"]),
    )
    titles.freeze()
    yield load("title.ratings", of_kept_titles, _ratings)
    yield load("title.crew", of_kept_titles, _crew, lambda parsed: _add_crew_people(people, parsed))
    yield load(
        "title.principals",
        of_kept_titles,
        _principals,
        lambda parsed: people.add(parsed.frame["nconst"]),
    )
    people.freeze()
    yield load("name.basics", lambda records: people.contains(records.frame["nconst"]), _names)


def _load_file(
    conn, location, name, keep, convert, remember, chunk_rows, session: requests.Session
) -> ImdbLoad:
    """Stream one dataset file into its table, keeping the records `keep` selects and
    handing each typed chunk to `remember` (to collect the ids later files are filtered by)."""
    table, header = FILES[name]
    source_file = str(join_location(location, f"{name}.tsv.gz"))
    read = 0

    def kept_chunks() -> Iterator[Parsed]:
        nonlocal read
        with _open_text(source_file, session) as stream:
            chunks = read_chunks(
                stream,
                source_file,
                header,
                chunk_rows=chunk_rows,
                sep="\t",
                quoting=csv.QUOTE_NONE,
                null="\\N",
            )
            for records in chunks:
                read += len(records.frame) + len(records.rejects)
                kept = keep(records).to_numpy()
                yield records if kept.all() else records.select(records.frame.index[kept])

    with _readable_errors(source_file):
        chunks = typed(kept_chunks(), convert, sep="\t", null="\\N")
        if remember is not None:
            chunks = _tap(chunks, remember)
        result = replace_stream(conn, table, chunks, source_file)
    return ImdbLoad(file=name, records_read=read, result=result)


def _tap(chunks: Iterator[Parsed], remember) -> Iterator[Parsed]:
    for parsed in chunks:
        remember(parsed)
        yield parsed


def _add_crew_people(people: _Ids, parsed: Parsed) -> None:
    for column in ("directors", "writers"):
        people.add(parsed.frame[column].str.findall(IMDB_NAME_ID).explode())


@contextmanager
def _open_text(source_file: str, session: requests.Session) -> Iterator[io.TextIOBase]:
    """A local or remote .tsv.gz as decompressed text, read lazily."""
    if is_url(source_file):
        with open_stream(session, source_file) as response:
            yield _gzip_text(response.raw, source_file)
        return
    path = Path(source_file)
    if not path.exists():
        raise FileNotFoundError(f"{source_file}: no such IMDb dataset file")
    with open(path, "rb") as raw:
        yield _gzip_text(raw, source_file)


def _gzip_text(raw, source_file: str) -> io.TextIOBase:
    binary = io.BufferedReader(raw) if not hasattr(raw, "peek") else raw
    start = binary.peek(64)[:64]
    if not start.startswith(b"\x1f\x8b"):
        what = "an HTML page" if start.lstrip().startswith(b"<") else "not gzip data"
        raise SourceFormatError(
            f"{source_file}: expected a gzipped TSV but this is {what} (starts with {start[:40]!r})"
        )
    return io.TextIOWrapper(gzip.GzipFile(fileobj=binary), encoding="utf-8", newline="")


@contextmanager
def _readable_errors(source_file: str) -> Iterator[None]:
    """Turn low-level read failures into one message that names the file."""
    try:
        yield
    except EOFError:
        raise SourceFormatError(
            f"{source_file}: the gzip stream ends early (truncated download?); nothing was "
            "loaded, the previous table is intact"
        ) from None
    except (zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as error:
        raise SourceFormatError(
            f"{source_file}: corrupt data ({error}); nothing was loaded"
        ) from None
    except (urllib3.exceptions.HTTPError, requests.RequestException) as error:
        raise SourceFormatError(
            f"{source_file}: the download failed ({type(error).__name__}); nothing was loaded"
        ) from None


# -- one conversion per file ---------------------------------------------------------------
# Text columns are taken as read: `read_chunks` already made '\N' null and rejected empty
# fields, and skipping `Conversion.text` on millions of values is what keeps the load fast.


def _basics(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    genres = given["genres"]
    frame = pd.DataFrame(
        {
            "tconst": c.imdb_title_id("tconst"),
            "title_type": given["titleType"],
            "primary_title": given["primaryTitle"],
            "original_title": given["originalTitle"],
            "is_adult": c.flag("isAdult", "1", "0"),
            "start_year": c.year("startYear"),
            "end_year": c.year("endYear"),
            "runtime_minutes": c.integer("runtimeMinutes", minimum=0),
            "genres": pg_text_array(genres),
        }
    )
    return c.parsed(TITLE_BASICS, frame)


def _ratings(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "tconst": given["tconst"],
            "average_rating": c.number("averageRating", minimum=1, maximum=10),
            "num_votes": c.integer("numVotes", minimum=0),
        }
    )
    return c.parsed(TITLE_RATINGS, frame)


def _principals(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "tconst": given["tconst"],
            "ordering": c.integer("ordering", minimum=1),
            "nconst": c.matches(
                given["nconst"], IMDB_NAME_ID, "nconst", "an IMDb name id (nm0000138)"
            ),
            "category": given["category"],
            "job": given["job"],
            "characters": given["characters"],
        }
    )
    c.require("nconst")
    return c.parsed(TITLE_PRINCIPALS, frame)


def _crew(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "tconst": given["tconst"],
            "directors": pg_text_array(given["directors"]),
            "writers": pg_text_array(given["writers"]),
        }
    )
    return c.parsed(TITLE_CREW, frame)


def _names(records: SourceRecords) -> Parsed:
    c, given = Conversion(records), records.frame
    frame = pd.DataFrame(
        {
            "nconst": given["nconst"],
            "primary_name": given["primaryName"],
            "birth_year": c.integer("birthYear", minimum=0, maximum=2100),
            "death_year": c.integer("deathYear", minimum=0, maximum=2100),
            "primary_profession": pg_text_array(given["primaryProfession"]),
            "known_for_titles": pg_text_array(given["knownForTitles"]),
        }
    )
    return c.parsed(NAME_BASICS, frame)
