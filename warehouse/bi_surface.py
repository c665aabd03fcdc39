"""What a BI user sees in the `marts` schema, read from the PostgreSQL catalogue: how many
of its columns carry a comment (dbt persist_docs, or COMMENT ON for Python-written tables),
and how many relations a role may select there. The benchmark (bench/bi.py) and the tests
measure the BI surface with these two queries."""

from __future__ import annotations

# Tables, views, materialised views, partitioned tables and foreign tables: what a BI
# tool lists. Every partition counts too, since a BI tool lists those as well.
RELATION_KINDS = ["r", "v", "m", "p", "f"]


def column_doc_share(conn, schema: str = "marts") -> tuple[int, int]:
    """(columns with a non-empty comment, all columns) of the relations in `schema`."""
    with conn.cursor() as cur:
        cur.execute(
            """
            select
                count(*) filter (
                    where coalesce(btrim(col_description(c.oid, a.attnum)), '') <> ''
                ),
                count(*)
            from pg_class as c
            inner join pg_namespace as n on c.relnamespace = n.oid
            inner join pg_attribute as a on a.attrelid = c.oid
            where n.nspname = %s and c.relkind = any(%s) and a.attnum > 0 and not a.attisdropped
            """,
            (schema, RELATION_KINDS),
        )
        commented, total = cur.fetchone()
    return commented, total


def undocumented_columns(conn, schema: str = "marts") -> list[tuple[str, str]]:
    """(relation, column) of every column in `schema` without a comment, for a failure message."""
    with conn.cursor() as cur:
        cur.execute(
            """
            select c.relname, a.attname
            from pg_class as c
            inner join pg_namespace as n on c.relnamespace = n.oid
            inner join pg_attribute as a on a.attrelid = c.oid
            where n.nspname = %s and c.relkind = any(%s) and a.attnum > 0 and not a.attisdropped
                and coalesce(btrim(col_description(c.oid, a.attnum)), '') = ''
            order by 1, a.attnum
            """,
            (schema, RELATION_KINDS),
        )
        return cur.fetchall()


def selectable_relations(conn, role: str, schema: str = "marts") -> int:
    """How many relations of `schema` `role` may select (what it lists in a BI tool)."""
    with conn.cursor() as cur:
        cur.execute(
            """
            select count(*)
            from pg_class as c
            inner join pg_namespace as n on c.relnamespace = n.oid
            where n.nspname = %(schema)s and c.relkind = any(%(kinds)s)
                and has_schema_privilege(%(role)s, n.oid, 'usage')
                and has_table_privilege(%(role)s, c.oid, 'select')
            """,
            {"schema": schema, "kinds": RELATION_KINDS, "role": role},
        )
        return cur.fetchone()[0]
