"""People queries: top people by role, one person's scores and career, a film's gravitas
and success predictions. (The pipeline publishes the learned gravitas weight as a weight
profile: `ml.people.weight_profile`.)

Plain functions over a psycopg2 connection; user values travel as query parameters. The
numbers come from the person-quality tables as stored (components next to every total),
never recomputed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from psycopg2 import sql

from ml.people.config import ROLES, people_config
from ml.people.gravitas_fit import read_points, simple_fit
from ml.people.gravitas_model import MODEL_NAME, GravitasModel, load, predict, read_films
from ml.runs import latest_run
from serving.metrics import resolve_film
from warehouse.io import read_frame

IMDB_PERSON_ID = re.compile(r"^nm\d{7,}$")
MAX_NAMESAKES = 10


def _components() -> list[str]:
    return [f"{component}_score" for component in people_config().components]


def top_people(conn, role: str, n: int = 20) -> pd.DataFrame:
    """The role's `n` best people by total_pqs, with their components."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    if n < 1:
        raise ValueError(f"-n must be at least 1, got {n}")
    columns = sql.SQL(", ").join(sql.Identifier("scores", c) for c in _components())
    query = sql.SQL("""
        select people.name, scores.person_id, scores.total_pqs, scores.percentile_rank,
            scores.films_analyzed, scores.first_year, scores.last_year, {columns}
        from ml.person_quality_scores as scores
        inner join marts.dim_people as people using (person_id)
        where scores.role = %s
        order by scores.total_pqs desc, people.name
        limit %s
    """).format(columns=columns)
    return read_frame(conn, query, (role, n))


@dataclass(frozen=True)
class PersonProfile:
    person_id: int
    name: str
    imdb_person_id: str | None
    scores: pd.DataFrame  # one row per role: total, percentile, components, raw measures
    career: pd.DataFrame  # person_career_metrics, year by year
    asof: pd.DataFrame  # total_pqs by role and year (person_quality_asof)


def resolve_people(conn, person: int | str) -> pd.DataFrame:
    """person_id, name, imdb_person_id of a person_id, an IMDb nm id, or a name. A name two
    people share gives both (they are different people); an unknown one is an error."""
    text = str(person).strip()
    if text.isdigit():
        where, value = "person_id = %s", int(text)
    elif IMDB_PERSON_ID.match(text):
        where, value = "imdb_person_id = %s", text
    else:
        where, value = "lower(name) = lower(%s)", text
    found = read_frame(
        conn,
        sql.SQL(
            "select person_id, name, imdb_person_id, roles, film_count from marts.dim_people "
            "where {} order by film_count desc, person_id limit {}"
        ).format(sql.SQL(where), sql.Literal(MAX_NAMESAKES)),
        (value,),
    )
    if found.empty:
        raise LookupError(
            f"no person matches {text!r}; give a full name, a person_id or an IMDb nm id"
        )
    return found


def person_profile(conn, person: int | str) -> list[PersonProfile]:
    """Each matching person's scores per role, career year by year and as-of history."""
    profiles = []
    for row in resolve_people(conn, person).itertuples():
        scores = read_frame(
            conn,
            sql.SQL(
                "select * from ml.person_quality_scores "
                "where person_id = %s order by total_pqs desc"
            ),
            (row.person_id,),
        )
        career = read_frame(
            conn,
            sql.SQL("select * from marts.person_career_metrics where person_id = %s order by year"),
            (row.person_id,),
        )
        asof = read_frame(
            conn,
            sql.SQL(
                "select role, year, total_pqs, films_analyzed from ml.person_quality_asof "
                "where person_id = %s order by role, year"
            ),
            (row.person_id,),
        )
        profiles.append(
            PersonProfile(row.person_id, row.name, row.imdb_person_id, scores, career, asof)
        )
    return profiles


@dataclass(frozen=True)
class FilmGravitas:
    film_id: int
    title: str | None
    release_year: int | None
    current: dict | None  # the movie_gravitas_scores row
    asof: dict | None  # the movie_gravitas_asof row (people's PQS as of the release year)
    people: pd.DataFrame  # every credited person with their current PQS in the credit's role


def film_gravitas(conn, film: int | str) -> FilmGravitas:
    film_id, title, release_year = resolve_film(conn, film)
    rows = {}
    for table in ("movie_gravitas_scores", "movie_gravitas_asof"):
        found = read_frame(
            conn,
            sql.SQL("select * from {} where film_id = %s").format(sql.Identifier("ml", table)),
            (film_id,),
        )
        rows[table] = found.iloc[0].to_dict() if not found.empty else None
    people = read_frame(
        conn,
        sql.SQL("""
        select credits.credit_role, people.name, credits.person_id, scores.total_pqs,
            scores.percentile_rank, scores.films_analyzed
        from intermediate.int_people__credits as credits
        inner join marts.dim_people as people using (person_id)
        left join ml.person_quality_scores as scores
            on scores.person_id = credits.person_id and scores.role = credits.pqs_role
        where credits.film_id = %s
        order by credits.credit_role, scores.total_pqs desc nulls last
    """),
        (film_id,),
    )
    film = read_frame(
        conn,
        sql.SQL("select title, release_year from marts.dim_films where film_id = %s"),
        (film_id,),
    ).iloc[0]
    year = None if pd.isna(film["release_year"]) else int(film["release_year"])
    return FilmGravitas(
        film_id,
        film["title"],
        year,
        rows["movie_gravitas_scores"],
        rows["movie_gravitas_asof"],
        people,
    )


def latest_model(conn) -> tuple[GravitasModel, dict]:
    """The newest gravitas model and its ml.model_runs row; an error when none was trained."""
    run = latest_run(conn, MODEL_NAME)
    if run is None:
        raise LookupError("no gravitas model has been trained: materialise ml/gravitas_ols first")
    return load(Path(run["manifest"]["artifact"])), run


def predict_movie_success(conn, film: int | str) -> dict:
    """The latest model's predictions for a film (IMDb rating, log worldwide gross), each
    with its 95% mean and prediction intervals, from the film's as-of gravitas."""
    film_id = resolve_film(conn, film)[0]
    model, run = latest_model(conn)
    rows = read_films(conn, film_id)
    if rows.empty:
        raise LookupError(f"film {film_id} has no as-of gravitas (no dated credit with a score)")
    return {
        "film_id": film_id,
        "run_id": run["run_id"],
        "gravitas": float(rows["gravitas"].iloc[0]),
        "predictions": predict(model, rows),
    }


def gravitas_fit(conn, alpha: float = 0.05) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(films, line, fit) of IMDb rating against as-of gravitas (`ml.people.gravitas_fit`)."""
    return simple_fit(read_points(conn), alpha)
