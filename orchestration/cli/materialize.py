"""`cinegraph materialize`: every asset on the warehouse, with a summary."""

from __future__ import annotations

import time

import dagster as dg

from orchestration import warehouse
from orchestration.cli.warehouse import start_platform
from orchestration.settings import settings

SUMMARY_QUERY = """
select table_schema, table_name,
       (xpath('/row/n/text()',
              query_to_xml(format('select count(*) as n from %%I.%%I', table_schema, table_name),
                           false, true, '')))[1]::text::bigint as row_count
from information_schema.tables
where table_schema = any(%s) and table_type in ('BASE TABLE', 'VIEW')
order by table_schema, table_name
"""


def table_summary(conn) -> list[tuple[str, str, int]]:
    with conn.cursor() as cur:
        cur.execute(SUMMARY_QUERY, (["raw", "staging", "intermediate", "marts", "app", "ml"],))
        return cur.fetchall()


def run(args) -> int:
    config = settings()
    started = time.perf_counter()
    start_platform(config)
    from orchestration.dbt_project import prepare_manifest

    prepare_manifest()
    from orchestration.definitions import defs
    from orchestration.materialize_all import materialize_all

    with dg.DagsterInstance.get() as instance:
        stages = materialize_all(defs, instance)
    for stage in stages:
        state = "ok" if stage.success else "FAILED"
        print(f"stage {stage.name:<11} {state:<6} {stage.materializations:>4} materializations  {stage.elapsed_s:7.1f}s")
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
    print(f"\n{'materialized every asset' if ok else 'FAILED'} in {time.perf_counter() - started:.1f}s")
    return 0 if ok else 1


def register(commands) -> None:
    parser = commands.add_parser("materialize", help="materialise every asset (all partitions)")
    parser.set_defaults(handler=run)
