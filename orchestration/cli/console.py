"""`cinegraph console [--port N]`: the Streamlit console (`console/`) against the configured
warehouse, started first when it is the embedded one. Streamlit is imported by the child
process only, so other commands never load it."""

from __future__ import annotations

import os
import subprocess
import sys

from orchestration import warehouse
from orchestration.cli.arguments import PORT, TEXT
from orchestration.settings import PROJECT_ROOT, settings

APP = PROJECT_ROOT / "console" / "app.py"
DEFAULT_PORT = 8501


def command(port: int, address: str) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port),
        "--server.address", address,
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def run(args) -> int:
    warehouse.start(settings())  # bootstraps the catalogue, so the console's role exists
    print(f"console: http://{args.address}:{args.port}", flush=True)
    return subprocess.call(command(args.port, args.address), cwd=PROJECT_ROOT, env=os.environ)


def register(commands) -> None:
    parser = commands.add_parser("console", help="open the web console (Streamlit)")
    parser.add_argument("--port", type=PORT, default=DEFAULT_PORT, help="port to listen on")
    parser.add_argument("--address", type=TEXT, default="127.0.0.1", help="address to listen on")
    parser.set_defaults(handler=run)
