"""Experiments for the CLI and the console: the list with each one's latest status, and one
experiment's latest results (per arm and per effect, from `ml.experiment_results`)."""

from __future__ import annotations

import pandas as pd

from warehouse.io import read_frame

LATEST_RUN = """
    select distinct on (experiment) experiment, run_id, status, final, reason, srm_p_value,
        srm_flagged, analysed_at
    from ml.experiment_results
    order by experiment, analysed_at desc
"""


def experiments(conn) -> pd.DataFrame:
    """Every experiment with its design and its latest analysis (none yet: nulls)."""
    return read_frame(
        conn,
        f"""
        select experiments.name, experiments.status, experiments.arms, experiments.allocation,
            experiments.primary_metric, experiments.kind, experiments.mde,
            experiments.started_at, experiments.planned_end,
            latest.status as result_status, latest.final, latest.analysed_at
        from app.experiments as experiments
        left join ({LATEST_RUN}) as latest on latest.experiment = experiments.name
        order by experiments.started_at, experiments.name
        """,
    )


def latest_results(conn, name: str) -> tuple[dict | None, pd.DataFrame, pd.DataFrame]:
    """(summary, arms, effects) of the experiment's latest analysis; (None, empty, empty)
    before its first analysis. An unknown experiment is a LookupError."""
    with conn.cursor() as cur:
        cur.execute("select 1 from app.experiments where name = %s", (name,))
        if cur.fetchone() is None:
            raise LookupError(f"unknown experiment {name!r}")
    summary = read_frame(
        conn, f"select * from ({LATEST_RUN}) as latest where experiment = %s", (name,)
    )
    if summary.empty:
        return None, pd.DataFrame(), pd.DataFrame()
    run = summary.iloc[0].to_dict()
    rows = read_frame(
        conn,
        "select * from ml.experiment_results where run_id = %s and experiment = %s order by arm",
        (run["run_id"], name),
    )
    arms = rows.loc[
        rows["row_kind"] == "arm",
        ["arm", "exposed", "n", "planned_n", "planned_share", "observed_share", "mean", "std"],
    ]
    effects = rows.loc[
        rows["row_kind"] == "effect",
        ["arm", "control_arm", "effect", "ci_low", "ci_high", "confidence", "p_value",
         "significant"],
    ]  # fmt: skip
    return run, arms.reset_index(drop=True), effects.reset_index(drop=True)
