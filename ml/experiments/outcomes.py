"""From event logs to the analysis' input: one row per exposed user with the user's arm and
outcome.

Only exposed users count (assigned users who never saw the experiment's surface add noise to
both arms alike), and only events at or after the user's first exposure (earlier ones cannot
be effects of the arm).
"""

from __future__ import annotations

import pandas as pd


def user_outcomes(
    assignments: pd.DataFrame, exposures: pd.DataFrame, events: pd.DataFrame, kind: str
) -> pd.DataFrame:
    """user_id, arm, value from assignments (user_id, arm), exposures (user_id, at) and the
    primary metric's events (user_id, at, value).

    A rate's value is 1 when the user had an event after exposure, else 0; a mean's is the
    mean of the user's event values after exposure, missing when there were none."""
    # A column, not an index, to merge on: an empty frame's merge on an index named user_id
    # would carry that index into the result beside the user_id column.
    first = (
        exposures.groupby("user_id", sort=False)["at"].min().rename("first_exposed").reset_index()
    )
    unassigned = pd.Index(first["user_id"]).difference(pd.Index(assignments["user_id"]))
    if len(unassigned):
        raise ValueError(
            f"{len(unassigned)} exposed users have no assignment (e.g. {list(unassigned[:3])})"
        )
    exposed = assignments.merge(first, on="user_id")
    after = events.merge(first, on="user_id")
    after = after[after["at"] >= after["first_exposed"]]
    if kind == "rate":
        value = after.groupby("user_id")["value"].size().gt(0).astype(float)
        values = exposed["user_id"].map(value).fillna(0.0)
    else:
        values = exposed["user_id"].map(after.groupby("user_id")["value"].mean())
    return exposed[["user_id", "arm"]].assign(value=values.to_numpy()).reset_index(drop=True)
