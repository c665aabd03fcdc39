"""What `cinegraph materialize` shows: a progress line per stage while Dagster's and dbt's own
output goes to a log file, then a summary by schema that says why a table is empty."""

from __future__ import annotations

import os
import re
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

# One table per month of the metric time series: folded into one line of the summary.
PARTITION_TABLE = re.compile(r"^(?P<base>.+)_\d{4}_\d{2}$")
APP_TABLES_EMPTY = "filled as users rate, follow, talk to the companion and give feedback"
POLL_S = 1.0


@contextmanager
def output_to(log_path: Path) -> Iterator[TextIO]:
    """Everything written to this process's stdout and stderr (Dagster's logs, dbt's output,
    warnings, child processes) goes to `log_path`; the yielded stream writes to the terminal."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(saved_err), "w", buffering=1)
    with log_path.open("a") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            terminal.close()


class StageProgress:
    """A `StageObserver`: a bar per stage (materialisations done of expected, rows, elapsed)
    on a terminal, one line per finished stage elsewhere. It counts the run's materialisation
    events through its own Dagster instance, polled from a thread."""

    def __init__(self, terminal: TextIO):
        self.terminal = terminal
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bar = None

    def started(self, stage, run_id: str) -> None:
        from tqdm import tqdm

        partitions = len(stage.partition_keys)
        label = f"{stage.name:<10}" + (
            f" ({len(stage.keys)} assets x {partitions} months)" if partitions else ""
        )
        self._bar = tqdm(
            total=stage.expected_materializations,
            desc=label,
            unit=" assets",
            file=self.terminal,
            disable=not self.terminal.isatty(),
            bar_format="{desc} {bar:20} {n_fmt}/{total_fmt}{unit} {postfix} {elapsed}",
        )
        self._stop.clear()
        self._thread = threading.Thread(target=self._poll, args=(run_id,), daemon=True)
        self._thread.start()

    def _poll(self, run_id: str) -> None:
        import dagster as dg

        cursor, rows = None, 0
        with dg.DagsterInstance.get() as instance:
            while not self._stop.wait(POLL_S):
                page = instance.get_records_for_run(
                    run_id, cursor=cursor, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
                )
                cursor = page.cursor
                for record in page.records:
                    rows += _rows(record)
                if page.records:
                    self._bar.update(len(page.records))
                    self._bar.set_postfix_str(f"{rows:,} rows", refresh=True)

    def finished(self, stage, result) -> None:
        """Also told of a stage that ran beside another, with no bar of its own."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
            self._bar.close()
        state = "ok" if result.success else "FAILED"
        print(
            f"{stage.name:<10} {state:<6} {result.materializations:>5} of "
            f"{stage.expected_materializations} materialisations  {result.elapsed_s:6.1f}s",
            file=self.terminal,
        )
        for failure in result.failures:
            print(f"    {failure}", file=self.terminal)


def _rows(record) -> int:
    materialization = record.event_log_entry.asset_materialization
    metadata = materialization.metadata if materialization else {}
    for key in ("dagster/row_count", "rows"):
        value = getattr(metadata.get(key), "value", None)
        if isinstance(value, int):
            return value
    return 0


def empty_reasons(connector_status: dict[str, str]) -> dict[str, str]:
    """Why a table the run left empty is empty, by `schema.table` prefix."""
    from ingest.connectors import CONNECTOR_TABLES

    reasons = {
        f"raw.{table.name}": f"{source} {connector_status[source]}"
        for source, tables in CONNECTOR_TABLES.items()
        for table in tables
        if source in connector_status
    }
    reasons["raw._rejects"] = "no input row was rejected"
    return reasons


def summary_lines(
    relations: list[tuple[str, str, int]], reasons: dict[str, str], verbose: bool
) -> list[str]:
    """Per schema: tables, rows, empty ones; time-series partitions folded; every empty
    table grouped under the reason it is empty."""
    by_schema: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    folded: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    empty: dict[str, list[str]] = defaultdict(list)
    detail = []
    for schema, table, rows in relations:
        totals = by_schema[schema]
        totals[0] += 1
        totals[1] += rows
        partition = PARTITION_TABLE.match(table)
        if partition:
            folded[f"{schema}.{partition['base']}_YYYY_MM"][0] += 1
            folded[f"{schema}.{partition['base']}_YYYY_MM"][1] += rows
            continue
        detail.append(f"  {schema + '.' + table:<52} {rows:>12,}")
        if rows == 0:
            totals[2] += 1
            name = f"{schema}.{table}"
            reason = reasons.get(name) or (APP_TABLES_EMPTY if schema == "app" else "no rows")
            empty[reason].append(name)
    lines = [f"{'schema':<14} {'tables':>9} {'rows':>12} {'empty':>6}"]
    lines += [f"{s:<14} {n:>9} {r:>12,} {e:>6}" for s, (n, r, e) in sorted(by_schema.items())]
    lines += [
        f"{name}: {count} monthly partitions, {rows:,} rows (one line each with --verbose)"
        for name, (count, rows) in sorted(folded.items())
    ]
    if verbose:
        lines += ["", f"  {'relation':<52} {'rows':>12}", *detail]
    if empty:
        lines.append("empty tables:")
        for reason, names in sorted(empty.items(), key=lambda item: -len(item[1])):
            shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
            lines.append(f"  {len(names)} {reason}: {shown}")
    return lines
