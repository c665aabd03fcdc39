"""IMDb's non-commercial datasets (https://developer.imdb.com/non-commercial-datasets/).

Five gzipped TSV files from a local folder or an http(s) URL prefix: `title.basics`,
`title.ratings`, `title.principals`, `title.crew` and `name.basics`. `\\N` is null and list
fields are comma-separated; they land as PostgreSQL arrays. Files are streamed (a URL is
decompressed as it downloads, never saved) and loaded in chunks, all five tables in one
transaction.

Only titles of the configured `title_types` are kept (movies by default: the real dump has
about 11M titles, of which about 700k are movies). The other files keep the rows of kept
titles, and `name.basics` the people credited on them, so the tables stay consistent.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import requests

from ingest.http import join_location
from ingest.live.imdb_datasets.parsing import (
    IMDB_NAME_ID,
    name_basics,
    title_basics,
    title_crew,
    title_principals,
    title_ratings,
)
from ingest.live.imdb_datasets.reading import open_text, readable_errors
from ingest.live.imdb_datasets.tables import FILES
from ingest.loader import LoadResult
from ingest.parsing import SourceRecords, to_float
from ingest.schema import Parsed
from ingest.streaming import in_one_transaction, read_chunks, replace_stream, typed


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


def load_imdb_datasets(
    conn,
    location: str | Path,
    title_types: tuple[str, ...] = ("movie",),
    chunk_rows: int = 100_000,
    session: requests.Session | None = None,
) -> list[ImdbLoad]:
    """Load the five files in dependency order, in one transaction: a file that fails leaves
    all five tables as they were.

    Titles come first (they decide what is kept), people last (credited on kept titles).
    """
    session = session or requests.Session()
    titles, people = _Ids(), _Ids()

    def load(name, keep, convert, remember=None) -> ImdbLoad:
        return _load_file(conn, location, name, keep, convert, remember, chunk_rows, session)

    def of_kept_titles(records: SourceRecords) -> pd.Series:
        return titles.contains(records.frame["tconst"])

    def loads() -> Iterator[ImdbLoad]:
        yield load(
            "title.basics",
            lambda records: records.frame["titleType"].isin(title_types),
            title_basics,
            lambda parsed: titles.add(parsed.frame["tconst"]),
        )
        titles.freeze()
        yield load("title.ratings", of_kept_titles, title_ratings)
        yield load(
            "title.crew",
            of_kept_titles,
            title_crew,
            lambda parsed: _add_crew_people(people, parsed),
        )
        yield load(
            "title.principals",
            of_kept_titles,
            title_principals,
            lambda parsed: people.add(parsed.frame["nconst"]),
        )
        people.freeze()
        yield load(
            "name.basics", lambda records: people.contains(records.frame["nconst"]), name_basics
        )

    return in_one_transaction(conn, loads())


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
        with open_text(source_file, session) as stream:
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

    with readable_errors(source_file):
        chunks = typed(kept_chunks(), convert, sep="\t", null="\\N")
        if remember is not None:
            chunks = _tap(chunks, remember)
        result = replace_stream(conn, table, chunks, source_file, commit=False)
    return ImdbLoad(file=name, records_read=read, result=result)


def _tap(chunks: Iterator[Parsed], remember) -> Iterator[Parsed]:
    for parsed in chunks:
        remember(parsed)
        yield parsed


def _add_crew_people(people: _Ids, parsed: Parsed) -> None:
    for column in ("directors", "writers"):
        people.add(parsed.frame[column].str.findall(IMDB_NAME_ID).explode())
