"""The benchmark environment: a dedicated embedded warehouse, and what every benchmark shares."""

from __future__ import annotations

import os
import resource
import time

from orchestration.settings import PROJECT_ROOT

# Before any project module reads the settings: benchmarks never touch the dev warehouse.
os.environ.setdefault("CINEGRAPH_DATA_DIR", str(PROJECT_ROOT / ".cinegraph-bench"))
os.environ.setdefault("CINEGRAPH_PG_PORT", "54339")


def started_warehouse(needs: str | None = None):
    """A connection to the bench warehouse, started first. `needs` names a relation
    (schema.table) that the foundation benchmark materialises: without it, a clear error."""
    from orchestration import warehouse
    from orchestration.cli.warehouse import start_platform
    from orchestration.settings import settings

    config = settings()
    start_platform(config)
    conn = warehouse.connect(config.warehouse)
    if needs:
        with conn.cursor() as cur:
            cur.execute("select to_regclass(%s)", (needs,))
            missing = cur.fetchone()[0] is None
        conn.rollback()
        if missing:
            conn.close()
            raise RuntimeError(f"{needs} is missing: run the foundation benchmark first")
    return conn


def fresh_warehouse():
    """Start the bench warehouse and drop every project schema: the next run starts cold."""
    from orchestration import warehouse
    from orchestration.settings import SCHEMAS, settings

    conn = started_warehouse()
    with conn, conn.cursor() as cur:
        for schema in SCHEMAS:
            cur.execute(f'drop schema if exists "{schema}" cascade')
    conn.close()
    config = settings()
    warehouse.bootstrap(config.warehouse)
    return config


def timed(call):
    """(seconds, result) of `call()`."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its largest finished child (dbt), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)
