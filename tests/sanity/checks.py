"""The sanity suite's checker: real-world expectations (expectations.csv) against the marts.

Each row names a check kind and its parameters (`key=value; key=value`); a kind is a small
function of a psycopg2 connection and those parameters that returns what it observed and
whether that meets the expectation. A check that cannot run (a missing column, an unknown
film) fails with the error as its observation: an expectation the warehouse cannot answer
is not met. The suite (test_expectations.py) and the benchmark (bench/sanity.py) share it.
"""

from __future__ import annotations

import csv
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

EXPECTATIONS = Path(__file__).resolve().parent / "expectations.csv"
TITLE_WITH_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)$")
OPERATORS = {
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
}
# The default leaderboard of a profile: titled films by ranked score (serving.metrics). A
# warehouse built before ranked_score existed is read as it ranked then (by total score, every
# film), so the suite shows what that build got wrong rather than a missing column.
LEADERBOARD = """
    select film_id, coalesce(title, 'imdb:' || film_id), {column} as value
    from marts.film_scores
    where profile = %s and {titled} and {order} is not null
    order by {order} desc, film_id
    limit %s
"""


@dataclass(frozen=True)
class Expectation:
    id: str
    area: str
    owner: str
    check: str
    params: dict[str, str]
    reason: str


@dataclass(frozen=True)
class Outcome:
    expectation: Expectation
    passed: bool
    observed: str


def parse_params(text: str) -> dict[str, str]:
    """'profile=balanced; n=20' -> {'profile': 'balanced', 'n': '20'} (values may hold '=')."""
    params = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        key, separator, value = item.partition("=")
        if not separator:
            raise ValueError(f"parameter {item!r} is not key=value")
        params[key.strip()] = value.strip()
    return params


def load_expectations(path: Path = EXPECTATIONS) -> list[Expectation]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            Expectation(
                row["id"],
                row["area"],
                row["owner"],
                row["check"],
                parse_params(row["params"]),
                row["reason"],
            )
            for row in csv.DictReader(handle)
        ]


def _rows(conn, query: str, params: tuple = ()) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def _film_id(conn, film: str) -> int:
    match = TITLE_WITH_YEAR.match(film)
    if match is None:
        raise ValueError(f"name films as 'Title (year)', got {film!r}")
    found = _rows(
        conn,
        "select film_id from marts.dim_films where title = %s and release_year = %s",
        (match["title"], int(match["year"])),
    )
    if len(found) != 1:
        raise LookupError(f"{film!r} names {len(found)} films in dim_films")
    return found[0][0]


def _person_id(conn, name: str) -> int:
    found = _rows(conn, "select person_id from marts.dim_people where name = %s", (name,))
    if len(found) != 1:
        raise LookupError(f"{name!r} names {len(found)} people in dim_people")
    return found[0][0]


def _profiles(conn, profile: str) -> list[str]:
    if profile != "*":
        return [profile]
    return [row[0] for row in _rows(conn, "select profile from marts.dim_weight_profiles")]


def _compare(observed: float | None, op: str, expected: str) -> bool:
    return observed is not None and OPERATORS[op](float(observed), float(expected))


def leaderboard(conn, profile: str, n: int, column: str | None = None) -> list[tuple]:
    """(film_id, label, column) of the profile's default top n; column defaults to the
    score it is ranked by."""
    if column is not None and not column.isidentifier():
        raise ValueError(f"not a column name: {column!r}")
    columns = {
        row[0]
        for row in _rows(
            conn,
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'film_scores'",
        )
    }
    ranked = "ranked_score" in columns
    order = "ranked_score" if ranked else "total_score"
    query = LEADERBOARD.format(
        column=column or order, titled="has_title" if ranked else "true", order=order
    )
    return _rows(conn, query, (profile, n))


def check_leaderboard_has(conn, p: dict) -> tuple[bool, str]:
    """The film is (expect=in) or is not (expect=out) in the profile's default top n."""
    film_id = _film_id(conn, p["film"])
    top = leaderboard(conn, p["profile"], int(p["n"]))
    ranks = [i for i, row in enumerate(top, 1) if row[0] == film_id]
    observed = f"rank {ranks[0]}" if ranks else f"not in the top {p['n']}"
    return bool(ranks) == (p.get("expect", "in") == "in"), observed


def check_leaderboard_bound(conn, p: dict) -> tuple[bool, str]:
    """Every film of the default top n of the profile (every profile for '*') has
    `column` op value."""
    worst = []
    for profile in _profiles(conn, p["profile"]):
        top = leaderboard(conn, profile, int(p["n"]), p["column"])
        if not top and p["profile"] == "*":
            continue  # a profile created after film_scores was built has no board yet
        failing = [row for row in top if not _compare(row[2], p["op"], p["value"])]
        if not top or failing:
            label, value = (failing[0][1], failing[0][2]) if failing else ("no films", None)
            worst.append(f"{profile}: {label} {p['column']}={value}")
    return not worst, "; ".join(worst[:4]) or "all within bounds"


def cohort_top(conn, p: dict, column: str) -> list[tuple]:
    """(film_id, column) of a cohort's top n under a strategy, as serving.cohorts lists it."""
    if not column.isidentifier():
        raise ValueError(f"not a column name: {column!r}")
    return _rows(
        conn,
        f"""
        select rankings.film_id, rankings.{column}
        from marts.film_rankings as rankings
        inner join marts.dim_cohorts as cohorts on rankings.cohort_id = cohorts.cohort_id
        where cohorts.cohort = %s and rankings.strategy = %s and rankings.rank is not null
        order by rankings.rank
        limit %s
        """,
        (p["cohort"], p["strategy"], int(p["n"])),
    )


def check_cohort_top_bound(conn, p: dict) -> tuple[bool, str]:
    """Every film of the cohort's top n under the strategy has `column` op value."""
    top = cohort_top(conn, p, p["column"])
    failing = [row for row in top if not _compare(row[1], p["op"], p["value"])]
    if not top:
        return False, "no ranked films"
    if not failing:
        return True, f"all {len(top)} within bounds"
    return False, f"{len(failing)} of {len(top)} fail, e.g. {p['column']}={failing[0][1]}"


def check_cohort_top_has(conn, p: dict) -> tuple[bool, str]:
    """The film is in the cohort's top n under the strategy."""
    film_id = _film_id(conn, p["film"])
    ranks = [i for i, row in enumerate(cohort_top(conn, p, "film_id"), 1) if row[0] == film_id]
    return bool(ranks), f"rank {ranks[0]}" if ranks else f"not in the top {p['n']}"


def check_film_metric(conn, p: dict) -> tuple[bool, str]:
    """The film's winning raw value of a metric (film_metric_values) op value."""
    found = _rows(
        conn,
        "select raw_value from marts.film_metric_values where film_id = %s and metric_code = %s",
        (_film_id(conn, p["film"]), p["metric"]),
    )
    value = found[0][0] if found else None
    return _compare(value, p["op"], p["value"]), f"{p['metric']}={value}"


def check_career(conn, p: dict) -> tuple[bool, str]:
    """A person's person_career_metrics row of a year has `column` op value."""
    if not p["column"].isidentifier():
        raise ValueError(f"not a column name: {p['column']!r}")
    found = _rows(
        conn,
        f"select {p['column']} from marts.person_career_metrics where person_id = %s and year = %s",
        (_person_id(conn, p["person"]), int(p["year"])),
    )
    value = found[0][0] if found else None
    return _compare(value, p["op"], p["value"]), f"{p['column']}={value}"


def _pqs(conn, name: str, role: str) -> float | None:
    found = _rows(
        conn,
        "select total_pqs from marts.person_quality_scores where person_id = %s and role = %s",
        (_person_id(conn, name), role),
    )
    return found[0][0] if found else None


def check_pqs_order(conn, p: dict) -> tuple[bool, str]:
    """`lower` scores below `higher` on the role's PQS."""
    low, high = _pqs(conn, p["lower"], p["role"]), _pqs(conn, p["higher"], p["role"])
    passed = low is not None and high is not None and low < high
    return passed, f"{p['lower']} {low} vs {p['higher']} {high}"


def check_pqs_bound(conn, p: dict) -> tuple[bool, str]:
    """The person's PQS in the role op value (e.g. above the 'unknown director' line)."""
    value = _pqs(conn, p["person"], p["role"])
    return _compare(value, p["op"], p["value"]), f"total_pqs={value}"


def check_sql(conn, p: dict) -> tuple[bool, str]:
    """A query returning one number, op value: invariants over whole marts."""
    (row,) = _rows(conn, p["query"])
    return _compare(row[0], p["op"], p["value"]), f"{row[0]}"


@cache
def _slate_picks(conn, briefs: tuple | int, seed: int) -> tuple[tuple[int, int, str, float], ...]:
    """(brief year, actor_id, actor_name, p_cal) of every pick of the slates of one brief
    (year, budget in millions, genre, director) or of `briefs` generated ones; computed once
    per connection for the rows that share them."""
    from serving.casting import Brief, latest_model, recommend
    from serving.casting.plausibility import generated_briefs

    model, _ = latest_model(conn)
    if isinstance(briefs, tuple):
        year, budget, genre, director = briefs
        chosen = [Brief(year, budget, (genre,), bill_order=1, n=10, director=director)]
    else:
        chosen = generated_briefs(model, briefs, seed)
    return tuple(
        (brief.year, int(pick.actor_id), pick.actor_name, float(pick.p_cal))
        for brief in chosen
        for pick in recommend(model, brief).slate.itertuples()
    )


def check_casting_slates(conn, p: dict) -> tuple[bool, str]:
    """Over `briefs` generated briefs (or the one brief of year, budget, genre, director), no
    slate pick is a `violation`: non_actor (acting
    credits under `min_share` of the person's credits), inactive (no credit in the `window`
    years up to the brief's year), certain (a displayed probability that rounds to 1.00) or
    picked (the pick is `person`).
    Credits are bridge_film_people's, Oscar nominations ('nominee') left out."""
    briefs = (
        (int(p["year"]), float(p["budget"]), p["genre"], p.get("director"))
        if "year" in p
        else int(p["briefs"])
    )
    offenders = []
    for year, actor_id, name, p_cal in _slate_picks(conn, briefs, int(p.get("seed", 0))):
        if p["violation"] == "certain":
            bad = round(p_cal, 2) >= 1.0
        elif p["violation"] == "picked":
            bad = name == p["person"]
        else:
            (acting, total, recent) = _rows(
                conn,
                """
                select count(*) filter (where credits.role in ('lead_actor', 'actor')),
                       count(*),
                       count(*) filter (where films.release_year between %s and %s)
                from marts.bridge_film_people as credits
                inner join marts.dim_films as films on credits.film_id = films.film_id
                where credits.person_id = %s and credits.role <> 'nominee'
                """,
                (year - int(p.get("window", 5)), year, actor_id),
            )[0]
            if p["violation"] == "non_actor":
                bad = acting < float(p["min_share"]) * total
            else:
                bad = recent == 0
        if bad:
            offenders.append(f"{name} ({year}, p={p_cal:.2f})")
    return not offenders, f"{len(offenders)} picks, e.g. {offenders[:3]}" if offenders else "none"


CHECKS: dict[str, Callable[[object, dict], tuple[bool, str]]] = {
    "leaderboard_has": check_leaderboard_has,
    "leaderboard_bound": check_leaderboard_bound,
    "cohort_top_bound": check_cohort_top_bound,
    "cohort_top_has": check_cohort_top_has,
    "film_metric": check_film_metric,
    "career": check_career,
    "pqs_order": check_pqs_order,
    "pqs_bound": check_pqs_bound,
    "sql": check_sql,
    "casting_slates": check_casting_slates,
}


def evaluate(conn, expectation: Expectation) -> Outcome:
    """Run one expectation; an error is a failure that reports the error."""
    try:
        passed, observed = CHECKS[expectation.check](conn, expectation.params)
    except Exception as error:  # noqa: BLE001 - any error means the expectation is not met
        conn.rollback()
        return Outcome(expectation, False, f"error: {type(error).__name__}: {error}")
    conn.rollback()
    return Outcome(expectation, passed, observed)


def evaluate_all(conn, expectations: list[Expectation] | None = None) -> list[Outcome]:
    return [evaluate(conn, e) for e in expectations or load_expectations()]
