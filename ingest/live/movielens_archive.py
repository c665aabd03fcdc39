"""MovieLens archives as GroupLens publishes them (`ml-latest-small`, `ml-25m`, `ml-latest`).

A zip, an unpacked folder, or an http(s) URL of a zip, holding `ratings.csv`, `movies.csv`,
`links.csv` and `tags.csv` (in the zip usually under a folder named like the archive).
`links.csv` gives each MovieLens movie its IMDb and TMDb ids, which is what lets the
identity layer key MovieLens films by IMDb id and the TMDb connector fetch their details.

The archive lands in its own `movielens_archive__*` tables, beside the dslabs demo cohort:
both use MovieLens ids, and which one a deployment counts is a downstream choice. Ratings
(25 million in ml-25m) are streamed and loaded per monthly partition.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd
import requests

from ingest.files import movielens
from ingest.http import download, is_url
from ingest.loader import LoadResult, Slice, restrict
from ingest.parsing import Conversion, SourceRecords, raw_table
from ingest.schema import Parsed, RawTable, SourceFormatError
from ingest.streaming import read_chunks, replace_stream, typed

FILES = ("ratings.csv", "movies.csv", "links.csv", "tags.csv")
# "Toy Story (1995)", "Babylon 5 (1994-1998)", "Stardust (2007) "
TITLE_YEAR = r"^(?P<title>.*?)\s*\((?P<year>\d{4})(?:[-–]\d{4})?\)\s*$"

RATINGS = RawTable(
    "movielens_archive__ratings",
    movielens.RATINGS.columns,
    movielens.RATINGS.key,
    "MovieLens archive star ratings (ratings.csv), one row per user, movie and rating time.",
    movielens.RATINGS.docs,
)

MOVIES = raw_table(
    "movielens_archive__movies",
    key=("movie_id",),
    description="MovieLens archive movies (movies.csv): title and year split, genres as given.",
    columns=[
        ("movie_id", "integer", "MovieLens movie id (`movieId`)."),
        ("title", "text", "Title without its trailing '(year)', as given ('Deer Hunter, The')."),
        (
            "year",
            "integer",
            "Year from the title's trailing '(1978)'; null when the title has none.",
        ),
        ("genres", "text", "Pipe-separated genres, e.g. 'Drama|War'."),
    ],
)

LINKS = raw_table(
    "movielens_archive__links",
    key=("movie_id",),
    description="IMDb and TMDb ids of each MovieLens movie (links.csv).",
    columns=[
        ("movie_id", "integer", "MovieLens movie id."),
        ("imdb_id", "text", "IMDb title id, 'tt' + the zero-padded `imdbId` (tt0114709)."),
        ("tmdb_id", "integer", "TMDb movie id; null when MovieLens has none."),
    ],
)

TAGS = raw_table(
    "movielens_archive__tags",
    key=("user_id", "movie_id", "tag", "tagged_at"),
    description="Free-text tags users put on movies (tags.csv).",
    columns=[
        ("user_id", "integer", "MovieLens user id."),
        ("movie_id", "integer", "MovieLens movie id."),
        ("tag", "text", "The tag as typed."),
        ("tagged_at", "timestamptz", "When the tag was applied (unix seconds, UTC)."),
    ],
)

SNAPSHOT_TABLES = [MOVIES, LINKS, TAGS]
TABLES = [RATINGS, *SNAPSHOT_TABLES]


class Archive:
    """The CSV files of one archive, opened as text by file name wherever they sit in it."""

    def __init__(self, location: str | Path):
        self.location = location
        self.zip: zipfile.ZipFile | None = None
        self.members: dict[str, str] = {}

    def source_file(self, name: str) -> str:
        return f"{self.location}#{name}" if self.zip else str(Path(self.location) / name)

    @contextmanager
    def open(self, name: str) -> Iterator[io.TextIOBase]:
        if self.zip is not None:
            if name not in self.members:
                raise SourceFormatError(
                    f"{self.location}: the archive has no {name} "
                    f"(found: {', '.join(sorted(self.members)) or 'nothing'})"
                )
            with self.zip.open(self.members[name]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
            return
        path = Path(self.location) / name
        if not path.exists():
            raise SourceFormatError(f"{self.location}: the folder has no {name}")
        with open(path, encoding="utf-8", newline="") as text:
            yield text


@contextmanager
def open_archive(
    location: str | Path, session: requests.Session | None = None
) -> Iterator[Archive]:
    """A zip, a folder or the URL of a zip (downloaded to a temporary folder for the run)."""
    with tempfile.TemporaryDirectory(prefix="cinegraph-movielens-") as scratch:
        if is_url(location):
            path = download(session or requests.Session(), str(location), Path(scratch))
        else:
            path = Path(location)
        archive = Archive(location)
        if path.is_dir():
            yield archive
            return
        if not zipfile.is_zipfile(path):
            raise SourceFormatError(f"{location}: neither a folder nor a zip archive")
        with zipfile.ZipFile(path) as bundle:
            archive.zip = bundle
            archive.members = {
                Path(info.filename).name: info.filename
                for info in bundle.infolist()
                if Path(info.filename).name in FILES and not info.is_dir()
            }
            yield archive


def _chunks(
    archive: Archive, name: str, required: list[str], chunk_rows: int
) -> Iterator[SourceRecords]:
    with archive.open(name) as stream:
        yield from read_chunks(
            stream,
            archive.source_file(name),
            required,
            chunk_rows=chunk_rows,
            sep=",",
            quoting=csv.QUOTE_MINIMAL,
        )


def load_ratings(
    conn, archive: Archive, slice_: Slice | None, chunk_rows: int = 200_000
) -> LoadResult:
    """Ratings of one window of months (`slice_` on rated_at), streamed; None loads all."""

    def ratings() -> Iterator[Parsed]:
        chunks = _chunks(archive, "ratings.csv", movielens.RATING_COLUMNS, chunk_rows)
        for parsed in typed(
            chunks, lambda records: replace(movielens._ratings(records), table=RATINGS)
        ):
            yield restrict(parsed, slice_) if slice_ is not None else parsed

    return replace_stream(conn, RATINGS, ratings(), archive.source_file("ratings.csv"), slice_)


def load_snapshot_tables(conn, archive: Archive, chunk_rows: int = 200_000) -> list[LoadResult]:
    """movies.csv, links.csv and tags.csv, each replacing its table in its own transaction."""
    plan = [
        (MOVIES, "movies.csv", ["movieId", "title", "genres"], _movies),
        (LINKS, "links.csv", ["movieId", "imdbId", "tmdbId"], _links),
        (TAGS, "tags.csv", ["userId", "movieId", "tag", "timestamp"], _tags),
    ]
    return [
        replace_stream(
            conn,
            table,
            typed(_chunks(archive, name, required, chunk_rows), convert),
            archive.source_file(name),
        )
        for table, name, required, convert in plan
    ]


def _movies(records: SourceRecords) -> Parsed:
    c = Conversion(records)
    title = c.text("title").str.strip()
    split = title.str.extract(TITLE_YEAR)
    frame = pd.DataFrame(
        {
            "movie_id": c.integer("movieId", minimum=1),
            "title": split["title"].fillna(title).astype("string"),
            "year": pd.to_numeric(split["year"]).astype("Int64"),
            "genres": c.text("genres"),
        }
    )
    c.require("title")
    return c.parsed(MOVIES, frame)


def _links(records: SourceRecords) -> Parsed:
    c = Conversion(records)
    imdb_number = c.integer("imdbId", minimum=1)
    frame = pd.DataFrame(
        {
            "movie_id": c.integer("movieId", minimum=1),
            "imdb_id": ("tt" + imdb_number.astype("string").str.zfill(7)).astype("string"),
            "tmdb_id": c.integer("tmdbId", minimum=1),
        }
    )
    return c.parsed(LINKS, frame)


def _tags(records: SourceRecords) -> Parsed:
    c = Conversion(records)
    frame = pd.DataFrame(
        {
            "user_id": c.integer("userId", minimum=1),
            "movie_id": c.integer("movieId", minimum=1),
            "tag": c.text("tag"),
            "tagged_at": c.unix_time("timestamp"),
        }
    )
    return c.parsed(TAGS, frame)
