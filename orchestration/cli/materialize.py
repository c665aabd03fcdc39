"""`cinegraph materialize`: every asset on the warehouse, with progress and a summary."""

from __future__ import annotations

import contextlib
import sys
import time
import uuid

from orchestration import run_lock, warehouse
from orchestration.cli.warehouse import start_platform
from orchestration.settings import SCHEMAS, export_connection_env, settings, sources_from_settings

# EX_TEMPFAIL: another materialisation is running; try again when it is done.
BUSY_EXIT_CODE = 75
# Tags every run of the command carries, so the UI says what launched it.
LAUNCH_TAGS = {"cinegraph/launched_by": "cli", "cinegraph/command": "materialize"}


def table_summary(conn) -> list[tuple[str, str, int]]:
    """Exact row counts of every table the project owns. Views are left out (counting one
    runs its query: 9 of the summary's 10 s), and so is a partitioned table's parent, whose
    rows are its partitions'."""
    from orchestration.relation_metadata import row_counts  # imports dagster: not at start-up

    with conn.cursor() as cur:
        cur.execute(
            "select namespace.nspname, class.relname from pg_class as class "
            "inner join pg_namespace as namespace on namespace.oid = class.relnamespace "
            "where namespace.nspname = any(%s) and class.relkind = 'r' order by 1, 2",
            (list(SCHEMAS),),
        )
        relations = cur.fetchall()
        counts = row_counts(cur, relations)
    return [(schema, table, counts[(schema, table)]) for schema, table in relations]


def run(args) -> int:
    from orchestration.dbt_project import start_parse

    config = settings()
    started = time.perf_counter()
    # dbt parses from the connection's settings (the password is not one of them) while the
    # warehouse starts: on a fresh clone, both take seconds.
    export_connection_env(config)
    parsed = start_parse()
    start_platform(config)
    parsed()
    run_id = f"cli-{uuid.uuid4().hex[:12]}"
    try:
        with run_lock.hold(config.warehouse, run_id):
            return _materialize(config, run_id, started, args)
    except run_lock.MaterializationBusy as busy:
        print(busy, file=sys.stderr)
        return BUSY_EXIT_CODE


def _materialize(config, run_id: str, started: float, args) -> int:
    log_path = config.data_dir / "logs" / f"materialize-{run_id}.log"
    captured = (
        contextlib.nullcontext(sys.stderr)
        if args.verbose
        else _captured(log_path, args.quiet, args.select or "every asset")
    )
    with captured as terminal:
        stages = _run_stages(config, run_id, None if args.quiet else terminal, args)
    from orchestration.cli.materialize_output import empty_reasons, summary_lines
    from orchestration.cli.sources import describe

    with warehouse.connect(config.warehouse) as conn:
        relations = table_summary(conn)
        with conn.cursor() as cur:
            cur.execute("select source, count(*) from raw._rejects group by source order by source")
            rejects = cur.fetchall()
    conn.close()
    reasons = empty_reasons(describe(sources_from_settings()))
    print("\n".join(summary_lines(relations, reasons, args.verbose)))
    print("rejects: " + (", ".join(f"{s}={n}" for s, n in rejects) or "none"))
    ok = all(stage.success for stage in stages)
    if not ok and args.quiet:
        for stage in stages:
            for failure in stage.failures:
                print(f"{stage.name}: {failure}")
    outcome = f"materialized {args.select or 'every asset'}" if ok else "FAILED"
    print(f"{outcome} in {time.perf_counter() - started:.1f}s")
    if not args.verbose:
        print(f"Dagster and dbt log: {log_path}")
    return 0 if ok else 1


@contextlib.contextmanager
def _captured(log_path, quiet: bool, what: str):
    from orchestration.cli.materialize_output import output_to

    if not quiet:
        print(f"materialising {what} (Dagster and dbt log: {log_path})", flush=True)
    with output_to(log_path) as terminal:
        yield terminal


def _run_stages(config, run_id: str, terminal, args):
    from orchestration.view_healing import heal_views

    for name in heal_views(config.warehouse):
        print(f"rebuilt missing view {name}", file=terminal or sys.stdout)

    from orchestration.cli.materialize_output import StageProgress
    from orchestration.definitions import defs
    from orchestration.materialize_all import (
        build_instance,
        materialize_all,
        materialize_stage,
        selected_stage,
    )

    observer = StageProgress(terminal) if terminal else None
    tags = {**LAUNCH_TAGS, run_lock.RUN_TAG: run_id}
    if args.partition and not args.select:
        raise ValueError("--partition needs --select (the monthly assets to run for it)")
    stage = selected_stage(defs, args.select, args.partition) if args.select else None
    with build_instance() as instance:
        if stage is None:
            return materialize_all(defs, instance, tags=tags, observer=observer)
        return materialize_stage(defs, instance, stage, tags=tags, observer=observer)


def register(commands) -> None:
    parser = commands.add_parser(
        "materialize",
        help="materialise every asset (the monthly ones up to the last month with ratings)",
        description="Materialise every asset on the warehouse, stage by stage. Dagster's and "
        "dbt's output goes to a log file under the data folder (its path is printed).",
    )
    parser.add_argument(
        "--select",
        metavar="SELECTION",
        help="only these assets, in Dagster's selection syntax, e.g. 'group:cohorts' or "
        "'key:\"marts/film_scores\"+' (the asset and what reads it)",
    )
    parser.add_argument(
        "--partition",
        metavar="YYYY-MM-01",
        help="the rating month to run the selected monthly assets for",
    )
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument(
        "--verbose", action="store_true", help="stream Dagster's and dbt's logs to the terminal"
    )
    shown.add_argument(
        "--quiet", action="store_true", help="print only the summary (no progress lines)"
    )
    parser.set_defaults(handler=run)
