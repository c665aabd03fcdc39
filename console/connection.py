"""The console's warehouse connections: a small pool as the console's own least-privilege
role (`console_app`, migration 0011), shared by every session, and the one message a page
shows when the warehouse cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import streamlit as st
from psycopg2.pool import ThreadedConnectionPool

from orchestration.settings import settings

# Sessions run in threads; more than a few concurrent page runs on a laptop is unusual.
MAX_CONNECTIONS = 8
CONNECT_TIMEOUT_S = 5


class WarehouseUnreachable(RuntimeError):
    """The warehouse refused or did not answer: the page shows this, not a traceback."""


@st.cache_resource
def _pool() -> ThreadedConnectionPool:
    role = settings().console_app
    try:
        return ThreadedConnectionPool(
            1,
            MAX_CONNECTIONS,
            host=role.host,
            port=role.port,
            user=role.user,
            password=role.password,
            dbname=role.database,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="cinegraph-console",
        )
    except psycopg2.OperationalError as exc:
        raise WarehouseUnreachable(
            f"The warehouse at {role.host}:{role.port} is not reachable as {role.user} "
            f"({str(exc).strip().splitlines()[0]}). Start it with `cinegraph up` (or "
            "`cinegraph console`, which starts it), then reload this page."
        ) from None


@contextmanager
def connection() -> Iterator:
    """A pooled connection; whatever a read left open is rolled back when it is returned.
    A connection the server dropped is discarded, and the error is the unreachable message."""
    pool = _pool()
    conn = pool.getconn()
    broken = False
    try:
        yield conn
    except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
        broken = True
        raise WarehouseUnreachable(
            f"The warehouse stopped answering ({str(exc).strip().splitlines()[0]}). "
            "Check `cinegraph status`, then reload this page."
        ) from None
    finally:
        if not broken and not conn.closed:
            conn.rollback()
        pool.putconn(conn, close=broken or bool(conn.closed))
