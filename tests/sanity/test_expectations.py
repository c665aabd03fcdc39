"""The sanity suite: every row of expectations.csv holds on a full demo build."""

from __future__ import annotations

import pytest

from tests.sanity.checks import evaluate, load_expectations

pytestmark = pytest.mark.slow

# Rows another branch of issue 16 makes pass (PQS by role, plausible casting slates): they
# fail until that work is merged. The lead empties this set when merging.
PENDING_OWNERS_ON_THIS_BRANCH = {"people", "casting"}

EXPECTATIONS = load_expectations()


def test_the_expectations_are_readable_and_enough():
    assert len(EXPECTATIONS) >= 30
    assert len({e.id for e in EXPECTATIONS}) == len(EXPECTATIONS)
    assert all(e.reason and e.owner and e.area for e in EXPECTATIONS)


@pytest.mark.parametrize(
    "expectation",
    [
        pytest.param(
            e,
            id=e.id,
            marks=pytest.mark.xfail(reason=f"owned by {e.owner}", strict=False)
            if e.owner in PENDING_OWNERS_ON_THIS_BRANCH
            else (),
        )
        for e in EXPECTATIONS
    ],
)
def test_expectation_holds(materialized, db, expectation):
    outcome = evaluate(db, expectation)
    assert outcome.passed, f"{expectation.id}: {outcome.observed} ({expectation.reason})"
