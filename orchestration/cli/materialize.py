"""`cinegraph materialize`: every asset on the warehouse, with a summary."""

from __future__ import annotations

import sys
import time
import uuid

from psycopg2 import sql

from orchestration import run_lock, warehouse
from orchestration.cli.warehouse import start_platform
from orchestration.settings import SCHEMAS, settings

# EX_TEMPFAIL: another materialisation is running; try again when it is done.
BUSY_EXIT_CODE = 75


def table_summary(conn) -> list[tuple[str, str, int]]:
    """Exact row counts of every table and view the project owns."""
    with conn.cursor() as cur:
        cur.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = any(%s) order by 1, 2",
            (list(SCHEMAS),),
        )
        relations = cur.fetchall()
        counts = []
        for schema, table in relations:
            cur.execute(sql.SQL("select count(*) from {}").format(sql.Identifier(schema, table)))
            counts.append((schema, table, cur.fetchone()[0]))
    return counts


def run(args) -> int:
    config = settings()
    started = time.perf_counter()
    start_platform(config)
    run_id = f"cli-{uuid.uuid4().hex[:12]}"
    try:
        with run_lock.hold(config.warehouse, run_id):
            return _materialize(config, run_id, started)
    except run_lock.MaterializationBusy as busy:
        print(busy, file=sys.stderr)
        return BUSY_EXIT_CODE


def _materialize(config, run_id: str, started: float) -> int:
    from orchestration.dbt_project import prepare_manifest
    from orchestration.view_healing import heal_views

    prepare_manifest()
    for name in heal_views(config.warehouse):
        print(f"rebuilt missing view {name}")
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.materialize_all import materialize_all

    with dg.DagsterInstance.get() as instance:
        stages = materialize_all(defs, instance, tags={run_lock.RUN_TAG: run_id})
    for stage in stages:
        state = "ok" if stage.success else "FAILED"
        print(
            f"stage {stage.name:<11} {state:<6} {stage.materializations:>4} materializations  "
            f"{stage.elapsed_s:7.1f}s"
        )
        for failure in stage.failures:
            print(f"    {failure}")
    with warehouse.connect(config.warehouse) as conn:
        rows = table_summary(conn)
        with conn.cursor() as cur:
            cur.execute("select source, count(*) from raw._rejects group by source order by source")
            rejects = cur.fetchall()
    conn.close()
    print(f"\n{'table':<48} {'rows':>10}")
    for schema, table, count in rows:
        print(f"{schema + '.' + table:<48} {count:>10,}")
    print("\nrejects: " + (", ".join(f"{s}={n}" for s, n in rejects) or "none"))
    ok = all(stage.success for stage in stages)
    outcome = "materialized every asset" if ok else "FAILED"
    print(f"\n{outcome} in {time.perf_counter() - started:.1f}s")
    return 0 if ok else 1


def register(commands) -> None:
    parser = commands.add_parser("materialize", help="materialise every asset (all partitions)")
    parser.set_defaults(handler=run)
