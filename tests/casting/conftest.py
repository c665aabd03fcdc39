"""Casting fixtures: the demo long table and one model trained on it, shared by the session.

Smaller forests and fewer boosting rounds than the defaults keep the suite fast; the
benchmark trains with the defaults.
"""

from __future__ import annotations

import pytest

from ml.casting.dataset import prepare
from ml.casting.long_table import demo_long_table
from ml.casting.params import CastingParams
from ml.casting.train import train

FAST = CastingParams(rf_n_estimators=60, hgb_max_iter=80)


@pytest.fixture(scope="session")
def demo_long():
    return demo_long_table()


@pytest.fixture(scope="session")
def demo_data(demo_long):
    long, report = demo_long
    return prepare(long, FAST, report=report)


@pytest.fixture(scope="session")
def demo_model(demo_data):
    return train(demo_data)
