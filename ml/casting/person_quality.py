"""As-of person quality (`ml.person_quality_asof`, written by `ml.people.store`), used as the
`pqs_asof` feature when the table holds actors' scores and skipped, with the reason recorded
in the manifest, when it does not: the catalogue creates the table at bootstrap, so it is
empty until the people assets have run, and an all-missing feature cannot be trained on.

The table has one row per (person_id, role, year) with `total_pqs`, the person's quality in
that role computed from what was known on 1 January of `year`: films released and awards
given before `year`. Actors are scored under `role = 'actor'` (lead and supporting roles
alike). People are joined to the long table's actors by `person_id`.
"""

from __future__ import annotations

import pandas as pd
from psycopg2 import sql

from ml.casting.features import PQS_FEATURE
from ml.people.store import ASOF_TABLE as TABLE
from ml.people.store import SCHEMA
from warehouse.io import read_frame

REQUIRED_COLUMNS = {"person_id", "role", "year", "total_pqs"}
ACTING_ROLE = "actor"


def read_person_quality(conn) -> tuple[pd.DataFrame | None, str]:
    """(actor_id, year, pqs_asof) rows and a status line for the manifest; None when absent."""
    found = read_frame(
        conn,
        "select column_name::text from information_schema.columns "
        "where table_schema = %s and table_name = %s",
        (SCHEMA, TABLE),
    )
    if found.empty:
        return None, f"skipped: no {TABLE} table in schema {SCHEMA}"
    columns = set(found["column_name"])
    if not columns >= REQUIRED_COLUMNS:
        raise ValueError(
            f"{SCHEMA}.{TABLE} lacks columns {sorted(REQUIRED_COLUMNS - columns)}; "
            f"the casting features need {sorted(REQUIRED_COLUMNS)}"
        )
    query = sql.SQL(
        "select person_id, year, total_pqs from {} where role = %s and total_pqs is not null"
    ).format(sql.Identifier(SCHEMA, TABLE))
    rows = read_frame(conn, query, (ACTING_ROLE,))
    if rows.empty:
        return None, f"skipped: {SCHEMA}.{TABLE} holds no actor scores yet"
    return person_quality_frame(rows), f"used: {SCHEMA}.{TABLE} ({len(rows)} rows)"


def person_quality_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """(actor_id, year, pqs_asof) in the histories' convention, where the state of year Y
    holds what was known at the *end* of Y and a film of year Y reads the states before Y.

    A row of `year` Y was known on 1 January Y, i.e. at the end of Y - 1, so it becomes the
    state of Y - 1: a film of year Y sees it, and never a score that counts Y's own films.
    """
    return pd.DataFrame(
        {
            "actor_id": rows["person_id"].astype("int64"),
            "year": rows["year"].astype("int64") - 1,
            PQS_FEATURE: rows["total_pqs"].astype(float),
        }
    )
