"""Hostile CLI calls, replayed in-process through `orchestration.cli.main` on the bench warehouse.

hostile_inputs_tried    calls made: every command with bad dates, ratings, numbers and ids,
                        SQL injection, empty, huge and control-character strings in every
                        text argument, unknown users, films and cohorts, unknown options
hostile_inputs_unclear  calls that ended unclearly (target 0): a traceback, a failure whose
                        stderr is not one line, exit 0 for an invalid input, or a row written
                        to an `app` table (or a relation gone) for an invalid input
cli_help_s, cli_status_s  wall time of `cinegraph --help` / `cinegraph status` as a new
                        process, median of 3 (target < 1)

Bounded and local: no network, no materialisation (on an unmaterialised warehouse the read
commands must say so in one line too). `up`, `down`, `materialize` and `ui` get only calls
that argparse refuses, so the warehouse stays up and nothing runs.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse

REPEATS = 3
INJECTIONS = [
    "'; drop table app.rating_events; --",
    "all' or '1'='1",
    "1); delete from app.cohorts; --",
    "$$; select pg_sleep(5); $$",
]
BAD_TEXT = ["", "   ", "x" * 100_000, "a\x00b", "line\nbreak"]
BAD_COUNTS = ["0", "-1", "99999999999999999999", "1e3", "abc", ""]
BAD_DATES = ["2016-02-30", "2016-13-01", "", "yesterday", "99999-01-01", "2016-1-1"]
BAD_RATINGS = ["1e308", "nan", "inf", "-inf", "3.3", "0", "-1", "5.5", "", "four"]
BAD_TIMES = ["", "not a time", "1900-01-01", "2999-01-01", "2016-02-30T10:00"]
UNKNOWN_USER, UNKNOWN_ID = "1999999999", "2147483000"

# Each command: a valid call, and its options by the kind of value they take.
COMMANDS = {
    ("rankings",): {
        "text": ["--cohort", "--strategy", "--list", "--person"],
        "count": ["--top", "--released-from", "--decade"],
        "date": ["--rated-from", "--rated-to"],
    },
    ("divergences",): {"text": ["--cohort"], "count": ["--min-raters", "--limit"]},
    ("people",): {"text": ["--cohort", "--role"], "count": ["--limit"]},
    ("activity",): {"text": ["--cohort"], "count": ["--days", "--limit"]},
    ("digest",): {"text": ["--cohort"], "date": ["--week"]},
    ("overlap",): {"text": ["--strategy"], "count": ["--top"]},
    ("contrast", "--loved-by", "all", "--disliked-by", "all"): {
        "text": ["--loved-by", "--disliked-by", "--strategy"],
        "count": ["--min-raters", "--limit"],
    },
    ("predict", "--user", "15", "--film-id", "1"): {
        "text": ["--cohort"],
        "count": ["--user", "--film-id"],
    },
    ("rate", "--user", "15", "--movie-id", "1", "--rating", "4"): {
        "text": ["--imdb-id"],
        "count": ["--user", "--movie-id", "--year"],
        "rating": ["--rating"],
        "time": ["--at"],
    },
    ("cohorts", "create", "--name", "hostile", "--members", "15"): {
        "text": ["--name", "--members", "--csv"],
    },
    ("cohorts", "delete", "--name", "hostile-none"): {"text": ["--name"]},
    ("cohorts", "follow", "--user", "15", "--members", "73"): {
        "text": ["--members"],
        "count": ["--user"],
    },
    ("cohorts", "unfollow", "--user", "15", "--members", "73"): {
        "text": ["--members"],
        "count": ["--user"],
    },
    ("metrics", "list"): {"text": ["--category"]},
    ("metrics", "normalize", "imdb_rating", "7"): {},
    ("metrics", "coverage"): {"text": ["--level"]},
    ("score", "tt0120338"): {"text": ["--profile"]},
    ("search",): {
        "text": ["--min", "--max", "--min-raw", "--max-raw", "--profile"],
        "count": ["--limit"],
    },
    ("pqs", "top"): {"text": ["--role"], "count": ["-n"]},
    ("slate", "--year", "2000", "--budget", "10", "--genres", "Drama"): {
        "text": ["--genres", "--director"],
        "count": ["--year", "--bill-order", "-n"],
    },
    ("ui",): {"count": ["--port"]},
}
BAD_VALUES = {
    "text": INJECTIONS + BAD_TEXT,
    "count": BAD_COUNTS,
    "date": BAD_DATES,
    "rating": BAD_RATINGS,
    "time": BAD_TIMES,
}
# Invalid calls that are not one bad option value.
WHOLE_CALLS = [
    ["rankings", "--cohort", "follows:999999"],
    ["rankings", "--person", "Nobody Atall"],
    ["activity", "--cohort", "cluster:99"],
    ["predict", "--user", UNKNOWN_USER, "--film-id", "1"],
    ["predict", "--user", "15", "--film-id", UNKNOWN_ID],
    ["rate", "--user", UNKNOWN_USER, "--movie-id", "1", "--rating", "4"],
    ["rate", "--user", "15", "--movie-id", UNKNOWN_ID, "--rating", "4"],
    ["rate", "--user", "15", "--imdb-id", "tt9999999999", "--rating", "4"],
    ["rate", "--user", "15", "--movie-id", "1"],
    ["rate", "--user", "15", "--title", "Toy Story", "--rating", "4"],
    ["rate", "--user", "15", "--rating", "4"],
    ["cohorts", "create", "--name", "hostile", "--members", UNKNOWN_USER],
    ["cohorts", "create", "--name", "all", "--members", "15"],
    ["cohorts", "create", "--name", "Bad Name", "--members", "15"],
    ["cohorts", "create", "--name", "hostile", "--csv", "/nonexistent.csv"],
    ["cohorts", "create", "--name", "hostile", "--csv", "/"],
    ["cohorts", "create"],
    ["cohorts", "follow", "--user", "15", "--members", UNKNOWN_USER],
    ["cohorts", "follow", "--user", UNKNOWN_USER, "--members", "15"],
    ["cohorts", "drop"],
    ["score", "no such film at all"],
    ["gravitas", "no such film at all"],
    ["person", "Nobody Atall"],
    ["metrics", "normalize", "imdb_ratin", "7"],
    ["search", "--min", "popularity=x"],
    ["search", "--min", "nonsense"],
    ["up", "--bogus"],
    ["down", "now"],
    ["status", "--bogus"],
    ["materialize", "--bogus"],
    ["sources", "extra"],
    ["nonsense-command"],
    [],
]
APP_TABLES = ["users", "rating_events", "cohorts", "cohort_members", "follows"]


def cases() -> list[list[str]]:
    calls = [list(call) for call in WHOLE_CALLS]
    for base, kinds in COMMANDS.items():
        calls.append([*base, "--no-such-option"])
        for kind, options in kinds.items():
            for option in options:
                calls.extend(_with(base, option, value) for value in BAD_VALUES[kind])
    return calls


def _with(base: tuple[str, ...], option: str, value: str) -> list[str]:
    """`base` with `option` set to `value` (replacing its value when base gives one)."""
    call = list(base)
    if option in call:
        call[call.index(option) + 1] = value
        return call
    return [*call, option, value]


def app_state(conn) -> tuple:
    """Row counts of the app tables and the number of relations the project owns."""
    with conn.cursor() as cur:
        counts = []
        for table in APP_TABLES:
            cur.execute(f"select count(*) from app.{table}")  # names from the fixed list above
            counts.append(cur.fetchone()[0])
        cur.execute(
            "select count(*) from pg_class join pg_namespace on relnamespace = pg_namespace.oid "
            "where nspname in ('raw', 'staging', 'intermediate', 'marts', 'app', 'ml')"
        )
        counts.append(cur.fetchone()[0])
    conn.rollback()
    return tuple(counts)


def attempt(argv: list[str]) -> tuple[int | None, str, str | None]:
    """Run one call in-process: (exit code, stderr, traceback or None)."""
    from orchestration.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except Exception as exc:
            return None, err.getvalue(), traceback.format_exception_only(exc)[-1]
    return code, err.getvalue(), None


def verdict(conn, argv: list[str]) -> str | None:
    """Why the call ended unclearly, or None when it was refused cleanly."""
    before = app_state(conn)
    code, stderr, trace = attempt(argv)
    if trace is not None:
        return "traceback: " + trace.strip().splitlines()[0][:150]
    if app_state(conn) != before:
        return "wrote to the warehouse"
    if code == 0:
        return "exit 0 for an invalid input"
    if len(stderr.strip().splitlines()) != 1:
        return f"stderr is {len(stderr.strip().splitlines())} lines"
    return None


def wall_s(argv: list[str]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def run() -> dict[str, float]:
    conn = started_warehouse()
    calls = cases()
    unclear = []
    try:
        for argv in calls:
            reason = verdict(conn, argv)
            if reason:
                unclear.append((argv, reason))
    finally:
        conn.close()
    for argv, reason in unclear:
        shown = " ".join(a if len(a) < 40 else a[:37] + "..." for a in argv)
        print(f"unclear: cinegraph {shown!r}: {reason}", file=sys.stderr)
    cinegraph = str(Path(sys.executable).with_name("cinegraph"))
    return {
        "hostile_inputs_tried": len(calls),
        "hostile_inputs_unclear": len(unclear),
        "cli_help_s": wall_s([cinegraph, "--help"]),
        "cli_status_s": wall_s([cinegraph, "status"]),
    }
