"""One materialisation at a time, warehouse-wide.

Two runs that rebuild the same dbt models collide (`relation "..._dbt_backup" already
exists`) and each fails. `cinegraph materialize` and every Dagster step that runs dbt hold a
session-level PostgreSQL advisory lock on a connection of their own for as long as they run:
a second one exits at once, naming the run that holds it. The holder is named by that
connection's `application_name` and its start is the connection's, so nothing is left to
clean up when a holder dies: its session ends and the lock with it.

The Dagster runs that `cinegraph materialize` starts carry its run id in the `RUN_TAG` tag
and run under its lock instead of taking their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from orchestration import warehouse
from orchestration.settings import Connection

# pg_advisory_lock key of the materialisation lock ("cg-mater" in ASCII, as a bigint).
LOCK_KEY = int.from_bytes(b"cg-mater", "big")
APPLICATION_PREFIX = "cinegraph materialisation "
RUN_TAG = "cinegraph/materialisation"


class MaterializationBusy(RuntimeError):
    """Another materialisation holds the lock."""


@dataclass(frozen=True)
class Holder:
    run_id: str
    since: datetime

    def busy_message(self) -> str:
        return (
            f"another materialisation is running (run id {self.run_id}, "
            f"since {self.since:%Y-%m-%d %H:%M:%S %Z})"
        )


def current_holder(conn: Connection) -> Holder | None:
    """The materialisation holding the lock, or None when none runs."""
    db = warehouse.connect(conn)
    try:
        with db.cursor() as cur:
            # A bigint key is stored as (classid, objid) = (high, low 32 bits), objsubid 1.
            cur.execute(
                "select activity.application_name, activity.backend_start at time zone 'UTC' "
                "from pg_locks as lock "
                "join pg_stat_activity as activity on activity.pid = lock.pid "
                "where lock.locktype = 'advisory' and lock.granted and lock.objsubid = 1 "
                "and lock.database = (select oid from pg_database "
                "where datname = current_database()) "
                "and lock.classid::bigint = %s and lock.objid::bigint = %s",
                (LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF),
            )
            row = cur.fetchone()
    finally:
        db.close()
    if row is None:
        return None
    name, since = row
    run_id = name.removeprefix(APPLICATION_PREFIX) if name else "unknown"
    return Holder(run_id=run_id or "unknown", since=since.replace(tzinfo=UTC))


@contextmanager
def hold(conn: Connection, run_id: str) -> Iterator[None]:
    """Hold the lock as `run_id` for the body; MaterializationBusy at once when it is held."""
    # application_name is cut at 63 bytes: a Dagster run id (36) fits after the prefix.
    session = warehouse.connect(conn, application_name=APPLICATION_PREFIX + run_id)
    session.autocommit = True
    try:
        with session.cursor() as cur:
            cur.execute("select pg_try_advisory_lock(%s)", (LOCK_KEY,))
            if not cur.fetchone()[0]:
                holder = current_holder(conn)
                raise MaterializationBusy(
                    holder.busy_message() if holder else "another materialisation is running"
                )
        yield
    finally:
        # Ending the session releases the lock, also when the body failed.
        session.close()


def held_by(conn: Connection, run_id: str | None) -> bool:
    """Whether the lock is held by the materialisation `run_id` (the tag of a run it started)."""
    if not run_id:
        return False
    holder = current_holder(conn)
    return holder is not None and holder.run_id == run_id
