"""The catalogue of every table that dbt does not build, as ordered, versioned migrations.

Each file `warehouse/migrations/NNNN_<name>.sql` is one migration: plain SQL, applied once, in
version order, and recorded in `app.schema_migrations` (version, name, applied_at, checksum).
`migrate` runs at bootstrap (`orchestration.warehouse.bootstrap`, which `cinegraph up`,
`cinegraph materialize` and the test session call): it takes a transaction-scoped advisory lock,
so concurrent bootstraps apply each migration once, and applies every pending migration in one
transaction, so a failing one leaves the warehouse as it was. A migration already applied whose
file has since changed is an error naming it: a change to the catalogue is a new migration,
never an edit of an applied one. After bootstrap, API calls and asset code run no DDL; the one
exception is the month partitions of `ml.metric_timeseries`, which an append creates, in schema
`ml_partitions`, for the months its data reaches (as TimescaleDB would create chunks).

Raw tables are not here: their columns are declared with their parsers (`ingest/schema.py`
contracts) and `ingest.loader.ensure_table` creates them, and rebuilds one when its parser's
columns change (the raw layer is a cache of the source). `raw._rejects` is here.

Why not Alembic (installed as a Dagster dependency): its migrations are Python over a
SQLAlchemy connection, with an `env.py`, an ini file and a revision graph, for a warehouse
whose code speaks psycopg2 everywhere and has no SQLAlchemy models to autogenerate from.
A runner of a few dozen lines keeps the migrations as SQL files that psql, sqlfluff and a reviewer
read directly, and check their checksums, which Alembic does not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
VERSION_TABLE = "app.schema_migrations"
# pg_advisory_xact_lock key of the catalogue ("cinegraph" in ASCII, as a bigint).
LOCK_KEY = 0x63696E6567726170


class MigrationError(RuntimeError):
    """The catalogue and the warehouse disagree (an applied migration changed or is unknown)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @cached_property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations of `folder` in version order; versions run 1, 2, 3... without gaps."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path}: a migration is named NNNN_<lower_snake_name>.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"{folder}: migration versions must run 1, 2, 3...; found {versions}")
    return found


def migrate(conn, folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Apply the pending migrations of `folder` in one transaction; return those applied.

    `conn` is a psycopg2 connection; it is committed on success and rolled back on any error.
    """
    catalogue = migrations(folder)
    try:
        with conn.cursor() as cur:
            cur.execute("select pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            cur.execute("create schema if not exists app")
            cur.execute(f"""
                create table if not exists {VERSION_TABLE} (
                    version integer primary key,
                    name text not null,
                    applied_at timestamptz not null default now(),
                    checksum text not null
                )
            """)
            cur.execute(f"select version, name, checksum from {VERSION_TABLE} order by version")
            applied = {version: (name, checksum) for version, name, checksum in cur.fetchall()}
            _check_applied(applied, catalogue)
            pending = [m for m in catalogue if m.version not in applied]
            for migration in pending:
                cur.execute(migration.sql)
                cur.execute(
                    f"insert into {VERSION_TABLE} (version, name, checksum) values (%s, %s, %s)",
                    (migration.version, migration.name, migration.checksum),
                )
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return pending


def _check_applied(applied: dict[int, tuple[str, str]], catalogue: list[Migration]) -> None:
    known = {m.version: m for m in catalogue}
    for version, (name, checksum) in sorted(applied.items()):
        migration = known.get(version)
        if migration is None:
            raise MigrationError(
                f"the warehouse has migration {version:04d}_{name} applied, which this code does "
                f"not have (its newest is {len(catalogue):04d}): run the code that applied it"
            )
        if migration.checksum != checksum:
            raise MigrationError(
                f"migration {migration.path.name} changed after it was applied (checksum "
                f"{checksum[:12]} in {VERSION_TABLE}, {migration.checksum[:12]} on disk): "
                "restore it and put the change in a new migration"
            )
