"""The model run registry, `ml.model_runs`: one row per trained model, with what it needs to
be traced back (parameters, metrics, and a manifest of cutoffs, versions and data hashes).

Plain psycopg2, no Dagster: every model package records its runs through `record_run`. The
table is the warehouse catalogue's (`warehouse/migrations`), created at bootstrap.
"""

from __future__ import annotations

import json
import uuid

from psycopg2.extras import Json


def _json(value: dict) -> Json:
    # default=str turns timestamps and paths into text instead of failing the insert.
    return Json(value, dumps=lambda obj: json.dumps(obj, default=str))


def record_run(conn, model_name: str, params: dict, metrics: dict, manifest: dict) -> str:
    """Insert one run and commit; return its new run_id."""
    run_id = uuid.uuid4().hex
    with conn.cursor() as cur:
        cur.execute(
            "insert into ml.model_runs (run_id, model_name, params, metrics, manifest) "
            "values (%s, %s, %s, %s, %s)",
            (run_id, model_name, _json(params), _json(metrics), _json(manifest)),
        )
    conn.commit()
    return run_id


def latest_run(conn, model_name: str) -> dict | None:
    """The newest run of a model as a dict of the table's columns, or None when it has none."""
    with conn.cursor() as cur:
        cur.execute(
            "select run_id, model_name, created_at, params, metrics, manifest from ml.model_runs "
            "where model_name = %s order by created_at desc limit 1",
            (model_name,),
        )
        row = cur.fetchone()
        return dict(zip([c.name for c in cur.description], row, strict=True)) if row else None
