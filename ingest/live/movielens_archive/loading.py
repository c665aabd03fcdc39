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
from collections.abc import Iterator
from dataclasses import replace

from ingest.files import movielens
from ingest.live.movielens_archive.archive import Archive
from ingest.live.movielens_archive.parsing import links, movies, tags
from ingest.live.movielens_archive.tables import LINKS, MOVIES, RATINGS, TAGS
from ingest.loader import LoadResult, Slice, restrict
from ingest.parsing import SourceRecords
from ingest.schema import Parsed
from ingest.streaming import in_one_transaction, read_chunks, replace_stream, typed


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
    """movies.csv, links.csv and tags.csv, replacing their tables in one transaction: a file
    that fails leaves all three as they were."""
    plan = [
        (MOVIES, "movies.csv", ["movieId", "title", "genres"], movies),
        (LINKS, "links.csv", ["movieId", "imdbId", "tmdbId"], links),
        (TAGS, "tags.csv", ["userId", "movieId", "tag", "timestamp"], tags),
    ]
    return in_one_transaction(
        conn,
        (
            replace_stream(
                conn,
                table,
                typed(_chunks(archive, name, required, chunk_rows), convert),
                archive.source_file(name),
                commit=False,
            )
            for table, name, required, convert in plan
        ),
    )
