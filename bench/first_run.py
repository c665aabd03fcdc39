"""A newcomer's first `cinegraph materialize`, run as the README says, in a subprocess.

The data folder is new (initdb, an empty warehouse, empty Dagster storage) and dbt's parse
state is gone, as in a fresh clone after `pip install`; the machine's pip cache and the
installed packages are the only warm parts.

materialize_cold_fresh_s   wall time of the command, server start and dbt parse included
materialize_output_lines   lines it printed (stdout and stderr) with the default output
materialize_cold_fresh_<stage>_s   each stage's run, as its progress line states it (the rest
                           of the total is the server start, dbt's parse and the summary)
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from bench._env import timed
from orchestration.settings import DBT_PROJECT_DIR

# What a fresh clone does not have: dbt parses the project from scratch.
PARSE_STATE = ("manifest.json", "partial_parse.msgpack")
# Settings a developer's shell may carry that would point the run at an existing folder.
INHERITED = ("CINEGRAPH_DATA_DIR", "CINEGRAPH_PG_PORT", "DAGSTER_HOME", "CINEGRAPH_RATINGS_INBOX")
# A stage's closing line: "upstream   ok    137 of 137 materialisations   146.6s".
STAGE_LINE = re.compile(r"^(?P<stage>\w+)\s+ok\s+.*materialisations\s+(?P<seconds>[\d.]+)s$", re.M)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run() -> dict[str, float]:
    cli = str(Path(sys.executable).with_name("cinegraph"))
    home = Path(tempfile.mkdtemp(prefix="cinegraph-first-run-"))
    # The server runs as its own OS user when we are root: it must be able to pass through.
    home.chmod(0o711)
    env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    env.update(CINEGRAPH_DATA_DIR=str(home / "data"), CINEGRAPH_PG_PORT=str(_free_port()))
    for name in PARSE_STATE:
        (DBT_PROJECT_DIR / "target" / name).unlink(missing_ok=True)
    try:
        elapsed_s, done = timed(
            lambda: subprocess.run([cli, "materialize"], env=env, capture_output=True, text=True)
        )
    finally:
        subprocess.run([cli, "down"], env=env, capture_output=True, check=False)
        shutil.rmtree(home, ignore_errors=True)
    if done.returncode != 0:
        tail = done.stderr[-2000:]
        raise RuntimeError(f"cinegraph materialize exited {done.returncode}:\n{tail}")
    stages = {
        f"materialize_cold_fresh_{match['stage']}_s": float(match["seconds"])
        for match in STAGE_LINE.finditer(done.stdout + done.stderr)
    }
    return {
        "materialize_cold_fresh_s": round(elapsed_s, 1),
        "materialize_output_lines": len((done.stdout + done.stderr).splitlines()),
        **stages,
    }
