"""Typed column schemas and exact row counts of built relations, in two queries on one
connection.

dagster-dbt's fetchers query the catalogue model by model, each on a new connection with its
own password authentication: 20 s of a cold build's largest `dbt build`, for about a hundred
models. The types are PostgreSQL's own spelling (`format_type`: `numeric(6,3)`, `text[]`).
"""

from collections import defaultdict
from collections.abc import Iterable

import dagster as dg
from psycopg2 import sql

Relation = tuple[str, str]

COLUMNS = """
select namespace.nspname, class.relname, class.relkind, attribute.attname,
    format_type(attribute.atttypid, attribute.atttypmod)
from pg_attribute as attribute
inner join pg_class as class on class.oid = attribute.attrelid
inner join pg_namespace as namespace on namespace.oid = class.relnamespace
where attribute.attnum > 0 and not attribute.attisdropped
    and (namespace.nspname, class.relname) in (select * from unnest(%s::text[], %s::text[]))
order by namespace.nspname, class.relname, attribute.attnum
"""
# Tables, partitioned tables and materialised views hold their rows; counting a view would run
# its query.
COUNTED_KINDS = {"r", "p", "m"}


def relation_metadata(
    conn, relations: Iterable[Relation], count_rows: bool
) -> dict[Relation, dict[str, object]]:
    """`dagster/column_schema` (and `dagster/row_count` for tables, when `count_rows`) of
    each `(schema, name)` that exists."""
    wanted = sorted(set(relations))
    columns: dict[Relation, list[dg.TableColumn]] = defaultdict(list)
    counted: set[Relation] = set()
    with conn.cursor() as cur:
        cur.execute(COLUMNS, ([schema for schema, _ in wanted], [name for _, name in wanted]))
        for schema, name, kind, column, data_type in cur.fetchall():
            columns[(schema, name)].append(dg.TableColumn(column, data_type))
            if count_rows and kind in COUNTED_KINDS:
                counted.add((schema, name))
        counts = row_counts(cur, sorted(counted))
    return {
        relation: {
            "dagster/column_schema": dg.TableSchema(columns=found),
            **({"dagster/row_count": counts[relation]} if relation in counts else {}),
        }
        for relation, found in columns.items()
    }


def row_counts(cur, relations: list[Relation]) -> dict[Relation, int]:
    """Exact `count(*)` of each table in `relations`, in one statement."""
    if not relations:
        return {}
    counts = sql.SQL(" union all ").join(
        sql.SQL("select {}, count(*) from {}").format(sql.Literal(index), sql.Identifier(*rel))
        for index, rel in enumerate(relations)
    )
    cur.execute(counts)
    return {relations[index]: rows for index, rows in cur.fetchall()}
