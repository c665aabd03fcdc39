"""One materialisation at a time: `cinegraph materialize` and the Dagster dbt steps hold a
warehouse-wide advisory lock, and a second one exits at once naming the first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import run_lock

BUSY = "another materialisation is running (run id first-run, since "


def test_the_lock_names_its_holder_and_is_released_after_a_failure(warehouse):
    assert run_lock.current_holder(warehouse) is None
    with pytest.raises(RuntimeError, match="the run failed"), run_lock.hold(warehouse, "first-run"):
        assert run_lock.current_holder(warehouse).run_id == "first-run"
        busy = pytest.raises(run_lock.MaterializationBusy, match=r"^another materialisation")
        with busy, run_lock.hold(warehouse, "second-run"):
            pass
        raise RuntimeError("the run failed")
    assert run_lock.current_holder(warehouse) is None


def test_a_second_cinegraph_materialize_exits_at_once_with_one_line(warehouse, db):
    cli = Path(sys.executable).with_name("cinegraph")
    with run_lock.hold(warehouse, "first-run"):
        # Without the lock this would start a full materialisation, and time out.
        second = subprocess.run(
            [str(cli), "materialize"], capture_output=True, text=True, timeout=120
        )
    assert second.returncode == 75
    assert second.stderr.startswith(BUSY)
    assert len(second.stderr.strip().splitlines()) == 1
    assert second.stdout == ""


def _run_seed(defs, instance, tags=None):
    import dagster as dg

    return dg.materialize(
        [*defs.assets],
        selection=dg.AssetSelection.assets(["marts", "weight_profiles"]),
        resources=defs.resources,
        instance=instance,
        tags=tags or {},
        raise_on_error=False,
    )


def test_a_dagster_dbt_step_fails_while_another_materialisation_runs(defs, instance, warehouse):
    with run_lock.hold(warehouse, "first-run"):
        result = _run_seed(defs, instance)
    assert not result.success
    messages = [
        event.event_specific_data.error.message
        for event in result.all_events
        if event.is_step_failure
    ]
    assert any(BUSY in message for message in messages), messages


def test_the_runs_a_materialisation_starts_run_under_its_lock(defs, instance, warehouse):
    with run_lock.hold(warehouse, "first-run"):
        result = _run_seed(defs, instance, tags={run_lock.RUN_TAG: "first-run"})
    assert result.success
