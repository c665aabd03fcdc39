"""Person-quality figures, on the warehouse the foundation benchmark materialised.

pqs_gravitas_full_s              every person's PQS and every film's gravitas from scratch,
                                 read, computed and written (target < 10 s)
pqs_asof_full_s                  the as-of history: every person, role and year, and every
                                 film's as-of gravitas, rebuilt and written
gravitas_incremental_one_film_s  one film's Oscar record changes: the incremental refresh,
                                 read to write (target < 1 s); median of 3
gravitas_incremental_rating_s    one film's IMDb rating changes, which moves the peer graph;
                                 median of 3
gravitas_incremental_rating_people  people that rating change recomputes
gravitas_asof_ols_holdout_r2     holdout R^2 of the IMDb-rating OLS with as-of gravitas (the
                                 model that ships)
gravitas_ols_holdout_r2          the same with current gravitas, which knows each film's own
                                 later awards: for comparison only
controls_only_holdout_r2         the same without gravitas (genre, log budget, year)
director_pqs_film_count_corr     Pearson correlation of director PQS with the director's film
                                 count (how much the score is volume)
director_festival_saturated      directors whose festival component is at 1
michael_bay_director_percentile  a check on role-true awards (his films' Oscars are technical)

The changes are made to the intermediate tables the refresh reads and undone afterwards.
"""

from __future__ import annotations

import statistics

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse, timed

REPEATS = 3
CHANGES = {
    "award": (
        "update intermediate.int_people__film_recognition "
        "set normalized_value = normalized_value + %s "
        "where film_id = %s and metric_code = 'oscar_wins'",
        "select film_id from intermediate.int_people__film_recognition "
        "where metric_code = 'oscar_wins' order by film_id limit 1",
    ),
    "rating": (
        "update intermediate.int_people__film_outcomes set film_score = film_score + %s "
        "where film_id = %s",
        "select film_id from intermediate.int_people__film_outcomes where film_score is not null "
        "order by film_id limit 1",
    ),
}


def _incremental(conn, change: str, refresh_current) -> tuple[float, int]:
    """Median seconds of an incremental refresh after one film's change, and its closure size."""
    update, pick = CHANGES[change]
    with conn.cursor() as cur:
        cur.execute(pick)
        (film_id,) = cur.fetchone()
    timings, people = [], 0
    for _ in range(REPEATS):
        for delta in (0.05, -0.05):  # change, then undo: both refreshes are incremental
            with conn, conn.cursor() as cur:
                cur.execute(update, (delta, film_id))
            seconds, result = timed(lambda: refresh_current(conn))
            if delta > 0:
                timings.append(seconds)
                people = len(result.closure.people)
    return statistics.median(timings), people


DIRECTOR_FIGURES = """
    select corr(scores.total_pqs, scores.films_analyzed) as corr,
        count(*) filter (where scores.festival_score >= 0.999) as saturated,
        max(scores.percentile_rank) filter (where people.name = 'Michael Bay') as bay
    from ml.person_quality_scores as scores
    inner join marts.dim_people as people using (person_id)
    where scores.role = 'director'
"""


def _director_figures(conn) -> dict[str, float]:
    with conn.cursor() as cur:
        cur.execute(DIRECTOR_FIGURES)
        corr, saturated, bay = cur.fetchone()
    conn.rollback()
    return {
        "director_pqs_film_count_corr": round(float(corr), 3),
        "director_festival_saturated": int(saturated),
        "michael_bay_director_percentile": round(float(bay), 3),
    }


def run() -> dict[str, float]:
    from ml.people.config import people_config
    from ml.people.gravitas_model import CUTOFF_YEAR, read_films, train
    from ml.people.refresh import refresh_asof, refresh_current

    conn = started_warehouse(needs="intermediate.int_people__credits")
    full_s, _ = timed(lambda: refresh_current(conn, full=True))
    asof_s, _ = timed(lambda: refresh_asof(conn))
    award_s, _ = _incremental(conn, "award", refresh_current)
    rating_s, rating_people = _incremental(conn, "rating", refresh_current)
    model = train(read_films(conn), CUTOFF_YEAR, people_config().calculation_version)
    directors = _director_figures(conn)
    conn.close()
    metrics = model.fits["imdb_rating"].metrics
    return {
        "pqs_gravitas_full_s": round(full_s, 2),
        "pqs_asof_full_s": round(asof_s, 2),
        "gravitas_incremental_one_film_s": round(award_s, 3),
        "gravitas_incremental_rating_s": round(rating_s, 3),
        "gravitas_incremental_rating_people": rating_people,
        "gravitas_asof_ols_holdout_r2": metrics["holdout_r2"],
        "gravitas_ols_holdout_r2": metrics["current_gravitas_holdout_r2"],
        "controls_only_holdout_r2": metrics["controls_only_holdout_r2"],
        **directors,
    }
