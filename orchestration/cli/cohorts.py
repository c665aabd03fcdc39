"""Cohort commands: `cinegraph rankings | divergences | people | activity | digest | overlap |
contrast | predict` read the cohort marts; `cinegraph rate` enters a rating event and
`cinegraph cohorts ...` manages named cohorts and follows (the marts pick changes up at the
next monthly run or cohort refresh). All go through `serving.cohorts`, imported when a command
runs (its rating prediction loads scikit-learn), so other commands start fast.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from orchestration.cli.arguments import (
    DATE,
    DAYS,
    EXISTING_FILE,
    ID,
    IMDB_ID,
    LIMIT,
    MONDAY,
    RATING,
    RATING_TIME,
    TEXT,
    USER_IDS,
    YEAR,
    add_json,
    print_json,
)
from orchestration.cli.warehouse import open_warehouse

if TYPE_CHECKING:
    import pandas as pd


def _print(frame: pd.DataFrame, as_json: bool = False) -> None:
    if as_json:
        print_json(frame)
        return
    text = frame.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-")
    print(text if not frame.empty else "(none)")


def rankings(args) -> int:
    from serving import cohorts as api

    decade = (args.decade, args.decade + 9) if args.decade is not None else (None, None)
    with open_warehouse() as conn:
        result = api.rankings(
            conn,
            args.cohort,
            args.strategy,
            args.top,
            released_from=args.released_from or decade[0],
            released_to=args.released_to or decade[1],
            rated_from=args.rated_from,
            rated_to=args.rated_to,
            list_name=args.list,
            person=args.person,
        )
    notes = result["renormalization_note"].dropna().unique()
    columns = [
        "rank",
        "title",
        "release_year",
        "score",
        "raters",
        "mean_rating",
        "percentile_bucket",
    ]
    if args.rated_from or args.rated_to:
        columns.append("ratings_in_period")
    _print(result[columns], args.json)
    if args.json:
        return 0
    for note in notes:
        print(f"note: {note}")
    return 0


def divergences(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        _print(
            api.divergences(conn, args.cohort, args.against, args.min_raters, args.limit).drop(
                columns="film_id"
            ),
            args.json,
        )
    return 0


def people(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        if args.pairs:
            _print(api.collaborations(conn, args.cohort, args.limit), args.json)
        elif args.emerging:
            _print(api.emerging_voices(conn, args.cohort, args.limit), args.json)
        else:
            people = api.people(conn, args.cohort, args.role, args.limit)
            _print(people.drop(columns="person_id"), args.json)
    return 0


def activity(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        _print(api.recent_activity(conn, args.cohort, args.days, args.limit), args.json)
    return 0


def digest(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        _print(api.weekly_digest(conn, args.cohort, args.week), args.json)
    return 0


def overlap(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        _print(api.overlap(conn, args.strategy, args.top).reset_index(names="cohort"), args.json)
    return 0


def contrast(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        _print(
            api.loved_by_disliked_by(
                conn, args.loved_by, args.disliked_by, args.strategy, args.min_raters, args.limit
            ),
            args.json,
        )
    return 0


def predict(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        print(json.dumps(api.predict_rating(conn, args.user, args.film_id, args.cohort), indent=2))
    return 0


# What each `cohorts` action needs besides the action itself.
REQUIRED = {
    "list": [],
    "create": ["name"],
    "delete": ["name"],
    "follow": ["user", "members"],
    "unfollow": ["user"],
}


def rate(args) -> int:
    from serving import cohorts as api

    with open_warehouse() as conn:
        months = api.record_rating(
            conn,
            args.user,
            args.rating,
            args.like,
            args.favorite,
            args.at,
            args.movie_id,
            args.imdb_id,
            args.title,
            args.year,
        )
    print(f"recorded for month {months[0]}: in fct_ratings after that month's partition runs")
    return 0


def manage(args) -> int:
    from ingest.app_events import csv_user_ids
    from serving import cohorts as api

    missing = [name for name in REQUIRED[args.action] if getattr(args, name) is None]
    if missing:
        raise ValueError(
            f"cohorts {args.action} needs " + ", ".join(f"--{name}" for name in missing)
        )
    with open_warehouse() as conn:
        if args.action == "list":
            _print(api.cohorts(conn), args.json)
            return 0
        if args.action == "create":
            members = args.members or []
            if args.csv:
                members += csv_user_ids(args.csv.read_text(encoding="utf-8"))
            count = api.create_cohort(conn, args.name, members, args.description or "")
            print(f"cohort {args.name}: {count} members (ranked after the next cohort refresh)")
        elif args.action == "delete":
            api.delete_cohort(conn, args.name)
            print(f"cohort {args.name} deleted")
        elif args.action == "follow":
            count = api.follow(conn, args.user, args.members)
            print(f"user {args.user} follows {count} users (cohort follows:{args.user})")
        elif args.action == "unfollow":
            api.unfollow(conn, args.user, args.members)
            print(f"user {args.user} unfollowed")
    return 0


def _cohort(parser) -> None:
    parser.add_argument(
        "--cohort",
        default="all",
        type=TEXT,
        help="all, a named cohort, follows:<user> or cluster:<n>",
    )


def _strategy(parser) -> None:
    parser.add_argument(
        "--strategy",
        default="bayesian",
        type=TEXT,
        help="ranking strategy (marts.ranking_strategies)",
    )


def _limit(parser, default: int, what: str = "how many rows to show") -> None:
    parser.add_argument("--limit", type=LIMIT, default=default, help=what)


def _min_raters(parser, default: int) -> None:
    parser.add_argument(
        "--min-raters", type=LIMIT, default=default, help="only films with this many raters"
    )


def register(commands) -> None:
    parser = commands.add_parser("rankings", help="a cohort's Top N under a ranking strategy")
    _cohort(parser)
    _strategy(parser)
    parser.add_argument("--top", type=LIMIT, default=50, help="how many films")
    parser.add_argument("--released-from", type=YEAR, help="first release year")
    parser.add_argument("--released-to", type=YEAR, help="last release year")
    parser.add_argument("--decade", type=YEAR, help="e.g. 1990 for 1990-1999")
    parser.add_argument(
        "--rated-from", type=DATE, help="only films the cohort rated from this date (YYYY-MM-DD)"
    )
    parser.add_argument("--rated-to", type=DATE, help="... until this date (exclusive)")
    parser.add_argument(
        "--list", type=TEXT, help="a canonical list code (afi_top_100, ...) or a festival"
    )
    parser.add_argument(
        "--person", type=TEXT, help="only this person's films (exact name, or person_id)"
    )
    add_json(parser)
    parser.set_defaults(handler=rankings)

    parser = commands.add_parser(
        "divergences", help="films a cohort rates far above or below others"
    )
    _cohort(parser)
    parser.add_argument(
        "--against", default="all", choices=["all", "imdb"], help="every user's mean, or IMDb's"
    )
    _min_raters(parser, 10)
    _limit(parser, 20, "how many films each way")
    add_json(parser)
    parser.set_defaults(handler=divergences)

    parser = commands.add_parser("people", help="a cohort's top directors or actors")
    _cohort(parser)
    parser.add_argument("--role", default="director", type=TEXT, help="director or actor")
    parser.add_argument("--pairs", action="store_true", help="director-actor pairs instead")
    parser.add_argument("--emerging", action="store_true", help="emerging directors instead")
    _limit(parser, 20)
    add_json(parser)
    parser.set_defaults(handler=people)

    parser = commands.add_parser("activity", help="what a cohort rated lately")
    _cohort(parser)
    parser.add_argument(
        "--days", type=DAYS, default=7, help="days before the cohort's latest activity"
    )
    _limit(parser, 50)
    add_json(parser)
    parser.set_defaults(handler=activity)

    parser = commands.add_parser("digest", help="a cohort's most rated films of a week")
    _cohort(parser)
    parser.add_argument(
        "--week", type=MONDAY, help="the week's Monday (YYYY-MM-DD); default the latest week"
    )
    add_json(parser)
    parser.set_defaults(handler=digest)

    parser = commands.add_parser("overlap", help="Jaccard overlap of the cohorts' Top N")
    _strategy(parser)
    parser.add_argument(
        "--top", type=int, default=100, choices=[50, 100, 250], help="the Top N compared"
    )
    add_json(parser)
    parser.set_defaults(handler=overlap)

    parser = commands.add_parser("contrast", help="films one cohort loves and another dislikes")
    parser.add_argument("--loved-by", type=TEXT, required=True, help="the cohort that loves them")
    parser.add_argument(
        "--disliked-by", type=TEXT, required=True, help="the cohort that dislikes them"
    )
    _strategy(parser)
    _min_raters(parser, 5)
    _limit(parser, 20)
    add_json(parser)
    parser.set_defaults(handler=contrast)

    parser = commands.add_parser("predict", help="a user's expected rating of a film (histograms)")
    parser.add_argument("--user", type=ID, required=True, help="user id")
    parser.add_argument("--film-id", type=ID, required=True, help="film_id (marts.dim_films)")
    _cohort(parser)
    parser.set_defaults(handler=predict)

    parser = commands.add_parser("rate", help="enter a rating, like or favourite (an app event)")
    parser.add_argument("--user", type=ID, required=True, help="user id")
    parser.add_argument("--rating", type=RATING, help="0.5 to 5 stars in half steps")
    parser.add_argument("--like", action="store_true", help="the user likes the film")
    parser.add_argument("--favorite", action="store_true", help="a favourite of the user")
    parser.add_argument(
        "--at", type=RATING_TIME, help="when (ISO date or time, UTC unless given; default now)"
    )
    parser.add_argument("--movie-id", type=ID, help="the film by MovieLens id ...")
    parser.add_argument("--imdb-id", type=IMDB_ID, help="... or by IMDb id (tt0113277) ...")
    parser.add_argument("--title", type=TEXT, help="... or by title and --year")
    parser.add_argument("--year", type=YEAR, help="release year (with --title)")
    parser.set_defaults(handler=rate)

    parser = commands.add_parser("cohorts", help="list cohorts; manage named cohorts and follows")
    parser.add_argument("action", choices=["list", "create", "delete", "follow", "unfollow"])
    parser.add_argument("--name", type=TEXT, help="named cohort (create, delete)")
    parser.add_argument(
        "--members", type=USER_IDS, help="comma-separated user ids (create, follow, unfollow)"
    )
    parser.add_argument("--csv", type=EXISTING_FILE, help="a CSV with a user_id column (create)")
    parser.add_argument("--description", type=TEXT, help="what the named cohort is (create)")
    parser.add_argument("--user", type=ID, help="the follower (follow, unfollow)")
    add_json(parser)
    parser.set_defaults(handler=manage)
