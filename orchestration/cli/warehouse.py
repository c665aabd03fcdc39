"""`cinegraph up | down | status | ui`: the warehouse server and the Dagster UI."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from orchestration import warehouse
from orchestration.settings import PROJECT_ROOT, Settings, export_connection_env, settings


def start_platform(config: Settings) -> None:
    """Warehouse up, connection exported to child processes, Dagster instance configured."""
    warehouse.start(config)
    export_connection_env(config)
    os.environ["DAGSTER_HOME"] = str(warehouse.write_dagster_home(config))


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
    start_platform(config)
    from orchestration.view_healing import heal_when_idle

    for name in heal_when_idle(config.warehouse):
        print(f"rebuilt missing view {name}")
    print(f"warehouse ready: {config.warehouse.redacted_url()}")
    return 0


def down(args) -> int:
    config = settings()
    if not config.embedded:
        print("CINEGRAPH_DATABASE_URL points at an external server: nothing to stop")
    elif warehouse.stop(config):
        print("embedded PostgreSQL stopped")
    else:
        print("embedded PostgreSQL was not running")
    return 0


def status(args) -> int:
    config = settings()
    running = (not config.embedded) or warehouse.is_running(config)
    kind = "embedded" if config.embedded else "external"
    print(f"warehouse: {kind}, {'running' if running else 'stopped'}")
    print(f"dsn (BI tools, psql): {config.warehouse.redacted_url()}")
    print(f"read-only BI role: {warehouse.BI_ROLE} (schema marts)")
    if config.embedded:
        print(f"data folder: {config.data_dir}")
    print(f"dagster home: {config.dagster_home}")
    return 0 if running else 1


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
    commands.add_parser("down", help="stop the embedded warehouse").set_defaults(handler=down)
    commands.add_parser("status", help="show the warehouse and the DSN for BI tools").set_defaults(
        handler=status
    )
    parser = commands.add_parser("ui", help="run the Dagster UI on this project")
    parser.add_argument("--port", type=int, default=3000)
    parser.set_defaults(handler=ui)
