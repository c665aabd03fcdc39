"""Query results as DataFrames: the one reader every warehouse query of ml/ and the APIs uses.

psycopg2 gives numeric columns as Decimal and bigint columns with a null as Python ints and
None. Left to pandas, the first stay objects and the second turn float, where ids of 19 digits
lose their last ones. So numerics become floats and bigints with nulls nullable Int64.
"""

from __future__ import annotations

import pandas as pd

BIGINT = 20  # PostgreSQL's type oid of bigint (int8)


def read_frame(conn, query, params: tuple | dict | None = None) -> pd.DataFrame:
    """The rows of a parameterised query (a string or a psycopg2 `sql.Composable`)."""
    with conn.cursor() as cur:
        cur.execute(query, params)
        rows, description = cur.fetchall(), cur.description
    frame = pd.DataFrame.from_records(
        rows, columns=[c.name for c in description], coerce_float=True
    )
    for index, column in enumerate(description):
        if column.type_code == BIGINT and frame[column.name].isna().any():
            frame[column.name] = pd.array([row[index] for row in rows], dtype="Int64")
    return frame
