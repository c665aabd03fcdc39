"""The sanity suite: every row of expectations.csv holds on a full demo build."""

from __future__ import annotations

import pytest

from tests.sanity.checks import evaluate, load_expectations

pytestmark = pytest.mark.slow

EXPECTATIONS = load_expectations()


def test_the_expectations_are_readable_and_enough():
    assert len(EXPECTATIONS) >= 30
    assert len({e.id for e in EXPECTATIONS}) == len(EXPECTATIONS)
    assert all(e.reason and e.owner and e.area for e in EXPECTATIONS)


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[e.id for e in EXPECTATIONS])
def test_expectation_holds(materialized, db, expectation):
    outcome = evaluate(db, expectation)
    assert outcome.passed, f"{expectation.id}: {outcome.observed} ({expectation.reason})"
