"""Experiments in the warehouse: define, stop, record exposures, analyse and store results.

`app.experiments` holds each design (`ExperimentDesign` plus the hypothesis, the primary
metric, which is a feedback kind, and the planned end); `app.experiment_assignments` records
each user's arm on the user's first exposure. The arm itself is `ml.experiments.assign`'s
hash of experiment and user, so the table records it, it does not decide it, and a second
exposure finds the same arm. `analyse_running` reads every running experiment's exposures
and primary-metric events from `app.feedback` and appends one result per arm and per effect
to `ml.experiment_results` under one run id. Tables: the catalogue's `0010_learning.sql`.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg2.extras import execute_values

from ingest.feedback import KINDS
from ml.experiments.analysis import ExperimentAnalysis, analyse
from ml.experiments.assignment import arm_for
from ml.experiments.design import ExperimentDesign
from ml.experiments.outcomes import user_outcomes
from warehouse.io import read_frame

RUNNING, STOPPED = "running", "stopped"
DESIGN_COLUMNS = (
    "name, arms, allocation, kind, mde, baseline_rate, outcome_sd, alpha, power, "
    "hypothesis, primary_metric, status, started_at, planned_end, stopped_at"
)


@dataclass(frozen=True)
class Experiment:
    design: ExperimentDesign
    hypothesis: str
    primary_metric: str  # a feedback kind: its events after exposure are the outcome
    status: str
    started_at: datetime
    planned_end: datetime | None
    stopped_at: datetime | None


def create_experiment(
    conn,
    design: ExperimentDesign,
    hypothesis: str,
    primary_metric: str,
    planned_end: datetime | None = None,
) -> Experiment:
    if primary_metric not in KINDS:
        raise ValueError(f"primary metric must be a feedback kind ({', '.join(KINDS)})")
    if not hypothesis.strip():
        raise ValueError("an experiment needs a hypothesis")
    with conn, conn.cursor() as cur:
        cur.execute("select 1 from app.experiments where name = %s", (design.name,))
        if cur.fetchone():
            raise ValueError(f"an experiment named {design.name!r} already exists")
        cur.execute(
            "insert into app.experiments (name, arms, allocation, kind, mde, baseline_rate, "
            "outcome_sd, alpha, power, hypothesis, primary_metric, planned_end) "
            "values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                design.name,
                list(design.arms),
                list(design.allocation),
                design.kind,
                design.mde,
                design.baseline_rate,
                design.outcome_sd,
                design.alpha,
                design.power,
                hypothesis,
                primary_metric,
                planned_end,
            ),
        )
    return get_experiment(conn, design.name)


def _experiment(row: tuple) -> Experiment:
    (name, arms, allocation, kind, mde, baseline, sd, alpha, power, *rest) = row
    design = ExperimentDesign(name, arms, allocation, kind, mde, baseline, sd, alpha, power)
    return Experiment(design, *rest)


def get_experiment(conn, name: str) -> Experiment:
    with conn.cursor() as cur:
        cur.execute(f"select {DESIGN_COLUMNS} from app.experiments where name = %s", (name,))
        row = cur.fetchone()
    if row is None:
        raise LookupError(f"unknown experiment {name!r}")
    return _experiment(row)


def list_experiments(conn, status: str | None = None) -> list[Experiment]:
    with conn.cursor() as cur:
        cur.execute(
            f"select {DESIGN_COLUMNS} from app.experiments "
            "where %(status)s::text is null or status = %(status)s order by started_at, name",
            {"status": status},
        )
        return [_experiment(row) for row in cur.fetchall()]


def stop_experiment(conn, name: str) -> Experiment:
    """Stop a running experiment: no more exposures; its results stay."""
    with conn, conn.cursor() as cur:
        cur.execute(
            "update app.experiments set status = %s, stopped_at = now() "
            "where name = %s and status = %s",
            (STOPPED, name, RUNNING),
        )
        stopped = cur.rowcount
    experiment = get_experiment(conn, name)  # an unknown name is a LookupError
    if not stopped:
        raise ValueError(f"experiment {name!r} is already stopped")
    return experiment


def record_exposure(conn, name: str, user_id: int, surface: str, at: datetime | None = None) -> str:
    """The user saw the experiment's surface: store the assignment on the first exposure
    (concurrent first exposures insert it once) and the exposure; return the user's arm."""
    experiment = get_experiment(conn, name)
    if experiment.status != RUNNING:
        raise ValueError(f"experiment {name!r} is {experiment.status}: no exposures recorded")
    arm = arm_for(experiment.design, user_id)
    with conn, conn.cursor() as cur:
        cur.execute(
            "insert into app.experiment_assignments (experiment, user_id, arm) "
            "values (%s, %s, %s) on conflict (experiment, user_id) do nothing",
            (name, user_id, arm),
        )
        cur.execute(
            "insert into app.experiment_exposures (experiment, user_id, arm, surface, at) "
            "values (%s, %s, %s, %s, coalesce(%s, now()))",
            (name, user_id, arm, surface, at),
        )
    return arm


def analyse_experiment(conn, experiment: Experiment) -> ExperimentAnalysis:
    """The analysis of one experiment on what the warehouse holds now."""
    params = {"experiment": experiment.design.name, "kind": experiment.primary_metric}
    assignments = read_frame(
        conn,
        "select user_id, arm from app.experiment_assignments where experiment = %(experiment)s",
        params,
    )
    exposures = read_frame(
        conn,
        'select user_id, "at" from app.experiment_exposures where experiment = %(experiment)s',
        params,
    )
    events = read_frame(
        conn,
        'select feedback.user_id, feedback."at", coalesce(feedback.value, 1.0) as value '
        "from app.feedback as feedback "
        "where feedback.kind = %(kind)s and feedback.user_id in "
        "(select user_id from app.experiment_assignments where experiment = %(experiment)s)",
        params,
    )
    outcomes = user_outcomes(assignments, exposures, events, experiment.design.kind)
    return analyse(experiment.design, outcomes)


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def result_rows(run_id: str, result: ExperimentAnalysis) -> list[tuple]:
    """`ml.experiment_results` rows of one analysis: one per arm, one per effect."""
    common = (
        _number(result.sample_ratio.p_value),
        result.sample_ratio.flagged,
        result.final,
        result.status,
        result.reason,
    )
    rows = [
        (run_id, result.experiment, "arm", a.arm, None, a.exposed, a.n, a.planned_n,
         a.planned_share, a.observed_share, _number(a.mean), _number(a.std),
         None, None, None, None, None, None, *common)
        for a in result.arms
    ]  # fmt: skip
    rows += [
        (run_id, result.experiment, "effect", e.arm, e.control, None, None, None, None, None,
         None, None, _number(e.difference), _number(e.ci_low), _number(e.ci_high),
         e.confidence, _number(e.p_value), e.significant, *common)
        for e in result.effects
    ]  # fmt: skip
    return rows


def analyse_running(conn) -> tuple[str, list[ExperimentAnalysis]]:
    """Analyse every running experiment and append the results under one new run id."""
    run_id = uuid.uuid4().hex
    results = [analyse_experiment(conn, e) for e in list_experiments(conn, RUNNING)]
    rows = [row for result in results for row in result_rows(run_id, result)]
    with conn, conn.cursor() as cur:
        execute_values(
            cur,
            "insert into ml.experiment_results (run_id, experiment, row_kind, arm, control_arm, "
            "exposed, n, planned_n, planned_share, observed_share, mean, std, effect, ci_low, "
            "ci_high, confidence, p_value, significant, srm_p_value, srm_flagged, final, "
            "status, reason) values %s",
            rows,
        )
    return run_id, results
