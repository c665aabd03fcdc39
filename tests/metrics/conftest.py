"""Fixtures of the metrics tests: a dbt build of only the registry's seeds and curves, and
scratch schemas for tests that must not touch the shared marts."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest


def dbt_build(select: str, target_path: Path) -> None:
    """`dbt build` a selection, with its own target folder so Dagster's manifest is left alone."""
    from orchestration.settings import DBT_PROJECT_DIR

    dbt = Path(sys.executable).parent / "dbt"
    done = subprocess.run(
        [str(dbt), "build", "--select", select, "--target-path", str(target_path)],
        cwd=DBT_PROJECT_DIR,
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-4000:]


@pytest.fixture(scope="session")
def registry_built(warehouse, tmp_path_factory):
    """The metric registry seeds and the normalisation curves view, without the marts."""
    dbt_build(
        "metric_definitions metric_normalization_curves", tmp_path_factory.mktemp("dbt_target")
    )
    return warehouse


@contextmanager
def _scratch(db, schema: str):
    with db.cursor() as cur:
        cur.execute(f"drop schema if exists {schema} cascade")
        cur.execute(f"create schema {schema}")
    db.commit()
    try:
        yield db
    finally:
        db.rollback()
        with db.cursor() as cur:
            cur.execute(f"drop schema {schema} cascade")
        db.commit()


@pytest.fixture
def scratch_schema(db):
    """`with scratch_schema(name):` an empty schema of the test's own, dropped afterwards
    (even after a failed query)."""
    return lambda schema: _scratch(db, schema)
