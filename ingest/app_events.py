"""The app's own tables in schema `app`: rating events entered after the MovieLens snapshot,
the users who made them, named cohorts and follows. Plain psycopg2, no Dagster.

Connectors (Letterboxd exports) load their events through `load_rating_events` too, so that
every event lands in one table with one contract; `fct_ratings` (dbt, monthly) reads it,
resolves films and users, and sends what it cannot use to `marts.rating_rejects` with the
reason.

- `app.users`: users who are not MovieLens users (MovieLens ids are users already). New
  ids are given from `APP_USER_ID_START` up, so they never collide with a MovieLens id.
- `app.rating_events`: one row per event as the source gave it. A film is named by
  whichever reference the source has: a MovieLens `movie_id`, an `imdb_id`, or a title and
  year (matched by normalised title and exact year). `rating` is kept as given (range and
  half-star grid are checked downstream, so a bad value becomes a reject with its reason,
  not a load error); it is null for a like or favourite without a rating. A load replaces
  every event of its (source, source_file), so loading one file twice changes nothing.
- `app.cohorts` / `app.cohort_members`: named cohorts (created from the CLI, a CSV or a
  connector), all written by `add_cohort_members`.
- `app.follows`: who follows whom ("me + the people I follow" cohorts).

The tables are created by the warehouse catalogue (`warehouse/migrations/0002_*.sql`) at
bootstrap; nothing here runs DDL.

Loader contract for connectors: build a frame with `EVENT_COLUMNS` (missing optional columns
may be omitted), call `load_rating_events(conn, frame, source, source_file)`; it returns
`LoadedEvents(rows, months)` where `months` are the rating months touched (as the monthly
partition keys 'YYYY-MM-01'), which the inbox sensor turns into partition runs. The dbt
sources for these tables are declared once, in models/intermediate/cohorts/_cohorts__sources.yml.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from psycopg2 import sql

from ingest.parsing import Conversion, read_delimited
from ingest.schema import MalformedFileError
from warehouse.io import copy_frame

APP_USER_ID_START = 1_000_000
# The first day of the first monthly ratings partition (MovieLens starts in 1995): an event
# before it would reach no partition.
RATINGS_START = "1995-01-01"
INBOX_SOURCE = "inbox"
# Ids are PostgreSQL integers: a larger one is a typo, refused at read with its line.
MAX_ID = 2**31 - 1
MOVIELENS_FILE_COLUMNS = ["userId", "movieId", "rating", "timestamp"]
# Every event field, as in `app.rating_events`; the loader fills the optional ones with their
# defaults (null, or false for the flags).
EVENT_COLUMNS = (
    "source_row",
    "user_id",
    "movie_id",
    "imdb_id",
    "film_title",
    "film_year",
    "rating",
    "liked",
    "favorite",
    "rewatch",
    "event_at",
)


@dataclass(frozen=True)
class LoadedEvents:
    rows: int
    months: list[str]


def rating_months(event_at: pd.Series) -> list[str]:
    """The monthly partition keys ('YYYY-MM-01') that a set of event times falls in."""
    months = pd.to_datetime(event_at, utc=True).dt.tz_localize(None).dt.to_period("M")
    return sorted({period.start_time.strftime("%Y-%m-%d") for period in months})


def read_movielens_file(path: Path) -> pd.DataFrame:
    """A MovieLens-format ratings file (`userId,movieId,rating,timestamp`) as event rows.

    The file is all or nothing: any record that does not split or type raises
    `MalformedFileError` with its line number (the header is line 1). Values that type but
    are not valid ratings (7 stars, 3.3 stars) are kept: they become rejects with a reason.
    """
    try:
        records = read_delimited(path, required=MOVIELENS_FILE_COLUMNS)
    except MalformedFileError:
        raise
    except ValueError as error:  # a missing column or an empty file
        raise MalformedFileError(path, 1, str(error).removeprefix(f"{path}: ")) from error
    conversion = Conversion(records)
    frame = pd.DataFrame(
        {
            "source_row": records.frame.index.to_series(),
            "user_id": conversion.integer("userId", minimum=1, maximum=MAX_ID),
            "movie_id": conversion.integer("movieId", minimum=1, maximum=MAX_ID),
            "rating": conversion.number("rating"),
            "event_at": conversion.unix_time("timestamp"),
        }
    )
    for column in MOVIELENS_FILE_COLUMNS:
        conversion.require(column)
    failures = pd.concat(
        [
            records.rejects.set_index("row_number")["reason"],
            conversion.reason.dropna(),
        ]
    ).sort_index()
    if not failures.empty:
        record = int(failures.index[0])
        text = records.raw_text[record]
        # Record n is line n + 1 of the file (the header is line 1; blank lines are skipped).
        raise MalformedFileError(path, record + 1, f"{failures.iloc[0]} in {text!r}")
    return frame.reset_index(drop=True)


def load_rating_events(
    conn, frame: pd.DataFrame, source: str, source_file: str, *, commit: bool = True
) -> LoadedEvents:
    """Replace the events of (source, source_file) with `frame`, in one transaction (the
    caller's, with `commit=False`)."""
    staged = frame.reindex(columns=list(EVENT_COLUMNS))
    for flag in ("liked", "favorite", "rewatch"):
        staged[flag] = staged[flag].astype("boolean").fillna(False).astype(bool)
    staged.insert(0, "source_file", source_file)
    staged.insert(0, "source", source)
    target = sql.Identifier("app", "rating_events")
    try:
        with conn.cursor() as cur:
            cur.execute(
                "delete from app.rating_events where source = %s and source_file = %s",
                (source, source_file),
            )
            copy_frame(cur, target, staged)
        if commit:
            conn.commit()
    except Exception:
        conn.rollback()
        raise
    return LoadedEvents(rows=len(staged), months=rating_months(staged["event_at"]))


def register_user(conn, handle: str, source: str, *, commit: bool = True) -> int:
    """The app user id of `handle`, created on first use (ids from APP_USER_ID_START up);
    with `commit=False` the caller commits."""
    with conn.cursor() as cur:
        # The lock makes concurrent first registrations take distinct ids.
        cur.execute("lock table app.users in share row exclusive mode")
        cur.execute("select user_id from app.users where handle = %s", (handle,))
        row = cur.fetchone()
        if row is None:
            cur.execute(
                "insert into app.users (user_id, handle, source) "
                "select greatest(%s, coalesce(max(user_id) + 1, %s)), %s, %s from app.users "
                "returning user_id",
                (APP_USER_ID_START, APP_USER_ID_START, handle, source),
            )
            row = cur.fetchone()
    if commit:
        conn.commit()
    return row[0]


def add_cohort_members(
    conn, name: str, user_ids: list[int], description: str = "", *, commit: bool = True
) -> int:
    """Create cohort `name` when absent (a non-empty description replaces the stored one) and
    add the users to it, in one transaction; returns the cohort's member count.

    The one writer of `app.cohorts`: the CLI's cohorts and the connectors' (Letterboxd) both
    come through here.
    """
    try:
        with conn.cursor() as cur:
            cur.execute(
                "insert into app.cohorts (cohort_name, description) values (%s, %s) "
                "on conflict (cohort_name) do update set description = "
                "coalesce(nullif(excluded.description, ''), app.cohorts.description)",
                (name, description),
            )
            cur.execute(
                "insert into app.cohort_members (cohort_name, user_id) "
                "select %s, unnest(%s::integer[]) on conflict do nothing",
                (name, list(user_ids)),
            )
            cur.execute("select count(*) from app.cohort_members where cohort_name = %s", (name,))
            count = cur.fetchone()[0]
        if commit:
            conn.commit()
    except Exception:
        conn.rollback()
        raise
    return count


def csv_user_ids(text: str) -> list[int]:
    """User ids from a cohort CSV: a `user_id` column, one id per line."""
    reader = csv.DictReader(io.StringIO(text))
    if "user_id" not in (reader.fieldnames or []):
        raise ValueError(f"a cohort CSV needs a user_id column; found {reader.fieldnames}")
    ids = []
    for line, row in enumerate(reader, start=2):
        value = (row["user_id"] or "").strip()
        if not value.isdigit():
            raise ValueError(f"line {line}: user_id {value!r} is not a whole number")
        ids.append(int(value))
    return ids
