"""The companion's tables: conversations, taste profiles, the refresh queue and the picks.

Plain psycopg2, no Dagster: the assets and the serving API both go through here. The tables
are the warehouse catalogue's (`warehouse/migrations/0009_companion.sql`); PostgreSQL
triggers on `app.rating_events` and `app.conversations` fill the queue.

A refresh replaces some users' picks and profiles and deletes their queue rows in one
transaction, holding a transaction-scoped advisory lock per user: two refreshes of the same
user run one after the other, and a crash before the commit leaves the previous picks. A
queue row is deleted only if it is not newer than the refresh's snapshot, so an event that
arrives while picks are computed queues the user again.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from psycopg2 import sql
from psycopg2.extras import Json

from ml.companion.conversation.offline import Vocabulary
from ml.companion.conversation.schema import Extraction
from ml.companion.picks import PICK_COLUMNS, PickParams
from ml.companion.training import TrainedModel
from warehouse.io import copy_frame, read_frame

# pg_advisory_xact_lock(namespace, user_id): the namespace is "pick" in ASCII.
PICKS_LOCK_NAMESPACE = 0x7069636B
STALE_AFTER = pd.Timedelta(hours=1)
PICKS = sql.Identifier("ml", "personal_picks")


@dataclass
class ServingModel:
    """What a refresh needs from the nightly run: the model refitted on every rating, the
    item neighbours and the pick parameters chosen on validation."""

    trained: TrainedModel
    neighbours: pd.DataFrame
    pick_params: PickParams
    run_id: str

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.run_id}.pkl"
        partial = path.with_suffix(".partial")
        with partial.open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # a reader never sees half a file
        return path

    @staticmethod
    def load(path: Path) -> ServingModel:
        with Path(path).open("rb") as handle:
            return pickle.load(handle)  # our own artifact, written by ServingModel.save


# -- the queue ---------------------------------------------------------------------------------


def queued(conn, limit: int | None = None) -> pd.DataFrame:
    """The refresh queue, oldest first: user_id, trigger_type, film_id, queued_at."""
    return read_frame(
        conn,
        "select user_id, trigger_type, film_id, queued_at "
        "from app.recommendation_refresh_queue order by queued_at, user_id limit %s",
        (limit,),
    )


def enqueue(conn, user_id: int, trigger_type: str, film_id: int | None = None) -> None:
    """Queue a refresh (the triggers do it for ratings and conversations); commits."""
    with conn.cursor() as cur:
        cur.execute("select app.enqueue_refresh(%s, %s, %s)", (user_id, trigger_type, film_id))
    conn.commit()


def _user_ids(conn, query: str, within: pd.Timedelta) -> list[int]:
    with conn.cursor() as cur:
        cur.execute(query, (within.to_pytimedelta(),))
        return [row[0] for row in cur.fetchall()]


def users_with_stale_picks(conn, older_than: pd.Timedelta = STALE_AFTER) -> list[int]:
    """Users whose picks were generated more than `older_than` ago."""
    return _user_ids(
        conn,
        "select distinct user_id from ml.personal_picks where generated_at < now() - %s "
        "order by user_id",
        older_than,
    )


def recent_raters(conn, within: pd.Timedelta) -> list[int]:
    """Users with a rating event loaded within `within` (the quick refresh's users)."""
    return _user_ids(
        conn,
        "select distinct user_id from app.rating_events where loaded_at >= now() - %s "
        "order by user_id",
        within,
    )


# -- conversations and profiles ---------------------------------------------------------------

PENDING_RATINGS_QUERY = """
select events.user_id, coalesce(movielens.film_id, imdb.film_id) as film_id,
    events.rating::float8 as rating, events.event_at as rated_at
from app.rating_events as events
left join marts.bridge_film_sources as movielens
    on movielens.source = 'movielens' and movielens.source_key = events.movie_id::text
left join marts.dim_films as imdb on movielens.film_id is null and imdb.imdb_id = events.imdb_id
where events.rating is not null and events.user_id = any(%s)
"""


def pending_ratings(conn, users) -> pd.DataFrame:
    """Rating events of `users` resolved to films by MovieLens or IMDb id, including those
    not yet in fct_ratings (its month runs later): a refresh must not pick what the user
    has just rated."""
    frame = read_frame(conn, PENDING_RATINGS_QUERY, ([int(u) for u in users],))
    return frame.dropna(subset=["film_id"]).astype(
        {"user_id": "int64", "film_id": "int64", "rating": "float64"}
    )


def with_pending(ratings: pd.DataFrame, pending: pd.DataFrame) -> pd.DataFrame:
    """`ratings` plus the pending events not in it yet (same user, film and time)."""
    combined = pd.concat([ratings, pending[ratings.columns]], ignore_index=True)
    combined["rated_at"] = pd.to_datetime(combined["rated_at"], utc=True)
    return combined.drop_duplicates(["user_id", "film_id", "rated_at"]).reset_index(drop=True)


def insert_conversation(
    conn,
    user_id: int,
    said: str,
    extraction: Extraction,
    extractor: str,
    version: str,
    film_id: int | None = None,
    fallback_reason: str | None = None,
) -> int:
    """Store one message and what was learned (the trigger queues a refresh); no commit."""
    with conn.cursor() as cur:
        cur.execute(
            "insert into app.conversations (user_id, film_id, conversation_type, said, learned, "
            "significance, extractor, extractor_version, fallback_reason) "
            "values (%s, %s, %s, %s, %s, %s, %s, %s, %s) returning conversation_id",
            (
                user_id,
                film_id,
                extraction.conversation_type,
                said,
                Json(extraction.model_dump()),
                extraction.significance,
                extractor,
                version,
                fallback_reason,
            ),
        )
        return cur.fetchone()[0]


def read_conversations(conn, users=None) -> pd.DataFrame:
    """user_id, conversation_id, said, extraction (an `Extraction`), oldest first; every
    user's when `users` is None."""
    query = "select user_id, conversation_id, said, learned from app.conversations"
    params: tuple = ()
    if users is not None:
        query += " where user_id = any(%s)"
        params = ([int(u) for u in users],)
    frame = read_frame(conn, query + " order by conversation_id", params)
    frame["extraction"] = [Extraction.model_validate(v) for v in frame["learned"]]
    return frame.drop(columns="learned")


def write_profiles(conn, profiles: dict[int, dict]) -> None:
    """Upsert `app.taste_profiles` rows (user_id -> preferences); no commit."""
    with conn.cursor() as cur:
        for user_id, preferences in profiles.items():
            cur.execute(
                "insert into app.taste_profiles (user_id, preferences, updated_at) "
                "values (%s, %s, now()) on conflict (user_id) do update "
                "set preferences = excluded.preferences, updated_at = excluded.updated_at",
                (int(user_id), Json(preferences, dumps=lambda v: json.dumps(v, default=int))),
            )


def vocabulary(conn) -> Vocabulary:
    """The offline extractor's vocabulary: the lexicon plus people and film names."""
    people = read_frame(conn, "select name, person_id from marts.dim_people where name is not null")
    films = read_frame(conn, "select title, film_id from marts.dim_films where title is not null")
    return Vocabulary.build(
        dict(zip(people["name"], people["person_id"].astype(int), strict=True)),
        dict(zip(films["title"], films["film_id"].astype(int), strict=True)),
    )


# -- picks -------------------------------------------------------------------------------------


def replace_picks(
    conn,
    picks: pd.DataFrame,
    profiles: dict[int, dict],
    users,
    snapshot: pd.Timestamp | None = None,
) -> int:
    """In one transaction: lock each of `users`, replace their picks and profiles, and delete
    their queue rows queued at or before `snapshot` (all of them when None). Commits."""
    users = sorted({int(u) for u in users})
    try:
        with conn.cursor() as cur:
            # sorted, so two refreshes over overlapping users take the locks in the same order
            cur.execute(
                "select pg_advisory_xact_lock(%s, user_id) from unnest(%s::integer[]) as user_id",
                (PICKS_LOCK_NAMESPACE, users),
            )
            cur.execute(sql.SQL("delete from {} where user_id = any(%s)").format(PICKS), (users,))
            rows = picks[picks["user_id"].isin(users)][PICK_COLUMNS]
            copy_frame(cur, PICKS, rows)
            write_profiles(conn, {u: p for u, p in profiles.items() if u in set(users)})
            cur.execute(
                "delete from app.recommendation_refresh_queue "
                "where user_id = any(%s) and (%s::timestamptz is null or queued_at <= %s)",
                (users, snapshot, snapshot),
            )
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return len(rows)


PICKS_QUERY = """
select picks.rank, picks.film_id, films.title, films.release_year, picks.predicted_rating,
    picks.confidence, picks.reason, picks.discovery_source, picks.anchor_film_id,
    picks.anchor_person_id, picks.anchor_user_id, picks.anchor_conversation_id,
    picks.model_version, picks.generated_at
from ml.personal_picks as picks
left join marts.dim_films as films on films.film_id = picks.film_id
where picks.user_id = %s
order by picks.rank
"""


def read_picks(conn, user_id: int) -> pd.DataFrame:
    """One user's picks by rank (the primary key's range scan)."""
    return read_frame(conn, PICKS_QUERY, (user_id,))
