"""Search films by their metric values, and the leaderboards, ordered by a profile's
ranked score (the total score shrunk towards the profile's prior by its weight coverage:
see film_scores_live), with both coverages shown.

A filter is a dict naming either a `category` (bounds on the film's category score under the
profile: `min_normalized` / `max_normalized`) or a `metric_code` (bounds on the film's
winning value of that metric: `min_normalized`, `max_normalized`, `min_raw_value`,
`max_raw_value`). Filters combine with AND. A film without a value for a filtered metric or
category does not match: a missing value is unknown, not low.

    search_movies(conn, {"category": "rating", "min_normalized": 0.8})
    search_movies(conn, {"metric_code": "rt_tomatometer", "min_raw_value": 80})
    search_movies(conn, [                                       # hidden gems
        {"metric_code": "movielens_rating_count", "max_normalized": 0.3},
        {"category": "rating", "min_normalized": 0.8},
        {"category": "cultural", "min_normalized": 0.6},
    ], profile="hidden_gems")

A leaderboard is a search without filters that leaves out the films no source gives a title
(they are listed in `marts.film_identity_issues`); a search keeps them, named by `film_label`
('imdb:tt...').

Scores come from `marts.film_scores`; when the profile was edited after that table was
built (or is newer than it), from `marts.film_scores_live`, so results never lag an edit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from psycopg2 import sql
from psycopg2.extras import RealDictCursor

from ml.metrics import categories, metric

MAX_LIMIT = 500
# Bound name -> (column of marts.film_metric_values, comparison).
METRIC_BOUNDS = {
    "min_normalized": ("normalized_value", ">="),
    "max_normalized": ("normalized_value", "<="),
    "min_raw_value": ("raw_value", ">="),
    "max_raw_value": ("raw_value", "<="),
}
CATEGORY_BOUNDS = ("min_normalized", "max_normalized")


@dataclass(frozen=True)
class SearchFilter:
    category: str | None
    metric_code: str | None
    bounds: dict[str, float]


@dataclass(frozen=True)
class SearchResult:
    profile: str
    scored_from: str
    rows: list[dict]


def _bound(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        # a user's bad input: ValueError, which the CLI reports as such (not a TypeError)
        raise ValueError(f"{name} must be a number, got {value!r}")  # noqa: TRY004
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def parse_filter(spec: Mapping) -> SearchFilter:
    """Validate one filter dict; unknown names are errors that list the valid ones."""
    keys = set(spec)
    valid_keys = {"category", "metric_code", *METRIC_BOUNDS}
    if keys - valid_keys:
        raise ValueError(
            f"unknown filter keys {sorted(keys - valid_keys)}; "
            f"valid keys: {', '.join(sorted(valid_keys))}"
        )
    if ("category" in spec) == ("metric_code" in spec):
        raise ValueError(f"a filter names either a category or a metric_code, got {dict(spec)}")
    bounds = {name: _bound(name, spec[name]) for name in METRIC_BOUNDS if name in spec}
    if not bounds:
        raise ValueError(
            f"a filter needs at least one of {', '.join(METRIC_BOUNDS)}, got {dict(spec)}"
        )
    if "category" in spec:
        if spec["category"] not in categories():
            raise LookupError(
                f"unknown category {spec['category']!r}; "
                f"valid categories: {', '.join(categories())}"
            )
        if set(bounds) - set(CATEGORY_BOUNDS):
            raise ValueError(
                "a category filter takes min_normalized / max_normalized only: "
                "raw values of different metrics share no scale"
            )
        return SearchFilter(spec["category"], None, bounds)
    return SearchFilter(None, metric(str(spec["metric_code"])).code, bounds)


def parse_filters(filters: Mapping | Sequence[Mapping]) -> list[SearchFilter]:
    """One filter dict, {"filters": [...]}, or a list of filter dicts."""
    if isinstance(filters, Mapping):
        filters = filters["filters"] if set(filters) == {"filters"} else [filters]
    parsed = [parse_filter(spec) for spec in filters]
    if not parsed:
        raise ValueError("give at least one filter")
    return parsed


def _condition(search_filter: SearchFilter) -> tuple[sql.Composable, list]:
    if search_filter.category:
        column = sql.Identifier("scores", f"{search_filter.category}_score")
        parts = [
            sql.SQL("{} {} %s").format(column, sql.SQL(METRIC_BOUNDS[name][1]))
            for name in search_filter.bounds
        ]
        return sql.SQL(" and ").join(parts), list(search_filter.bounds.values())
    parts = [
        sql.SQL("value.{} {} %s").format(
            sql.Identifier(METRIC_BOUNDS[name][0]), sql.SQL(METRIC_BOUNDS[name][1])
        )
        for name in search_filter.bounds
    ]
    condition = sql.SQL(
        "exists (select 1 from marts.film_metric_values as value "
        "where value.film_id = scores.film_id and value.metric_code = %s and {})"
    ).format(sql.SQL(" and ").join(parts))
    return condition, [search_filter.metric_code, *search_filter.bounds.values()]


# film_scores_live has no titles (the score API does not need them): joined here.
LIVE_SCORES = sql.SQL(
    "(select live.*, films.title, films.film_label, films.title is not null as has_title, "
    "films.release_year from marts.film_scores_live as live "
    "inner join marts.dim_films as films on live.film_id = films.film_id)"
)
RESULT_COLUMNS = (
    "film_id",
    "film_label",
    "title",
    "release_year",
    "ranked_score",
    "total_score",
    "weight_coverage",
    "available_coverage",
    "metrics_used",
)


def _scores_relation(cur, profile: str) -> str:
    """film_scores when it was built with the profile as it is now, else film_scores_live
    (which lacks the films without data: they match no filter anyway)."""
    cur.execute("select updated_at from marts.dim_weight_profiles where profile = %s", (profile,))
    current = cur.fetchone()
    if current is None:
        cur.execute("select profile from marts.dim_weight_profiles order by profile")
        valid = ", ".join(row["profile"] for row in cur.fetchall())
        raise LookupError(f"unknown weight profile {profile!r}; valid profiles: {valid}")
    cur.execute(
        "select profile_updated_at from marts.film_scores where profile = %s limit 1", (profile,)
    )
    built = cur.fetchone()
    fresh = built is not None and built["profile_updated_at"] == current["updated_at"]
    return "film_scores" if fresh else "film_scores_live"


def _ranked_films(
    conn,
    profile: str,
    conditions: list[sql.Composable],
    params: list,
    limit: int,
    offset: int,
) -> SearchResult:
    """The films of `profile` meeting every condition, best ranked score first."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be an integer from 1 to {MAX_LIMIT}, got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be a non-negative integer, got {offset!r}")
    columns = [
        *(sql.Identifier("scores", column) for column in RESULT_COLUMNS),
        *(sql.Identifier("scores", f"{category}_score") for category in categories()),
    ]
    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        relation = _scores_relation(cur, profile)
        # A first page walks the (profile, ranked score) index and stops after `limit`
        # matches in a few milliseconds; starting parallel workers would cost more.
        cur.execute("set local max_parallel_workers_per_gather = 0")
        cur.execute(
            sql.SQL("""
                select {columns}
                from {relation} as scores
                where scores.profile = %s and scores.ranked_score is not null and {conditions}
                order by scores.ranked_score desc, scores.film_id
                limit %s offset %s
            """).format(
                columns=sql.SQL(", ").join(columns),
                relation=sql.Identifier("marts", relation)
                if relation == "film_scores"
                else LIVE_SCORES,
                conditions=sql.SQL(" and ").join(conditions or [sql.SQL("true")]),
            ),
            [profile, *params, limit, offset],
        )
        rows = [dict(row) for row in cur.fetchall()]
    return SearchResult(profile=profile, scored_from=relation, rows=rows)


def search_movies(
    conn,
    filters: Mapping | Sequence[Mapping],
    profile: str = "balanced",
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Films matching every filter, best ranked score under `profile` first."""
    conditions, params = [], []
    for search_filter in parse_filters(filters):
        condition, values = _condition(search_filter)
        conditions.append(condition)
        params += values
    return _ranked_films(conn, profile, conditions, params, limit, offset)


def leaderboard(
    conn,
    profile: str = "balanced",
    limit: int = 20,
    offset: int = 0,
    include_untitled: bool = False,
    min_available_coverage: float = 0.0,
) -> SearchResult:
    """The profile's best films by ranked score; films without a title only when asked, and
    films below `min_available_coverage` (of the weight this deployment can feed) left out."""
    conditions = [sql.SQL("scores.available_coverage >= %s")]
    if not include_untitled:
        conditions.append(sql.SQL("scores.has_title"))
    return _ranked_films(conn, profile, conditions, [min_available_coverage], limit, offset)
