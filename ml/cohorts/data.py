"""The SQL side of the cohort models: read ratings, replace the tables the models write."""

from __future__ import annotations

import hashlib

import pandas as pd
from psycopg2 import sql

from warehouse.io import copy_frame, read_frame

RATINGS_QUERY = """
select user_id, film_id, rating::float8 as rating, rated_at
from marts.fct_ratings
where rating is not null
order by user_id, rated_at, film_id
"""

# The tables the models replace, created by the warehouse catalogue at bootstrap.
TABLES = ("user_clusters", "rating_prediction_holdout")


def read_ratings(conn) -> pd.DataFrame:
    """Every star rating of `marts.fct_ratings` (likes without a rating are left out)."""
    return read_frame(conn, RATINGS_QUERY).astype(
        {"user_id": "int64", "film_id": "int64", "rating": "float64"}
    )


def frame_digest(frame: pd.DataFrame) -> str:
    """A content hash of a frame, for run manifests (same data, same digest)."""
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(hashes.tobytes()).hexdigest()[:16]


def replace_table(conn, table: str, frame: pd.DataFrame, run_id: str) -> int:
    """Replace `ml.<table>` (one of TABLES) with one run's rows, in one transaction."""
    if table not in TABLES:
        raise ValueError(f"unknown cohort model table {table!r}; they are {', '.join(TABLES)}")
    target = sql.Identifier("ml", table)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'ml' and table_name = %s order by ordinal_position",
                (table,),
            )
            columns = [row[0] for row in cur.fetchall()]
            cur.execute(sql.SQL("truncate {}").format(target))
            copy_frame(cur, target, frame.assign(run_id=run_id)[columns])
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return len(frame)
