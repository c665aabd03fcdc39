"""People queries: top people by role, one person's scores and career, a film's gravitas,
success predictions, and publishing the learned gravitas weight as a weight profile.

Plain functions over a psycopg2 connection; user values travel as query parameters. The
numbers come from the person-quality tables as stored (components next to every total),
never recomputed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from psycopg2 import sql

from ml.frames import read_frame
from ml.people.config import ROLES, people_config
from ml.people.gravitas_model import (
    MODEL_NAME,
    PRIMARY_TARGET,
    GravitasModel,
    load,
    predict,
    profile_weights,
    read_films,
)
from ml.runs import latest_run
from orchestration.api.metrics import (
    create_profile,
    get_profile,
    list_profiles,
    resolve_film,
    update_profile_weight,
)

IMDB_PERSON_ID = re.compile(r"^nm\d{7,}$")
MAX_NAMESAKES = 10
ML_PROFILE_PREFIX = "ml_optimized_"


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
        from marts.person_quality_scores as scores
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
                "select * from marts.person_quality_scores "
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
                "select role, year, total_pqs, films_analyzed from marts.person_quality_asof "
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
            sql.SQL("select * from {} where film_id = %s").format(sql.Identifier("marts", table)),
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
        left join marts.person_quality_scores as scores
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


def ensure_ml_profile_table(conn) -> None:
    """app.ml_weight_profiles: which model a learned weight profile came from."""
    with conn.cursor() as cur:
        cur.execute("""
            create table if not exists app.ml_weight_profiles (
                profile text primary key,
                ml_model_version text not null,
                ml_model_accuracy float8 not null,
                training_sample_size integer not null,
                training_date date not null,
                model_run_id text not null
            )
        """)
    conn.commit()


def publish_ml_profile(conn, model: GravitasModel, run_id: str, on: date | None = None) -> str:
    """Write the learned person_quality weight as the custom profile ml_optimized_<date>
    (the balanced profile's other weights scaled to make room) and record its model."""
    on = on or date.today()
    profile = f"{ML_PROFILE_PREFIX}{on:%Y%m%d}"
    weights = profile_weights(get_profile(conn, "balanced").category_weights, model.importance)
    fit = model.fits[PRIMARY_TARGET]
    description = (
        f"Balanced, with person_quality weighted {model.importance:.3f} "
        f"as learned by the gravitas OLS (run {run_id}, "
        f"holdout R^2 {fit.metrics['holdout_r2']} "
        f"vs {fit.metrics['controls_only_holdout_r2']} for the controls alone)."
    )
    change = dict(
        category_weights=weights, description=description, reason=f"gravitas OLS run {run_id}"
    )
    if profile in list_profiles(conn):
        update_profile_weight(conn, profile, changed_by=MODEL_NAME, **change)
    else:
        create_profile(conn, profile, created_by=MODEL_NAME, based_on="balanced", **change)
    ensure_ml_profile_table(conn)
    with conn, conn.cursor() as cur:
        cur.execute(
            """
            insert into app.ml_weight_profiles
                (profile, ml_model_version, ml_model_accuracy, training_sample_size, training_date,
                 model_run_id)
            values (%s, %s, %s, %s, %s, %s)
            on conflict (profile) do update set
                ml_model_version = excluded.ml_model_version,
                ml_model_accuracy = excluded.ml_model_accuracy,
                training_sample_size = excluded.training_sample_size,
                training_date = excluded.training_date,
                model_run_id = excluded.model_run_id
        """,
            (
                profile,
                f"{MODEL_NAME}:{run_id}",
                fit.metrics["holdout_r2"],
                fit.metrics["train_n"],
                on,
                run_id,
            ),
        )
    return profile
