"""One film's score under one profile, with the step-by-step breakdown behind it.

Reads the live views (`marts.film_scores_live`, `marts.film_score_breakdown`), so the
answer reflects the latest profile edit; both are filtered on one film and one profile,
which Postgres pushes down to that film's rows. The arithmetic lives in those dbt models
only: this module adds none of its own.

Planning a query over those views costs ten times more than running it for one film, so
both queries are prepared once per connection (server-side PREPARE) and executed by name.
PostgreSQL re-plans a prepared statement by itself when dbt rebuilds a view under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from ml.metrics import categories

IMDB_ID = re.compile(r"^tt\d{7,}$")
TITLE_WITH_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)$")
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class MetricContribution:
    """One row of the score calculator: a metric's value, weights and part of the total."""

    category: str
    metric_code: str
    source: str
    raw_value: float
    normalized_value: float
    is_clamped: bool
    observed_at: datetime
    normalized_weight: float
    profile_metric_weight: float
    source_reliability: float
    effective_weight: float
    share_of_category: float
    category_score: float
    category_weight: float
    renormalized_category_weight: float | None
    contribution: float | None


@dataclass(frozen=True)
class FilmScore:
    film_id: int
    title: str
    release_year: int | None
    profile: str
    total_score: float | None
    ranked_score: float | None
    weight_coverage: float
    available_coverage: float | None
    metrics_used: int
    categories_used: int
    category_scores: dict[str, float | None]
    breakdown: tuple[MetricContribution, ...]


BREAKDOWN_COLUMNS = [f.name for f in fields(MetricContribution)]
SCORE_COLUMNS = [f"{category}_score" for category in categories()]
PREPARED = {
    "metrics_film_score": (
        "select total_score, ranked_score, weight_coverage, available_coverage, metrics_used, "
        f"categories_used, {', '.join(SCORE_COLUMNS)} from marts.film_scores_live "
        "where film_id = $1 and profile = $2"
    ),
    "metrics_film_score_breakdown": (
        f"select {', '.join(BREAKDOWN_COLUMNS)} from marts.film_score_breakdown "
        "where film_id = $1 and profile = $2 "
        "order by array_position($3::text[], category), contribution desc nulls last, metric_code"
    ),
}


def _execute_prepared(cur, name: str, params: tuple) -> None:
    """EXECUTE one of `PREPARED`, preparing it first if this connection has not yet."""
    cur.execute("select 1 from pg_prepared_statements where name = %s", (name,))
    if cur.fetchone() is None:
        cur.execute(f"prepare {name} as {PREPARED[name]}")
    placeholders = ", ".join(["%s"] * len(params))
    cur.execute(f"execute {name} ({placeholders})", params)


def _candidates(cur, relation: str, where: str, params: tuple) -> list[tuple]:
    cur.execute(
        f"select distinct film_id, title, release_year from marts.{relation} where {where} "
        f"order by release_year, film_id limit {MAX_CANDIDATES + 1}",
        params,
    )
    return cur.fetchall()


def resolve_film(conn, film: int | str) -> tuple[int, str, int | None]:
    """(film_id, title, release_year) from a film_id, an IMDb id (tt...), a title, or
    'Title (year)'. An unknown film or an ambiguous title is an error listing what it found.

    A film_id is looked up in film_scores first: it holds every film with an index on
    film_id, which dim_films lacks; a film newer than the last build is still found in
    dim_films.
    """
    text = str(film).strip()
    with conn.cursor() as cur:
        if text.isdigit():
            found = _candidates(cur, "film_scores", "film_id = %s", (int(text),)) or _candidates(
                cur, "dim_films", "film_id = %s", (int(text),)
            )
        elif IMDB_ID.match(text):
            found = _candidates(cur, "dim_films", "imdb_id = %s", (text,))
        elif match := TITLE_WITH_YEAR.match(text):
            found = _candidates(
                cur,
                "dim_films",
                "lower(title) = lower(%s) and release_year = %s",
                (match["title"], int(match["year"])),
            )
        else:
            found = _candidates(cur, "dim_films", "lower(title) = lower(%s)", (text,))
    if len(found) == 1:
        return found[0]
    if not found:
        raise LookupError(
            f"no film matches {text!r}; give a film_id, an IMDb id (tt...), "
            f"a title, or 'Title (year)'"
        )
    listed = "; ".join(
        f"{film_id}: {title} ({year})" for film_id, title, year in found[:MAX_CANDIDATES]
    )
    more = " ..." if len(found) > MAX_CANDIDATES else ""
    raise LookupError(f"{text!r} matches several films, pick one by film_id: {listed}{more}")


def calculate_movie_score(conn, film: int | str, profile: str = "balanced") -> FilmScore:
    """The film's total, ranked and category scores under `profile`, with every metric's
    contribution.

    A film with no data under the profile has no score (total and ranked None, coverages 0).
    """
    film_id, title, release_year = resolve_film(conn, film)
    with conn.cursor() as cur:
        cur.execute("select 1 from marts.dim_weight_profiles where profile = %s", (profile,))
        if cur.fetchone() is None:
            cur.execute("select profile from marts.dim_weight_profiles order by profile")
            valid = ", ".join(r[0] for r in cur.fetchall())
            raise LookupError(f"unknown weight profile {profile!r}; valid profiles: {valid}")
        _execute_prepared(cur, "metrics_film_score", (film_id, profile))
        row = cur.fetchone() or (None, None, 0.0, 0.0, 0, 0, *[None] * len(SCORE_COLUMNS))
        _execute_prepared(
            cur, "metrics_film_score_breakdown", (film_id, profile, list(categories()))
        )
        breakdown = tuple(MetricContribution(*values) for values in cur.fetchall())
    return FilmScore(
        film_id,
        title,
        release_year,
        profile,
        *row[:6],
        category_scores=dict(zip(categories(), row[6:], strict=True)),
        breakdown=breakdown,
    )
