"""Resources shared by every domain: the warehouse connection and the dbt CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import psycopg2

from orchestration.dbt_project import dbt_resource
from orchestration.settings import Settings, export_connection_env, settings


class WarehouseResource(dg.ConfigurableResource):
    """The PostgreSQL warehouse. Python assets write through it, never through an IO manager."""

    host: str
    port: int
    user: str
    database: str
    password: str = ""

    @contextmanager
    def connection(self) -> Iterator[psycopg2.extensions.connection]:
        conn = psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            dbname=self.database,
            password=self.password or None,
        )
        try:
            yield conn
        finally:
            conn.close()


def warehouse_resource(config: Settings) -> WarehouseResource:
    conn = config.warehouse
    # The password is read from the environment at run time so it never appears in the UI.
    password = dg.EnvVar("CINEGRAPH_PGPASSWORD") if conn.password else ""
    return WarehouseResource(
        host=conn.host, port=conn.port, user=conn.user, database=conn.database, password=password
    )


def shared_resources() -> dict:
    config = settings()
    export_connection_env(config)
    return {"warehouse": warehouse_resource(config), "dbt": dbt_resource()}
