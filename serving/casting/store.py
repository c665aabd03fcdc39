"""Slates in the warehouse: each computed slate is stored in `app.casting_slates` (one row
per actor, with the brief, reasons, alternates and the model version), so the BI mart
`marts.casting_slates` reads them instead of the CSV files of `cinegraph slate`."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pandas as pd
from psycopg2 import sql

from serving.casting.recommend import SlateResult
from warehouse.io import copy_frame

TABLE = sql.Identifier("app", "casting_slates")
# The newest slates kept; older ones are deleted when a slate is stored.
RETAINED_SLATES = 200
SEPARATOR = "; "


def slate_rows(result: SlateResult, model_run: dict) -> pd.DataFrame:
    """The slate as `app.casting_slates` rows: its actors, each with their reasons and
    alternates folded into one text column."""
    reasons = result.reasons.groupby("rank")["reason"].agg(SEPARATOR.join)
    others = result.alternates.groupby("rank")["alternate"].agg(SEPARATOR.join)
    chosen = result.slate
    return pd.DataFrame(
        {
            "slate_id": str(uuid.uuid4()),
            "computed_at": datetime.fromisoformat(result.manifest["created_at"]),
            "brief": json.dumps(result.brief.as_dict()),
            "rank": chosen["rank"].astype(int),
            "actor_id": chosen["actor_id"].astype("int64"),
            "actor_name": chosen["actor_name"],
            "p_cal": chosen["p_cal"].astype(float),
            "score": chosen["score"].astype(float),
            "reasons": chosen["rank"].map(reasons),
            "alternates": chosen["rank"].map(others),
            "model_run_id": model_run.get("run_id"),
            "model_version": model_run["manifest"]["artifact"]["version"],
        }
    )


def store_slate(conn, result: SlateResult, model_run: dict) -> str:
    """Store the slate and drop the slates beyond the newest RETAINED_SLATES, in one
    transaction; returns the slate's id."""
    rows = slate_rows(result, model_run)
    with conn, conn.cursor() as cur:
        copy_frame(cur, TABLE, rows)
        cur.execute(
            sql.SQL(
                """
                delete from {table} where slate_id not in (
                    select slate_id from {table}
                    group by slate_id order by max(computed_at) desc limit %s
                )
                """
            ).format(table=TABLE),
            (RETAINED_SLATES,),
        )
    return rows["slate_id"].iloc[0]
