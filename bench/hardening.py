"""Hardening figures: seconds during which a view was missing while a full materialisation
ran, and whether a second materialisation started meanwhile exits at once, cleanly.

On the bench warehouse (`bench/_env.py`), materialised first when it is empty: the views exist
before the measured run. The measured run is `cinegraph materialize` in a child process; a
reader polls every view of the project's schemas (dbt's and the catalogue's) every 100 ms
through its own connection; once the run holds the materialisation lock, a second
`cinegraph materialize` starts and must exit with the one-line message while the first one
succeeds and no view ever goes missing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._env import started_warehouse

CLI = str(Path(sys.executable).with_name("cinegraph"))
BUSY_LINE = "another materialisation is running (run id "


def _materialize() -> subprocess.Popen:
    """`cinegraph materialize` in a child process; its (long) output goes to a temporary file,
    read back by `_output`."""
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - _output closes it
    process = subprocess.Popen([CLI, "materialize"], stdout=log, stderr=subprocess.STDOUT)
    process.log = log
    return process


def _output(process: subprocess.Popen) -> str:
    process.wait()
    with process.log as log:
        log.seek(0)
        return log.read()[-3000:]


def _project_views(conn) -> list[str]:
    from orchestration.settings import SCHEMAS

    with conn.cursor() as cur:
        cur.execute(
            "select schemaname || '.' || viewname from pg_views where schemaname = any(%s) "
            "order by 1",
            (list(SCHEMAS),),
        )
        views = [row[0] for row in cur.fetchall()]
    conn.rollback()
    return views


def _wait_for_holder(config, first: subprocess.Popen, timeout_s: float = 600.0):
    from orchestration.run_lock import current_holder

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and first.poll() is None:
        holder = current_holder(config.warehouse)
        if holder is not None:
            return holder
        time.sleep(0.2)
    raise RuntimeError("the first materialisation never took the lock")


def run() -> dict[str, float]:
    from orchestration.settings import settings
    from orchestration.warehouse import connect
    from warehouse.view_probe import RelationPoller

    config = settings()
    conn = started_warehouse()
    if len(_project_views(conn)) < 10:
        cold = _materialize()
        output = _output(cold)
        if cold.returncode != 0:
            raise RuntimeError(f"the first materialisation failed:\n{output}")
    views = _project_views(conn)
    reader = RelationPoller(lambda: connect(config.warehouse), views, interval_s=0.1)
    reader.start()
    first = _materialize()
    try:
        _wait_for_holder(config, first)
        second = subprocess.run([CLI, "materialize"], capture_output=True, text=True, timeout=300)
        output = _output(first)
    finally:
        reader.stop()
    missing_after = set(views) - set(_project_views(conn))
    conn.close()
    lines = second.stderr.strip().splitlines()
    clean = (
        first.returncode == 0
        and second.returncode != 0
        and len(lines) == 1
        and lines[0].startswith(BUSY_LINE)
        and not missing_after
    )
    print(f"views polled: {len(views)}, polls: {reader.polls}, reader errors: {reader.errors}")
    print(f"second run (exit {second.returncode}): {second.stderr.strip()}")
    print(f"first run exit {first.returncode}; views missing afterwards: {missing_after}")
    if first.returncode != 0:
        print(output)
    return {
        "views_missing_during_run_s": round(reader.missing_s, 1),
        "concurrent_runs_clean_exit": clean,
    }
