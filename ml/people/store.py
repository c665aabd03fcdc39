"""The person-quality tables in the warehouse: their columns, reads and transactional writes.

The tables live in schema `ml`; dbt exposes them to BI as the marts of the same names
(through the `stg_ml__*` views). A full write empties a table and inserts every row, or,
when a full recompute changed its columns (they follow the seeds), drops and recreates it,
taking the staging view with it until dbt's next run rebuilds the view. An incremental
write deletes the rows of the recomputed keys and inserts their new rows. Callers run every
write of one refresh in one transaction.
percentile_rank is set in SQL after the rows are written (cume_dist within the role: the
share of the role's people at or below the score), so a full and an incremental refresh
rank the same way, and only ranks that moved are updated.
"""

from __future__ import annotations

import pandas as pd
from psycopg2 import sql

from ingest.loader import copy_frame
from ml.frames import read_frame
from ml.people.config import PeopleConfig

SCHEMA = "ml"
PQS_TABLE = "person_quality_scores"
ASOF_TABLE = "person_quality_asof"
GRAVITAS_TABLE = "movie_gravitas_scores"
GRAVITAS_ASOF_TABLE = "movie_gravitas_asof"
STATE = ("ml", "people_input_state")
INTEGER_MEASURES = ("films_analyzed", "first_year", "last_year")


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
        "person_id": "bigint not null", "role": "text not null", **_score_columns(config),
        "percentile_rank": "float8", "calculation_version": "text not null",
        "calculated_at": "timestamptz not null", "valid_until": "timestamptz not null",
    }


def asof_columns(config: PeopleConfig) -> dict[str, str]:
    return {
        "person_id": "bigint not null", "role": "text not null", "year": "integer not null",
        "as_of_year": "integer not null", **_score_columns(config), "pqs": "float8 not null",
        "calculation_version": "text not null", "calculated_at": "timestamptz not null",
    }


def gravitas_columns(config: PeopleConfig, as_of: bool = False) -> dict[str, str]:
    components = {}
    for row in config.gravitas.itertuples():
        components[f"{row.component}_pqs"] = "float8"
        if row.weight > 0:
            components[f"{row.component}_weight"] = "float8"
    return {
        "film_id": "bigint not null", **({"release_year": "integer not null"} if as_of else {}),
        **components, "total_gravitas_score": "float8 not null", "components_present": "text[] not null",
        "people_count": "integer not null", "components_hash": "text not null",
        "calculation_version": "text not null", "calculated_at": "timestamptz not null",
    }


STATE_COLUMNS = {
    "unit_key": "text not null", "unit": "text not null", "unit_id": "bigint not null",
    "input_hash": "text not null", "people": "bigint[]", "calculation_version": "text not null",
}
KEYS = {PQS_TABLE: ["person_id", "role"], ASOF_TABLE: ["person_id", "role", "year"],
        GRAVITAS_TABLE: ["film_id"], GRAVITAS_ASOF_TABLE: ["film_id"], STATE[1]: ["unit_key"]}


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


def _create(cur, table: sql.Identifier, name: str, columns: dict[str, str]) -> None:
    definitions = [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(kind)) for c, kind in columns.items()]
    key = sql.SQL(", ").join(map(sql.Identifier, KEYS[name]))
    cur.execute(sql.SQL("create table if not exists {} ({}, primary key ({}))").format(
        table, sql.SQL(", ").join(definitions), key
    ))


def _empty(cur, schema: str, name: str, columns: list[str]) -> None:
    """Empty the table when its columns are `columns`, else drop it (and the views on it)."""
    cur.execute(
        "select column_name from information_schema.columns "
        "where table_schema = %s and table_name = %s order by ordinal_position",
        (schema, name),
    )
    stored = [row[0] for row in cur.fetchall()]
    table = sql.Identifier(schema, name)
    if stored == columns:
        cur.execute(sql.SQL("truncate {}").format(table))
    elif stored:
        cur.execute(sql.SQL("drop table {} cascade").format(table))


def write_rows(
    cur, schema: str, name: str, columns: dict[str, str], frame: pd.DataFrame,
    replace: tuple[str, list] | None = None,
) -> None:
    """Write `frame`: the whole table when `replace` is None, else in place of the rows whose
    `replace[0]` column is one of `replace[1]`."""
    table = sql.Identifier(schema, name)
    if replace is None:
        _empty(cur, schema, name, list(columns))
    _create(cur, table, name, columns)
    if replace is not None:
        column, values = replace
        cur.execute(sql.SQL("delete from {} where {} = any(%s)").format(table, sql.Identifier(column)),
                    (list(values),))
    copy_frame(cur, table, _copyable(frame, columns))


def update_percentile_ranks(cur) -> int:
    """Set percentile_rank where it moved; return how many rows moved."""
    cur.execute(sql.SQL("""
        update {table} as scores
        set percentile_rank = ranked.percentile_rank
        from (
            select person_id, role,
                cume_dist() over (partition by role order by total_pqs) as percentile_rank
            from {table}
        ) as ranked
        where scores.person_id = ranked.person_id and scores.role = ranked.role
            and scores.percentile_rank is distinct from ranked.percentile_rank
    """).format(table=sql.Identifier(SCHEMA, PQS_TABLE)))
    return cur.rowcount


def _exists(cur, schema: str, name: str) -> bool:
    cur.execute("select to_regclass(%s)", (f"{schema}.{name}",))
    return cur.fetchone()[0] is not None


def read_state(conn, calculation_version: str) -> pd.DataFrame | None:
    """The fingerprints of the last calculation; None when there is none of this version
    (or no stored scores), which makes the next refresh a full one."""
    with conn.cursor() as cur:
        if not all(_exists(cur, s, n) for s, n in (STATE, (SCHEMA, PQS_TABLE), (SCHEMA, GRAVITAS_TABLE))):
            return None
    state = read_frame(conn, sql.SQL("select unit_key, unit, unit_id, input_hash, calculation_version from {}")
                       .format(sql.Identifier(*STATE)))
    if state.empty or set(state["calculation_version"]) != {calculation_version}:
        return None
    return state.drop(columns="calculation_version")


def read_state_people(conn, unit_keys: list[str]) -> set[int]:
    """The people the last calculation had credited on these films."""
    frame = read_frame(conn, sql.SQL("select unnest(people) as person_id from {} where unit_key = any(%s)")
                       .format(sql.Identifier(*STATE)), (unit_keys,))
    return set(frame["person_id"].tolist())


def read_stored_scores(conn) -> pd.DataFrame:
    """person_id, role, total_pqs, peer_centrality of the stored current scores."""
    return read_frame(conn, sql.SQL("select person_id, role, total_pqs, peer_centrality from {}")
                      .format(sql.Identifier(SCHEMA, PQS_TABLE)))


def read_stored_films(conn) -> set[int]:
    frame = read_frame(conn, sql.SQL("select film_id from {}").format(sql.Identifier(SCHEMA, GRAVITAS_TABLE)))
    return set(frame["film_id"].tolist())
