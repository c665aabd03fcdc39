"""`cinegraph up | down | status | bi-password | ui`: the warehouse server, its BI role and
the Dagster UI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from orchestration import warehouse
from orchestration.cli.arguments import PORT
from orchestration.settings import PROJECT_ROOT, Settings, export_connection_env, settings


def start_platform(config: Settings) -> list[str]:
    """Warehouse up, connection exported to child processes, Dagster instance configured,
    runs orphaned by a dead process marked failed. Returns the ids of the runs it marked."""
    warehouse.start(config)
    _configure_dagster(config)
    swept, _ = _sweep_runs(config)
    return swept


def _configure_dagster(config: Settings) -> None:
    export_connection_env(config)
    os.environ["DAGSTER_HOME"] = str(warehouse.write_dagster_home(config))


def _sweep_runs(config: Settings) -> tuple[list[str], list[tuple[str, str, str]]]:
    """(ids of orphaned runs marked failed, runs still in progress). Dagster is imported only
    when its storage holds a run in progress."""
    candidates = warehouse.runs_in_progress(config)
    if not candidates:
        return [], []
    import dagster as dg

    from orchestration.run_sweep import sweep_orphaned_runs

    with dg.DagsterInstance.get() as instance:
        swept, live = sweep_orphaned_runs(instance)
    live_ids = {run.run_id for run in live}
    return swept, [run for run in candidates if run[0] in live_ids]


@contextmanager
def open_warehouse() -> Iterator:
    """A connection to the warehouse, started first when it is the embedded one; closed after."""
    config = settings()
    warehouse.start(config)
    conn = warehouse.connect(config.warehouse)
    try:
        yield conn
    finally:
        conn.close()


def up(args) -> int:
    config = settings()
    swept = start_platform(config)
    for run_id in swept:
        print(f"marked run {run_id} failed: its process is gone")
    from orchestration.view_healing import heal_when_idle

    for name in heal_when_idle(config.warehouse):
        print(f"rebuilt missing view {name}")
    print(f"warehouse ready: {config.warehouse.redacted_url()}")
    return 0


def down(args) -> int:
    config = settings()
    if not config.embedded:
        print("CINEGRAPH_DATABASE_URL points at an external server: nothing to stop")
        return 0
    if not args.force and warehouse.is_running(config):
        _configure_dagster(config)
        _, live = _sweep_runs(config)
        if live:
            run_id, state, since = live[0]
            print(
                f"cinegraph: a Dagster run is in progress (run {run_id}, {state.lower()} since "
                f"{since}); stopping the warehouse would kill it. Wait for it, or use --force",
                file=sys.stderr,
            )
            return 1
    if warehouse.stop(config):
        print("embedded PostgreSQL stopped")
    else:
        print("embedded PostgreSQL was not running")
    return 0


def status(args) -> int:
    config = settings()
    running = (not config.embedded) or warehouse.is_running(config)
    kind = "embedded" if config.embedded else "external"
    print(f"warehouse: {kind}, {'running' if running else 'stopped'}")
    print(f"dsn (platform, superuser): {config.warehouse.redacted_url()}")
    bi = config.bi_reader
    if bi.password:
        print(f"dsn (BI tools, read-only, schema marts): {bi.url}")
    else:
        print(f"read-only BI role: {bi.user} (no password yet: run `cinegraph up`)")
    if config.embedded:
        print(f"data folder: {config.data_dir}")
    print(f"dagster home: {config.dagster_home}")
    return 0 if running else 1


def bi_password(args) -> int:
    """Print the BI role's password; with --rotate, replace it first (old sessions stay open,
    new logins need the new one)."""
    config = settings()
    if args.rotate:
        warehouse.start(config)
        print(warehouse.secure_bi_role(config, rotate=True))
        return 0
    password = config.bi_reader.password
    if not password:
        print("cinegraph: no BI password yet: run `cinegraph up`", file=sys.stderr)
        return 1
    print(password)
    return 0


def ui(args) -> int:
    config = settings()
    start_platform(config)
    from orchestration.dbt_project import prepare_manifest

    prepare_manifest()
    command = ["dagster", "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), "-p", str(args.port)]
    return subprocess.call(command, cwd=PROJECT_ROOT, env=os.environ.copy())


def register(commands) -> None:
    commands.add_parser(
        "up", help="start the embedded warehouse (or check the external one)"
    ).set_defaults(handler=up)
    parser = commands.add_parser("down", help="stop the embedded warehouse")
    parser.add_argument(
        "--force", action="store_true", help="stop it even while a Dagster run is in progress"
    )
    parser.set_defaults(handler=down)
    commands.add_parser("status", help="show the warehouse and the DSN for BI tools").set_defaults(
        handler=status
    )
    parser = commands.add_parser("bi-password", help="print the read-only BI role's password")
    parser.add_argument("--rotate", action="store_true", help="generate a new one first")
    parser.set_defaults(handler=bi_password)
    parser = commands.add_parser("ui", help="run the Dagster UI on this project")
    parser.add_argument("--port", type=PORT, default=3000, help="the UI's port on localhost")
    parser.set_defaults(handler=ui)
