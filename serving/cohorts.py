"""Cohort queries and cohort management over the warehouse: functions taking a psycopg2
connection. Reads go to the `marts` cohort tables; writes go to the `app` tables (a cohort
change reaches the marts at the next cohort refresh).

User errors (unknown cohort, strategy, list, person or user) raise LookupError or ValueError
with the valid values, which the CLI prints as one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ingest.app_events import APP_USER_ID_START, add_cohort_members, load_rating_events
from ml.cohorts.prediction import STARS, histogram_expectation, smoothed
from serving import validation
from warehouse.io import read_frame

COHORT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RESERVED_NAMES = {"all"}
FOLLOWS_COHORT = re.compile(r"^follows:(\d{1,10})$")
ROLES = ("director", "actor")


def column(conn, query: str, params: tuple | None = None) -> list:
    with conn.cursor() as cur:
        cur.execute(query, params)
        return [row[0] for row in cur.fetchall()]


def choose(value: str, valid: Iterable[str], what: str) -> str:
    valid = sorted(valid)
    if value not in valid:
        raise LookupError(f"unknown {what} {value!r}; valid: {', '.join(valid) or '(none yet)'}")
    return value


# -- reading ---------------------------------------------------------------------------------


def cohorts(conn) -> pd.DataFrame:
    """Every cohort with its kind, size and description."""
    return read_frame(
        conn,
        "select cohort, kind, member_count, description from marts.dim_cohorts "
        "order by kind <> 'all', kind, cohort",
    )


def cohort_id(conn, cohort: str) -> int:
    known = column(conn, "select cohort from marts.dim_cohorts")
    user = FOLLOWS_COHORT.match(cohort)
    if user and cohort not in known:
        raise LookupError(
            f"cohort {cohort!r} is not built: user {user.group(1)} follows nobody, or the cohort "
            "refresh has not run since (`cinegraph cohorts follow --user N --members ...`, then "
            "cohort_refresh_job); `cinegraph activity` reads follows at once"
        )
    choose(cohort, known, "cohort")
    return column(conn, "select cohort_id from marts.dim_cohorts where cohort = %s", (cohort,))[0]


def strategy(conn, name: str) -> str:
    return choose(name, column(conn, "select strategy from marts.ranking_strategies"), "strategy")


def person_id(conn, person: str) -> int:
    """The person named `person` (case-insensitive), or with that person_id when it is a
    number. Namesakes (two Steve McQueens) are an error that lists them with their ids."""
    found = read_frame(
        conn,
        "select person_id, name, roles, film_count from marts.dim_people "
        "where lower(name) = lower(%s) or person_id::text = %s "
        "order by film_count desc",
        (person, person),
    )
    if found.empty:
        raise LookupError(f"no person named {person!r} in dim_people")
    if len(found) > 1:
        candidates = "; ".join(
            f"{row.name} ({', '.join(row.roles)}, {row.film_count} films): {row.person_id}"
            for row in found.itertuples()
        )
        raise ValueError(f"{person!r} names {len(found)} people, give the id instead: {candidates}")
    return int(found["person_id"][0])


RANKINGS_QUERY = """
with slice as (
    select
        rankings.*,
        activity.ratings_in_period
    from marts.film_rankings as rankings
    left join lateral (
        select count(*) as ratings_in_period
        from marts.fct_ratings as ratings
        inner join marts.cohort_members as members
            on ratings.user_id = members.user_id and members.cohort_id = rankings.cohort_id
        where ratings.film_id = rankings.film_id
            and ratings.rated_at >= %(rated_from)s and ratings.rated_at < %(rated_to)s
    ) as activity on %(by_rating_time)s
    where rankings.cohort_id = %(cohort_id)s
        and rankings.strategy = %(strategy)s
        and rankings.meets_floor
        and (%(released_from)s is null or rankings.release_year >= %(released_from)s)
        and (%(released_to)s is null or rankings.release_year <= %(released_to)s)
        and (%(list_name)s is null or rankings.film_id in (
            select film_id from marts.film_lists where list_name = %(list_name)s))
        and (%(person_id)s is null or rankings.film_id in (
            select film_id from marts.bridge_film_people where person_id = %(person_id)s))
)
select
    row_number() over (order by score desc, raters desc, film_id) as rank,
    film_id, title, release_year, score, percentile_bucket, raters, mean_rating,
    bayesian_mean, wilson_lower_bound, like_rate, favorite_rate, consensus_bonus, z_stddev,
    renormalization_note, rank as rank_in_cohort, ratings_in_period
from slice
where not %(by_rating_time)s or ratings_in_period > 0
order by rank
limit %(top)s
"""


def rankings(
    conn,
    cohort: str = "all",
    strategy_name: str = "bayesian",
    top: int = 50,
    released_from: int | None = None,
    released_to: int | None = None,
    rated_from: str | None = None,
    rated_to: str | None = None,
    list_name: str | None = None,
    person: str | None = None,
) -> pd.DataFrame:
    """Top N of a cohort under a strategy, optionally sliced; only films that meet the
    strategy's evidence floor (film_rankings.meets_floor) are listed.

    Slices: release years [released_from, released_to]; rating time [rated_from, rated_to)
    (films the cohort rated in that period, ranked by their cohort score, with the period's
    rating count); a list (canonical list code or festival name from film_lists); a
    person's filmography (any role; a name or a person_id). Ranks are recomputed within
    the slice; rank_in_cohort
    keeps the film's rank in the whole cohort.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    if list_name is not None:
        choose(list_name, column(conn, "select distinct list_name from marts.film_lists"), "list")
    params = {
        "cohort_id": cohort_id(conn, cohort),
        "strategy": strategy(conn, strategy_name),
        "top": top,
        "released_from": released_from,
        "released_to": released_to,
        "by_rating_time": rated_from is not None or rated_to is not None,
        "rated_from": rated_from or "-infinity",
        "rated_to": rated_to or "infinity",
        "list_name": list_name,
        "person_id": person_id(conn, person) if person else None,
    }
    return read_frame(conn, RANKINGS_QUERY, params)


def divergences(
    conn, cohort: str, against: str = "all", min_raters: int = 10, limit: int = 20
) -> pd.DataFrame:
    """Films the cohort rates most above and most below the reference opinion.

    `against` is 'all' (every user) or 'imdb' (IMDb's mean rating halved onto 5 stars).
    """
    delta = {"all": "delta_vs_all", "imdb": "delta_vs_imdb"}[
        choose(against, ("all", "imdb"), "reference")
    ]
    reference = {"all": "all_mean_rating", "imdb": "imdb_rating_5"}[against]
    query = f"""
        with ranked as (
            select
                insights.*,
                films.title,
                films.release_year,
                row_number() over (order by insights.{delta} desc) as above,
                row_number() over (order by insights.{delta} asc) as below
            from marts.ranking_insights as insights
            inner join marts.dim_films as films on insights.film_id = films.film_id
            where insights.cohort_id = %(cohort_id)s
                and insights.raters >= %(min_raters)s
                and insights.{delta} is not null
        )
        select
            case when above <= %(limit)s and {delta} > 0
                then 'cohort higher' else 'cohort lower' end
                as direction,
            film_id, title, release_year, raters, mean_rating as cohort_mean,
            {reference} as reference_mean, {delta} as delta, consensus_label
        from ranked
        where (above <= %(limit)s and {delta} > 0) or (below <= %(limit)s and {delta} < 0)
        order by {delta} desc
    """  # the interpolated names come from the two fixed mappings above
    params = {"cohort_id": cohort_id(conn, cohort), "min_raters": min_raters, "limit": limit}
    return read_frame(conn, query, params)


def people(conn, cohort: str = "all", role: str = "director", limit: int = 20) -> pd.DataFrame:
    """Top directors or actors of a cohort by their films' raters-weighted mean score."""
    choose(role, ROLES, "role")
    return read_frame(
        conn,
        """
        select rank, person_id, name, films, weighted_score, top_percentile_films, ratings, strategy
        from marts.person_rankings
        where cohort_id = %s and role = %s
        order by rank, person_id
        limit %s
    """,
        (cohort_id(conn, cohort), role, limit),
    )


def collaborations(conn, cohort: str = "all", limit: int = 20) -> pd.DataFrame:
    return read_frame(
        conn,
        """
        select director_name, actor_name, high_ranked_films, shared_films, mean_score
        from marts.collaboration_pairs
        where cohort_id = %s
        order by high_ranked_films desc, mean_score desc
        limit %s
    """,
        (cohort_id(conn, cohort), limit),
    )


def emerging_voices(conn, cohort: str = "all", limit: int = 20) -> pd.DataFrame:
    return read_frame(
        conn,
        """
        select rank, name, debut_year, data_last_year, films, weighted_score
        from marts.emerging_voices
        where cohort_id = %s
        order by rank
        limit %s
    """,
        (cohort_id(conn, cohort), limit),
    )


def recent_activity(conn, cohort: str = "all", days: int = 7, limit: int = 50) -> pd.DataFrame:
    """What the cohort did in the `days` before its latest activity (the data's 'today').

    A `follows:<user>` feed reads `app.follows` itself: a follow shows at once, and a user
    who follows nobody yet sees their own activity (the marts list the cohort only after a
    follow and the next cohort refresh)."""
    follows = FOLLOWS_COHORT.match(cohort)
    if follows:
        follower, members_of = int(follows.group(1)), None
        _known_users(conn, [follower])
    else:
        follower, members_of = None, cohort_id(conn, cohort)
    return read_frame(
        conn,
        """
        with members as (
            select user_id from marts.cohort_members where cohort_id = %(cohort_id)s
            union
            select followee_id from app.follows where follower_id = %(follower)s
            union
            select %(follower)s::integer where %(follower)s::integer is not null
        ),

        activity as (
            select activity.*
            from marts.user_activity as activity
            inner join members on activity.user_id = members.user_id
        )
        select activity.occurred_at, activity.user_id, activity.action, activity.rating,
               films.title, films.release_year
        from activity
        inner join marts.dim_films as films on activity.film_id = films.film_id
        where activity.occurred_at
            > (select max(occurred_at) from activity) - make_interval(days => %(days)s)
        order by activity.occurred_at desc, activity.user_id, films.title
        limit %(limit)s
    """,
        {"cohort_id": members_of, "follower": follower, "days": days, "limit": limit},
    )


def weekly_digest(conn, cohort: str = "all", week_start: str | None = None) -> pd.DataFrame:
    """The most rated films of one week (the cohort's latest week by default)."""
    return read_frame(
        conn,
        """
        select digests.week_start, digests.rank, films.title, digests.members_active,
               digests.ratings, digests.likes, digests.mean_rating
        from marts.weekly_digests as digests
        inner join marts.dim_films as films on digests.film_id = films.film_id
        where digests.cohort_id = %(cohort_id)s
            and digests.week_start = coalesce(%(week)s::date, (
                select max(week_start) from marts.weekly_digests where cohort_id = %(cohort_id)s))
        order by digests.rank
    """,
        {"cohort_id": cohort_id(conn, cohort), "week": week_start},
    )


def overlap(conn, strategy_name: str = "bayesian", top_n: int = 100) -> pd.DataFrame:
    """Jaccard similarity of the cohorts' Top N, as a symmetric cohort x cohort matrix."""
    choose(str(top_n), ("50", "100", "250"), "top_n")
    pairs = read_frame(
        conn,
        "select cohort_a, cohort_b, jaccard from marts.cohort_overlap "
        "where strategy = %s and top_n = %s",
        (strategy(conn, strategy_name), top_n),
    )
    both = pd.concat(
        [pairs, pairs.rename(columns={"cohort_a": "cohort_b", "cohort_b": "cohort_a"})]
    )
    matrix = both.pivot(index="cohort_a", columns="cohort_b", values="jaccard")
    names = sorted(set(matrix.index) | set(matrix.columns))
    return (
        matrix.reindex(index=names, columns=names).fillna(1.0).rename_axis(index=None, columns=None)
    )


def loved_by_disliked_by(
    conn,
    loved_by: str,
    disliked_by: str,
    strategy_name: str = "bayesian",
    min_raters: int = 5,
    limit: int = 20,
) -> pd.DataFrame:
    """Films in `loved_by`'s top 10% and `disliked_by`'s bottom 30% (both with min_raters)."""
    return read_frame(
        conn,
        """
        select films.title, films.release_year,
               a.mean_rating as loved_mean, a.raters as loved_raters,
               a.percentile as loved_percentile,
               b.mean_rating as disliked_mean, b.raters as disliked_raters,
               b.percentile as disliked_percentile
        from marts.film_rankings as a
        inner join marts.film_rankings as b on a.film_id = b.film_id and a.strategy = b.strategy
        inner join marts.dim_films as films on a.film_id = films.film_id
        where a.cohort_id = %(a)s and b.cohort_id = %(b)s and a.strategy = %(strategy)s
            and a.raters >= %(min_raters)s and b.raters >= %(min_raters)s
            and a.percentile >= 0.9 and b.percentile <= 0.3
        order by a.percentile - b.percentile desc, films.title
        limit %(limit)s
    """,
        {
            "a": cohort_id(conn, loved_by),
            "b": cohort_id(conn, disliked_by),
            "strategy": strategy(conn, strategy_name),
            "min_raters": min_raters,
            "limit": limit,
        },
    )


def predict_rating(
    conn, user_id: int, film_id: int, cohort: str = "all", prior_strength: float = 5.0
) -> dict:
    """The design's distribution-aware prediction of one user's rating of one film.

    P_user is the user's own half-star histogram, P_film the film's histogram in the cohort,
    both smoothed toward the cohort's overall histogram with `prior_strength` pseudo-ratings
    (as ml.cohorts.prediction.HistogramPredictor, which is evaluated on a holdout).
    """
    histograms = read_frame(
        conn,
        """
        select 'film' as side, bucket_counts from marts.cohort_film_stats
        where cohort_id = %(cohort_id)s and film_id = %(film_id)s
        union all
        select 'cohort', array_agg(total order by position) from (
            select position, sum(count) as total
            from marts.cohort_film_stats,
                unnest(bucket_counts) with ordinality as b (count, position)
            where cohort_id = %(cohort_id)s
            group by position
        ) as totals
        union all
        select 'user', array[
            {buckets}
        ] from marts.fct_ratings where user_id = %(user_id)s
    """.format(buckets=", ".join(f"count(*) filter (where rating = {star})" for star in STARS)),
        {"cohort_id": cohort_id(conn, cohort), "film_id": int(film_id), "user_id": int(user_id)},
    )
    by_side = {
        row.side: np.array(row.bucket_counts, dtype=float) for row in histograms.itertuples()
    }
    if "film" not in by_side:
        raise LookupError(f"film {film_id} has no ratings in cohort {cohort!r}")
    if by_side["user"].sum() == 0:
        raise LookupError(f"user {user_id} has no ratings")
    prior = by_side["cohort"] / by_side["cohort"].sum()
    counts = pd.DataFrame([by_side["user"], by_side["film"]], columns=STARS)
    p_user, p_film = smoothed(counts, prior, prior_strength).to_numpy()
    expected = float(histogram_expectation(p_user[None, :], p_film[None, :])[0])
    return {
        "user_id": int(user_id),
        "film_id": int(film_id),
        "cohort": cohort,
        "expected_rating": expected,
        "user_ratings": int(by_side["user"].sum()),
        "film_raters": int(by_side["film"].sum()),
        "p_user": dict(zip(STARS.tolist(), p_user.round(4).tolist(), strict=True)),
        "p_film": dict(zip(STARS.tolist(), p_film.round(4).tolist(), strict=True)),
        "prior_strength": prior_strength,
    }


# -- writing: ratings and cohorts (app tables) ----------------------------------------------


def record_rating(
    conn,
    user_id: int,
    rating: float | None = None,
    liked: bool = False,
    favorite: bool = False,
    at: pd.Timestamp | None = None,
    movie_id: int | None = None,
    imdb_id: str | None = None,
    title: str | None = None,
    year: int | None = None,
) -> list[str]:
    """Enter one rating, like or favourite as an app event (source 'cli'); returns its month.

    The film is named by a MovieLens movie id, an IMDb id, or a title and year; fct_ratings
    resolves it (or rejects the event with the reason) when the month's partition runs.
    Entering the same user, film and time again replaces the earlier entry.
    """
    if movie_id is None and imdb_id is None and title is None:
        raise ValueError("name the film: a MovieLens movie id, an IMDb id, or a title and year")
    if title is not None and year is None:
        raise ValueError("a film named by its title needs its release year too")
    if rating is None and not liked and not favorite:
        raise ValueError("nothing to record: give a rating, a like or a favourite")
    if rating is not None:
        validation.rating(str(rating))
    _known_users(conn, [user_id])
    _known_film(conn, movie_id, imdb_id)
    at = pd.Timestamp.now(tz="UTC").floor("s") if at is None else pd.Timestamp(at)
    at = at.tz_localize("UTC") if at.tzinfo is None else at.tz_convert("UTC")
    event = pd.DataFrame(
        [
            {
                "source_row": 1,
                "user_id": user_id,
                "movie_id": movie_id,
                "imdb_id": imdb_id,
                "film_title": title,
                "film_year": year,
                "rating": rating,
                "liked": liked,
                "favorite": favorite,
                "event_at": at,
            }
        ]
    )
    reference = movie_id or imdb_id or f"{title} ({year})"
    return load_rating_events(
        conn, event, "cli", f"cli:{user_id}:{reference}:{at.isoformat()}"
    ).months


# -- cohort management ------------------------------------------------------------------------


FILM_REFERENCES = {
    "movie id": "select 1 from marts.bridge_film_sources "
    "where source = 'movielens' and source_key = %s",
    "IMDb id": "select 1 from marts.dim_films where imdb_id = %s",
}


def _known_film(conn, movie_id: int | None, imdb_id: str | None) -> None:
    """Refuse a MovieLens or IMDb id that names no film. Before the films are built, and for
    titles, fct_ratings resolves the event or rejects it with the reason."""
    if column(conn, "select to_regclass('marts.bridge_film_sources')") == [None]:
        return
    for what, value in (("movie id", movie_id), ("IMDb id", imdb_id)):
        if value is not None and not column(conn, FILM_REFERENCES[what], (str(value),)):
            raise LookupError(f"no film with {what} {value}")


def _known_users(conn, user_ids: list[int]) -> None:
    out_of_range = [u for u in user_ids if not 1 <= u <= validation.MAX_INT]
    if out_of_range:
        raise ValueError(
            f"user ids must be from 1 to {validation.MAX_INT}, got {out_of_range[:10]}"
        )
    known = set(
        column(
            conn,
            """
        select distinct user_id from raw.movielens__ratings where user_id = any(%s)
        union select user_id from app.users where user_id = any(%s)
    """,
            (user_ids, user_ids),
        )
    )
    unknown = sorted(set(user_ids) - known)
    if unknown:
        raise ValueError(
            f"unknown user ids {unknown[:10]}: a user is a MovieLens user or a registered app user "
            f"(ids from {APP_USER_ID_START})"
        )


def create_cohort(conn, name: str, user_ids: Iterable[int], description: str = "") -> int:
    """Create (or extend) a named cohort with members; returns the member count."""
    if not COHORT_NAME.match(name) or name in RESERVED_NAMES:
        raise ValueError(
            f"cohort name {name!r} must be lower-case letters, digits, '-' or '_' "
            f"(and not {', '.join(sorted(RESERVED_NAMES))})"
        )
    members = sorted(set(user_ids))
    _known_users(conn, members)
    return add_cohort_members(conn, name, members, description)


def delete_cohort(conn, name: str) -> None:
    choose(name, column(conn, "select cohort_name from app.cohorts"), "named cohort")
    with conn.cursor() as cur:
        cur.execute("delete from app.cohorts where cohort_name = %s", (name,))
    conn.commit()


def follow(conn, follower_id: int, followee_ids: Iterable[int]) -> int:
    """`follower_id` follows each of `followee_ids`; returns how many they follow now."""
    followees = sorted(set(followee_ids) - {follower_id})
    _known_users(conn, [follower_id, *followees])
    with conn.cursor() as cur:
        cur.execute(
            "insert into app.follows (follower_id, followee_id) "
            "select %s, unnest(%s::integer[]) on conflict do nothing",
            (follower_id, followees),
        )
        cur.execute("select count(*) from app.follows where follower_id = %s", (follower_id,))
        count = cur.fetchone()[0]
    conn.commit()
    return count


def unfollow(conn, follower_id: int, followee_ids: Iterable[int] | None = None) -> None:
    """Stop following some users, or everyone when `followee_ids` is None."""
    with conn.cursor() as cur:
        if followee_ids is None:
            cur.execute("delete from app.follows where follower_id = %s", (follower_id,))
        else:
            cur.execute(
                "delete from app.follows where follower_id = %s and followee_id = any(%s)",
                (follower_id, list(followee_ids)),
            )
    conn.commit()


def film_histograms(conn, film_id: int) -> pd.DataFrame:
    """The film's half-star histogram in every cohort that rated it (share of its raters)."""
    return read_frame(
        conn,
        "select cohort, bucket::float8 as stars, votes::float8 as raters, share::float8 as share "
        "from marts.film_histograms where film_id = %s and scale = 'stars_5' "
        "order by cohort, bucket",
        (film_id,),
    )


def consensus_labels(conn, cohort: str = "all", min_raters: int = 10) -> pd.DataFrame:
    """How the cohort's films split by consensus label (how much its raters agree)."""
    return read_frame(
        conn,
        "select consensus_label, count(*) as films, avg(mean_rating)::float8 as mean_rating "
        "from marts.ranking_insights where cohort_id = %s and raters >= %s "
        "group by consensus_label order by films desc",
        (cohort_id(conn, cohort), min_raters),
    )


def strategies(conn) -> list[str]:
    """The ranking strategies the marts hold."""
    return column(conn, "select strategy from marts.ranking_strategies order by strategy")
