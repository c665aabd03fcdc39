"""The live-source connectors and their raw tables, for bootstrap and `cinegraph sources`.

The raw tables are created empty at warehouse bootstrap, so the dbt sources over them
exist (and the staging models build, empty) in a deployment that loads none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg2 import sql

from ingest.live.imdb_datasets import tables as imdb_tables
from ingest.live.movielens_archive import tables as archive_tables
from ingest.live.tmdb import tables as tmdb_tables
from ingest.loader import RAW_SCHEMA, ensure_table
from ingest.schema import RawTable

CONNECTOR_TABLES: dict[str, list[RawTable]] = {
    "tmdb": tmdb_tables.TABLES,
    "imdb_datasets": imdb_tables.TABLES,
    "movielens_archive": archive_tables.TABLES,
}


@dataclass(frozen=True)
class TableStatus:
    table: str
    rows: int
    last_loaded_at: datetime | None
    source_files: int
    rejects: int


def ensure_connector_tables(cur) -> None:
    """Create every connector table that does not exist yet (idempotent)."""
    for tables in CONNECTOR_TABLES.values():
        for table in tables:
            ensure_table(cur, table)


def table_status(conn, table: RawTable) -> TableStatus:
    """Rows, last load time and file count of a raw table (zeros when it does not exist)."""
    with conn.cursor() as cur:
        cur.execute("select to_regclass(%s)", (f"{RAW_SCHEMA}.{table.name}",))
        if cur.fetchone()[0] is None:
            return TableStatus(table.name, 0, None, 0, 0)
        cur.execute(
            sql.SQL(
                "select count(*), max(_loaded_at), count(distinct _source_file) from {}"
            ).format(sql.Identifier(RAW_SCHEMA, table.name))
        )
        rows, last_loaded_at, files = cur.fetchone()
        cur.execute("select count(*) from raw._rejects where source = %s", (table.name,))
        return TableStatus(table.name, rows, last_loaded_at, files, cur.fetchone()[0])
