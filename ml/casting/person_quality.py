"""As-of person quality (issue 5's `person_quality_asof`), used as the `pqs_asof` feature when
the table exists and skipped, with the reason recorded in the manifest, when it does not.

Expected shape: one row per (person_id, as_of_year) with `pqs`, the person's quality computed
from what was known up to the end of `as_of_year` (and, when the table has a `role` column,
one row per role, of which the `actor` rows are read). The feature builder reads it strictly before
each row's year, like every other history. People are matched to the long table's actors by
normalised name through `marts.dim_people`, as the long table is keyed by name.
"""

from __future__ import annotations

import pandas as pd
from psycopg2 import sql

from ml.casting.features import PQS_FEATURE
from ml.casting.long_table import normalize, read_frame

TABLE = "person_quality_asof"
SCHEMAS = ("marts", "ml")
REQUIRED_COLUMNS = {"person_id", "as_of_year", "pqs"}


def read_person_quality(conn) -> tuple[pd.DataFrame | None, str]:
    """(actor, year, pqs_asof) rows and a status line for the manifest; None when absent."""
    found = read_frame(
        conn,
        "select table_schema, array_agg(column_name::text) as columns "
        "from information_schema.columns where table_name = %s and table_schema = any(%s) "
        "group by table_schema order by table_schema",
        (TABLE, list(SCHEMAS)),
    )
    if found.empty:
        return None, f"skipped: no {TABLE} table in schema {' or '.join(SCHEMAS)}"
    schema, columns = found.iloc[0]["table_schema"], set(found.iloc[0]["columns"])
    if not REQUIRED_COLUMNS <= columns:
        raise ValueError(
            f"{schema}.{TABLE} lacks columns {sorted(REQUIRED_COLUMNS - columns)}; "
            f"the casting features need {sorted(REQUIRED_COLUMNS)}"
        )
    # A person credited in several roles has a row per role: the actors' feature is their
    # acting score.
    acting = sql.SQL(" and quality.role = 'actor'" if "role" in columns else "")
    query = sql.SQL(
        "select people.name, quality.as_of_year as year, quality.pqs from {} as quality "
        "join marts.dim_people as people using (person_id) where quality.pqs is not null{}"
    ).format(sql.Identifier(schema, TABLE), acting)
    rows = read_frame(conn, query.as_string(conn))
    return person_quality_frame(rows), f"used: {schema}.{TABLE} ({len(rows)} rows)"


def person_quality_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """(name, year, pqs) rows keyed like the long table; namesakes are averaged."""
    keyed = rows.assign(
        actor=normalize(rows["name"]), year=rows["year"].astype(int), pqs=rows["pqs"].astype(float)
    )
    return (
        keyed.groupby(["actor", "year"], as_index=False)["pqs"]
        .mean()
        .rename(columns={"pqs": PQS_FEATURE})
    )
