"""The film-actor long table: one row per (film, actor, role) of the identity layer's credits
bridge, with the film's year, budget, genres, director and the IMDb score and votes its
resonance label is computed from.

Rows are the acting credits of `marts.bridge_film_people` that come from two sources (the
dbt model `marts.fct_casting_credits` selects them):
- the Movie Industry data set's lead star of every film (`origin = 'credit'`);
- Oscar acting nominations (`origin = 'nomination'`), whose category the bridge keeps as the
  role: `lead_actor` for a leading, `actor` for a supporting performance.
The bill order follows the role: 1 for `lead_actor`, 2 for `actor`. Cast lists of the live
connectors (TMDb, IMDb datasets) are left out: they cover only the films those connectors
fetched, so an actor's history would depend on what was fetched, not on what they did.

Only films of the Movie Industry data set are kept, because its IMDb score and votes define
resonance. People and films are keyed by the identity layer's `person_id` and `film_id`;
names are carried for display only.

Nomination rows exist *because* a performance was nominated, an outcome that follows the
film's reception; they feed actors' histories but are not training or evaluation targets
(see `features.TARGET_ORIGIN`), otherwise "billed second" would simply mean "nominated".
"""

from __future__ import annotations

import pandas as pd
from psycopg2 import sql

from warehouse.io import read_frame

# The long table's contract: every later step reads only these columns. The film's columns
# are the same on each of its rows.
FILM_COLUMNS = [
    "film_id",
    "title",
    "year",
    "budget",
    "genres",
    "director_id",
    "director_name",
    "score",
    "votes",
]
LONG_TABLE_COLUMNS = [*FILM_COLUMNS, "actor_id", "actor_name", "role", "bill_order", "origin"]
BILL_ORDER = {"lead_actor": 1, "actor": 2}
# The dbt model that joins the credits bridge, the films, the people and the Movie Industry
# records into the long table's rows (dbt_project/models/marts/casting); the Dagster asset
# depends on it.
LONG_TABLE_RELATION = ("marts", "fct_casting_credits")


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks columns {missing}; it needs {columns}")


def build_long_table(credits: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The long table from the bridge's acting credits of Movie Industry films (the rows of
    LONG_TABLE_RELATION). Returns the table and a report of what was kept and dropped, for the
    manifest."""
    unlabelled = credits[["score", "votes", "year"]].isna().any(axis=1)
    kept = credits[~unlabelled]
    table = kept.assign(
        film_id=kept["film_id"].astype("int64"),
        year=kept["year"].astype("int64"),
        budget=kept["budget"].astype(float),
        genres=kept["genre"].map(lambda g: [g] if isinstance(g, str) else []),
        score=kept["score"].astype(float),
        votes=kept["votes"].astype(float),
        actor_id=kept["actor_id"].astype("int64"),
        director_id=kept["director_id"].astype("Int64"),
        bill_order=kept["role"].map(BILL_ORDER).astype("int64"),
        origin=kept["credited"].map({True: "credit", False: "nomination"}),
    )
    report = {
        "films": int(table["film_id"].nunique()),
        "films_dropped_without_score_votes_or_year": int(
            credits.loc[unlabelled, "film_id"].nunique()
        ),
        "rows": len(table),
        "credit_rows": int((table["origin"] == "credit").sum()),
        "nomination_rows": int((table["origin"] == "nomination").sum()),
    }
    return table[LONG_TABLE_COLUMNS].sort_values(
        ["year", "film_id", "actor_id", "role"], ignore_index=True
    ), report


def read_long_table(conn) -> tuple[pd.DataFrame, dict]:
    """The long table from the warehouse's casting credits (LONG_TABLE_RELATION)."""
    return build_long_table(
        read_frame(conn, sql.SQL("select * from {}").format(sql.Identifier(*LONG_TABLE_RELATION)))
    )
