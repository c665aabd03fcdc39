"""The person-quality tables in the warehouse: their columns, reads and transactional writes.

The tables are the warehouse catalogue's (`warehouse/migrations/0006_ml_people_scores.sql`),
created at bootstrap in schema `ml`; their measure and component columns follow the seeds, and
a seed that changes them needs a migration. A full write truncates a table and copies the new
rows in; an incremental write deletes the rows of the recomputed keys and inserts their new
rows. Callers run every write of one refresh in one transaction. dbt exposes them to BI as
the marts of the same names (through the `stg_ml__*` views).

percentile_rank is set in SQL after the rows are written (cume_dist within the role: the
share of the role's people at or below the score), so a full and an incremental refresh
rank the same way, and only ranks that moved are updated.
"""

from __future__ import annotations

import pandas as pd
from psycopg2 import sql

from ml.people.config import PeopleConfig
from warehouse.io import copy_frame, read_frame

SCHEMA = "ml"
PQS_TABLE = "person_quality_scores"
ASOF_TABLE = "person_quality_asof"
GRAVITAS_TABLE = "movie_gravitas_scores"
GRAVITAS_ASOF_TABLE = "movie_gravitas_asof"
STATE = ("ml", "people_input_state")
INTEGER_MEASURES = ("films_analyzed", "first_year", "last_year")
# Added by migration 0011, hence at the end of the tables.
AWARD_ERA_COLUMNS = {"award_eligible_share": "float8"}


def _score_columns(config: PeopleConfig) -> dict[str, str]:
    return {
        **{name: "integer" for name in INTEGER_MEASURES},
        **{measure.name: "float8" for measure in config.measures},
        **{f"{component}_score": "float8" for component in config.components},
        "total_pqs": "float8 not null",
        "weight_coverage": "float8 not null",
    }


def pqs_columns(config: PeopleConfig) -> dict[str, str]:
    return {
        "person_id": "bigint not null",
        "role": "text not null",
        **_score_columns(config),
        "percentile_rank": "float8",
        "calculation_version": "text not null",
        "calculated_at": "timestamptz not null",
        "valid_until": "timestamptz not null",
        **AWARD_ERA_COLUMNS,
    }


def asof_columns(config: PeopleConfig) -> dict[str, str]:
    return {
        "person_id": "bigint not null",
        "role": "text not null",
        "year": "integer not null",
        "as_of_year": "integer not null",
        **_score_columns(config),
        "pqs": "float8 not null",
        "calculation_version": "text not null",
        "calculated_at": "timestamptz not null",
        **AWARD_ERA_COLUMNS,
    }


def gravitas_columns(config: PeopleConfig, as_of: bool = False) -> dict[str, str]:
    components = {}
    for row in config.gravitas.itertuples():
        components[f"{row.component}_pqs"] = "float8"
        if row.weight > 0:
            components[f"{row.component}_weight"] = "float8"
    return {
        "film_id": "bigint not null",
        **({"release_year": "integer not null"} if as_of else {}),
        **components,
        "total_gravitas_score": "float8 not null",
        "components_present": "text[] not null",
        "people_count": "integer not null",
        "components_hash": "text not null",
        "calculation_version": "text not null",
        "calculated_at": "timestamptz not null",
    }


STATE_COLUMNS = {
    "unit_key": "text not null",
    "unit": "text not null",
    "unit_id": "bigint not null",
    "input_hash": "text not null",
    "people": "bigint[]",
    "calculation_version": "text not null",
}


def _array_literal(values) -> str | None:
    """A Postgres array literal; anything that is not a list (None, NaN) is null."""
    return "{" + ",".join(map(str, values)) + "}" if isinstance(values, list) else None


def _copyable(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The frame's `columns`, integers as nullable integers and arrays as array literals."""
    out = frame[list(columns)].copy()
    for column, kind in columns.items():
        if kind.startswith("integer"):
            out[column] = out[column].astype("Int64")
        elif "[]" in kind:
            out[column] = out[column].map(_array_literal)
    return out


def write_rows(
    cur,
    schema: str,
    name: str,
    columns: dict[str, str],
    frame: pd.DataFrame,
    replace: tuple[str, list] | None = None,
) -> None:
    """Write `frame`: the whole table when `replace` is None, else in place of the rows whose
    `replace[0]` column is one of `replace[1]`."""
    table = sql.Identifier(schema, name)
    if replace is None:
        cur.execute(sql.SQL("truncate {}").format(table))
    else:
        column, values = replace
        cur.execute(
            sql.SQL("delete from {} where {} = any(%s)").format(table, sql.Identifier(column)),
            (list(values),),
        )
    copy_frame(cur, table, _copyable(frame, columns))


def update_percentile_ranks(cur) -> int:
    """Set percentile_rank where it moved; return how many rows moved."""
    cur.execute(
        sql.SQL("""
        update {table} as scores
        set percentile_rank = ranked.percentile_rank
        from (
            select person_id, role,
                cume_dist() over (partition by role order by total_pqs) as percentile_rank
            from {table}
        ) as ranked
        where scores.person_id = ranked.person_id and scores.role = ranked.role
            and scores.percentile_rank is distinct from ranked.percentile_rank
    """).format(table=sql.Identifier(SCHEMA, PQS_TABLE))
    )
    return cur.rowcount


def read_state(conn, calculation_version: str) -> pd.DataFrame | None:
    """The fingerprints of the last calculation; None when there is none of this version,
    which makes the next refresh a full one."""
    state = read_frame(
        conn,
        sql.SQL("select unit_key, unit, unit_id, input_hash, calculation_version from {}").format(
            sql.Identifier(*STATE)
        ),
    )
    if state.empty or set(state["calculation_version"]) != {calculation_version}:
        return None
    return state.drop(columns="calculation_version")


def read_state_people(conn, unit_keys: list[str]) -> set[int]:
    """The people the last calculation had credited on these films."""
    frame = read_frame(
        conn,
        sql.SQL("select unnest(people) as person_id from {} where unit_key = any(%s)").format(
            sql.Identifier(*STATE)
        ),
        (unit_keys,),
    )
    return set(frame["person_id"].tolist())


def read_stored_scores(conn) -> pd.DataFrame:
    """person_id, role, total_pqs, peer_centrality of the stored current scores."""
    return read_frame(
        conn,
        sql.SQL("select person_id, role, total_pqs, peer_centrality from {}").format(
            sql.Identifier(SCHEMA, PQS_TABLE)
        ),
    )


def read_stored_films(conn) -> set[int]:
    frame = read_frame(
        conn, sql.SQL("select film_id from {}").format(sql.Identifier(SCHEMA, GRAVITAS_TABLE))
    )
    return set(frame["film_id"].tolist())
