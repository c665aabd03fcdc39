"""The registry of source parsers: one module per source system, in a fixed order.

Each module exposes `TABLES: list[RawTable]` and `parse(path=None) -> list[Parsed]` (one
`Parsed` per table, in `TABLES` order; `path` defaults to the vendored demo file). The
orchestration layer builds one ingest asset per `RawTable` from this registry.
"""

from __future__ import annotations

from types import ModuleType

from ingest.files import (
    box_office,
    canonical_lists,
    festivals,
    imdb_histograms,
    movie_industry,
    movielens,
    oscars,
)
from ingest.schema import RawTable

SOURCES: dict[str, ModuleType] = {
    "movielens": movielens,
    "imdb_histograms": imdb_histograms,
    "oscars": oscars,
    "box_office": box_office,
    "movie_industry": movie_industry,
    "festivals": festivals,
    "canonical_lists": canonical_lists,
}


def raw_tables() -> list[RawTable]:
    """Every raw table of every source, in registry order."""
    return [table for module in SOURCES.values() for table in module.TABLES]
