"""A reader that polls relations through its own connection and records when any was missing:
what a BI tool sees during a run (the views benchmark and the tests of kept views use it)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import psycopg2
from psycopg2 import errors, sql


class RelationPoller(threading.Thread):
    """`select 1` from each of `relations` ("schema.name") every `interval_s`, until `stop()`.

    `missing_s` sums the polling intervals in which some relation did not exist; `deadlocks`
    counts the reads PostgreSQL cancelled to break a deadlock with a rebuild (a known race, see
    docs/warehouse.md); `errors` keeps every other error, by message."""

    def __init__(
        self,
        connect: Callable[[], psycopg2.extensions.connection],
        relations: list[str],
        interval_s: float = 0.1,
    ):
        super().__init__(daemon=True)
        self._connect = connect
        self._queries = [
            sql.SQL("select 1 from {} limit 1").format(sql.Identifier(*name.split(".", 1)))
            for name in relations
        ]
        self._interval_s = interval_s
        self._stopping = threading.Event()
        self.polls = 0
        self.missing_s = 0.0
        self.missing: set[str] = set()
        self.errors: set[str] = set()
        self.deadlocks = 0

    def run(self) -> None:
        conn = self._connect()
        conn.autocommit = True
        try:
            last = time.monotonic()
            while not self._stopping.is_set():
                absent = self._poll(conn)
                now = time.monotonic()
                if absent:
                    self.missing |= absent
                    self.missing_s += now - last
                last = now
                self.polls += 1
                self._stopping.wait(self._interval_s)
        finally:
            conn.close()

    def _poll(self, conn) -> set[str]:
        absent = set()
        with conn.cursor() as cur:
            for query in self._queries:
                try:
                    cur.execute(query)
                except errors.UndefinedTable as exc:
                    absent.add(str(exc).splitlines()[0])
                except errors.DeadlockDetected:
                    self.deadlocks += 1
                except psycopg2.Error as exc:
                    self.errors.add(str(exc).splitlines()[0])
        return absent

    def stop(self) -> RelationPoller:
        self._stopping.set()
        self.join()
        return self
