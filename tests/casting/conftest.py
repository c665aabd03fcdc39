"""Casting fixtures: the long table of the demo data, read from the identity marts of a real
warehouse, and one model trained on it (with the fast settings), shared by the session."""

from __future__ import annotations

import pytest

from ml.casting.dataset import prepare
from ml.casting.train import train
from tests.support.casting import FAST


@pytest.fixture(scope="session")
def long_table_inputs(defs, instance, warehouse):
    """The dbt models the long table reads, and everything they read, materialised."""
    from orchestration.defs.casting import LONG_TABLE_INPUTS
    from orchestration.materialize_all import materialize_upstream

    stage = materialize_upstream(defs, instance, LONG_TABLE_INPUTS)
    assert stage.success, "\n".join(stage.failures)
    return warehouse


@pytest.fixture(scope="session")
def demo_long(long_table_inputs):
    from ml.casting.long_table import read_long_table
    from orchestration.warehouse import connect

    conn = connect(long_table_inputs)
    try:
        return read_long_table(conn)
    finally:
        conn.close()


@pytest.fixture(scope="session")
def demo_people(long_table_inputs):
    from ml.casting.people import read_people
    from orchestration.warehouse import connect

    conn = connect(long_table_inputs)
    try:
        return read_people(conn)
    finally:
        conn.close()


@pytest.fixture(scope="session")
def demo_data(demo_long, demo_people):
    long, report = demo_long
    return prepare(long, FAST, report=report, people=demo_people)


@pytest.fixture(scope="session")
def demo_model(demo_data):
    return train(demo_data)
