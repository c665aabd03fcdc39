"""The benchmark environment: a dedicated embedded warehouse, emptied before a cold run."""

from __future__ import annotations

import os
import resource

from orchestration.settings import PROJECT_ROOT

# Before any project module reads the settings: benchmarks never touch the dev warehouse.
os.environ.setdefault("CINEGRAPH_DATA_DIR", str(PROJECT_ROOT / ".cinegraph-bench"))
os.environ.setdefault("CINEGRAPH_PG_PORT", "54339")


def fresh_warehouse():
    """Start the bench warehouse and drop every project schema: the next run starts cold."""
    from orchestration import warehouse
    from orchestration.cli.warehouse import start_platform
    from orchestration.settings import SCHEMAS, settings

    config = settings()
    start_platform(config)
    conn = warehouse.connect(config.warehouse)
    with conn, conn.cursor() as cur:
        for schema in SCHEMAS:
            cur.execute(f'drop schema if exists "{schema}" cascade')
    conn.close()
    warehouse.bootstrap(config.warehouse)
    return config


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its largest finished child (dbt), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)
