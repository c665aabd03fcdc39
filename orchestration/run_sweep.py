"""Runs whose process died (a kill, a reboot, `cinegraph down --force`) stay STARTED in
Dagster's run storage forever: nothing is left to report their end. The sweep marks them
failed, through the instance, so the UI and the run queue see them finished."""

from __future__ import annotations

import os

import dagster as dg

IN_PROGRESS = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def run_process_id(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The PID the run's executor logged when it began (in-process and multiprocess alike)."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
    for record in records.records:
        event = record.event_log_entry.dagster_event
        data = event.engine_event_data if event else None
        if data and "pid" in data.metadata:
            return int(data.metadata["pid"].value)
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sweep_orphaned_runs(instance: dg.DagsterInstance) -> tuple[list[str], list[dg.DagsterRun]]:
    """Mark failed every run in progress whose process is gone; return the ids marked and the
    runs still live. A run that has not logged its process yet counts as live."""
    swept, live = [], []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS)):
        pid = run_process_id(instance, run.run_id)
        if pid is None or _alive(pid):
            live.append(run)
            continue
        instance.report_run_failed(
            run,
            message=(
                f"Marked failed by cinegraph at startup: the process running it (pid {pid}) "
                "is gone; it was killed, or the warehouse stopped under it."
            ),
        )
        swept.append(run.run_id)
    return swept, live
