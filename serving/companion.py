"""The companion's API: a user's picks (one indexed read) and what they tell it.

`picks` reads `ml.personal_picks`. Picks older than an hour, or none at all, are not shown:
the user's taste cluster's best-rated films the user has not rated come back at once,
flagged as the fallback, and the user is queued for a refresh ('stale'), which the refresh
sensor picks up. `tell` stores the message (a trigger queues a refresh), extracts what it
says (offline, or through the configured LLM with the offline extractor as fallback) and
updates the user's taste profile, in one transaction.

Bad input (unknown user or film, empty or over-long message, a rating off the half-star
grid) raises ValueError or LookupError before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ml.companion import store
from ml.companion.conversation import llm
from ml.companion.conversation.llm import LLMConfig
from ml.companion.profile import taste_profile
from serving.cohorts import _known_users
from warehouse.io import read_frame

MAX_MESSAGE_CHARS = 2000  # as app.conversations' check constraint
FALLBACK_SIZE = 12


@dataclass
class Picks:
    user_id: int
    status: str  # fresh | stale | missing
    picks: pd.DataFrame

    @property
    def fallback(self) -> bool:
        return self.status != "fresh"


def check_message(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("the message is empty")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValueError(f"the message has {len(text)} characters; at most {MAX_MESSAGE_CHARS}")
    return text


def film_id_of(conn, film: str) -> int:
    """A film named by its film_id or its exact title (case-insensitive, one match)."""
    query = "select film_id, title, release_year from marts.dim_films where "
    if film.strip().isdigit():
        found = read_frame(conn, query + "film_id = %s", (int(film),))
    else:
        found = read_frame(conn, query + "lower(title) = lower(%s)", (film.strip(),))
    if found.empty:
        raise LookupError(f"no film {film!r} in dim_films (give a film_id or an exact title)")
    if len(found) > 1:
        options = "; ".join(
            f"{r.title} ({r.release_year}): {r.film_id}" for r in found.itertuples()
        )
        raise ValueError(f"{film!r} names {len(found)} films, give the film_id: {options}")
    return int(found["film_id"][0])


FALLBACK_QUERY = """
with cohort as (
    select coalesce(
        (select 'cluster:' || cluster from ml.user_clusters where user_id = %(user_id)s), 'all'
    ) as name
)
select
    row_number() over (order by rankings.score desc, rankings.film_id) as rank,
    rankings.film_id, films.title, films.release_year,
    null::real as predicted_rating, null::real as confidence,
    'Among the best-rated by ' || case cohort.name when 'all' then 'every user'
        else 'your taste ' || replace(cohort.name, ':', ' ') end
        || ' (' || rankings.raters || ' raters)' as reason,
    'cohort_top' as discovery_source
from marts.film_rankings as rankings
inner join marts.dim_cohorts as cohorts on cohorts.cohort_id = rankings.cohort_id
inner join cohort on cohorts.cohort = cohort.name
inner join marts.dim_films as films on films.film_id = rankings.film_id
where rankings.strategy = 'bayesian'
    and rankings.meets_floor
    and not exists (
        select 1 from marts.fct_ratings as rated
        where rated.user_id = %(user_id)s and rated.film_id = rankings.film_id
    )
order by rankings.score desc, rankings.film_id
limit %(size)s
"""


def picks(conn, user_id: int) -> Picks:
    """The user's picks, or the cohort fallback (flagged) when they are stale or missing."""
    found = store.read_picks(conn, user_id)
    if not found.empty:
        age = pd.Timestamp.now(tz="UTC") - pd.Timestamp(found["generated_at"].min())
        if age <= store.STALE_AFTER:
            conn.rollback()
            return Picks(user_id, "fresh", found)
        status = "stale"
    else:
        _known_users(conn, [user_id])
        status = "missing"
    fallback = read_frame(conn, FALLBACK_QUERY, {"user_id": user_id, "size": FALLBACK_SIZE})
    store.enqueue(conn, user_id, "stale")
    return Picks(user_id, status, fallback)


@dataclass
class Told:
    conversation_id: int
    extraction: dict
    extractor: str
    fallback_reason: str | None
    profile: dict


def _user_ratings(conn, user_id: int):
    ratings = read_frame(
        conn,
        "select user_id, film_id, rating::float8 as rating, rated_at from marts.fct_ratings "
        "where user_id = %s and rating is not null",
        (user_id,),
    )
    ratings = store.with_pending(
        ratings.astype({"user_id": "int64", "film_id": "int64", "rating": "float64"}),
        store.pending_ratings(conn, [user_id]),
    )
    films = read_frame(
        conn,
        "select film_id, coalesce(genres, '{}') as genres from marts.dim_films "
        "where film_id = any(%s)",
        (ratings["film_id"].astype(int).tolist(),),
    )
    films["genres"] = films["genres"].map(list)
    credits = read_frame(
        conn,
        "select bridge.film_id, bridge.person_id, people.name, bridge.role "
        "from marts.bridge_film_people as bridge "
        "inner join marts.dim_people as people on people.person_id = bridge.person_id "
        "where bridge.role in ('director', 'lead_actor') and bridge.film_id = any(%s)",
        (ratings["film_id"].astype(int).tolist(),),
    )
    return ratings, films, credits


def tell(
    conn, user_id: int, text: str, film: str | None = None, llm_config: LLMConfig | None = None
) -> Told:
    """Store a message, extract its preferences and update the user's taste profile; the
    trigger on app.conversations queues a refresh of their picks. One transaction."""
    text = check_message(text)
    _known_users(conn, [user_id])
    film_id = film_id_of(conn, film) if film is not None else None
    outcome = llm.extract(text, store.vocabulary(conn), llm_config, film_given=film is not None)
    extraction = outcome.extraction
    try:
        conversation_id = store.insert_conversation(
            conn,
            user_id,
            text,
            extraction,
            outcome.extractor,
            outcome.version,
            film_id,
            outcome.fallback_reason,
        )
        said = store.read_conversations(conn, [user_id])
        profile = taste_profile(
            *_user_ratings(conn, user_id),
            list(zip(said["conversation_id"], said["extraction"], strict=True)),
        )
        store.write_profiles(conn, {user_id: profile})
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return Told(
        conversation_id,
        extraction.model_dump(),
        outcome.extractor,
        outcome.fallback_reason,
        profile,
    )


def users_with_picks(conn, limit: int = 200) -> list[int]:
    """Users who have picks, lowest id first (the console's user chooser)."""
    frame = read_frame(
        conn,
        "select distinct user_id from ml.personal_picks order by user_id limit %s",
        (limit,),
    )
    return [int(user) for user in frame["user_id"]]


def taste_summary(conn, user_id: int) -> pd.DataFrame:
    """What the companion has learned: per dimension (genre, person, ...) and origin (their
    ratings or what they said), the values with their weights, strongest first."""
    found = read_frame(
        conn, "select preferences from app.taste_profiles where user_id = %s", (user_id,)
    )
    rows = []
    if not found.empty:
        for origin, dimensions in (found["preferences"][0] or {}).items():
            for dimension, entries in (dimensions or {}).items():
                for entry in entries if isinstance(entries, list) else []:
                    rows.append(
                        {
                            "origin": origin,
                            "dimension": dimension,
                            "value": str(entry.get("value")),
                            "weight": float(entry.get("weight") or 0.0),
                        }
                    )
    frame = pd.DataFrame(rows, columns=["origin", "dimension", "value", "weight"])
    return frame.sort_values("weight", key=abs, ascending=False, ignore_index=True)
