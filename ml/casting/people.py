"""What the slate knows about each actor beyond their long-table roles (the dbt model
`marts.dim_casting_people`): the share of their credits that are acting roles, over every
role any source gives them, and the year they died where a source knows it (the IMDb
datasets' name.basics; null until that connector has run)."""

from __future__ import annotations

import pandas as pd
from psycopg2 import sql

from warehouse.io import read_frame

PEOPLE_RELATION = ("marts", "dim_casting_people")
PEOPLE_COLUMNS = ["acting_share", "death_year"]


def people_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """PEOPLE_COLUMNS indexed by actor_id; missing values stand for "unknown"."""
    return (
        rows.assign(actor_id=rows["person_id"].astype("int64"))
        .set_index("actor_id")[PEOPLE_COLUMNS]
        .astype(float)
    )


def read_people(conn) -> pd.DataFrame:
    query = sql.SQL("select person_id, acting_share, death_year from {}").format(
        sql.Identifier(*PEOPLE_RELATION)
    )
    return people_frame(read_frame(conn, query))
