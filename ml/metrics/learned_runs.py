"""Learned weight profiles on the warehouse: read the inputs, learn a profile for everyone
and for each taste cluster (`learned_weights.learn_audience_profiles`), record every
audience's evidence in `ml.learned_profile_runs`, and publish the profiles that beat
`balanced` to the profile store as `learned_<audience>` (with their model in
`app.ml_weight_profiles`).

Film scores: the per-category scores of `marts.film_scores`. A profile that weighs a category
0 has no score for it, and no system profile weighs every category, so each category's score
is read under the system profile that weighs it most (`balanced` for the four it weighs;
`crowd_pleaser` for popularity). A category no system profile weighs (person_quality today)
has no column, and a learned profile gives it weight 0.

Windows: ratings of `marts.fct_ratings` before `split_at` train, ratings from it on are the
holdout; by default `split_at` is the time by which `train_share` of the ratings were made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from psycopg2 import sql
from psycopg2.extras import Json, execute_values

from ml.metrics.learned_weights import LearnedProfile, LearningParams, learn_audience_profiles
from ml.metrics.profiles import publish_model_profile
from ml.metrics.registry import categories, profile_weights, system_profiles
from ml.runs import record_run
from warehouse.io import read_frame

MODEL_NAME = "learned_weight_profiles"
PROFILE_PREFIX = "learned_"
BASELINE = "balanced"
TRAIN_SHARE = 0.8


@dataclass(frozen=True)
class LearnedRun:
    run_id: str
    split_at: pd.Timestamp
    profiles: list[LearnedProfile]
    published: dict[str, str]  # audience -> profile name


def scoring_profiles() -> dict[str, str]:
    """Each category's source profile: the system profile that weighs it most."""
    found = {}
    for category in categories():
        weights = {p: profile_weights(p)[category] for p in system_profiles()}
        best = max(weights, key=lambda p: (weights[p], p == BASELINE))
        if weights[best] > 0:
            found[category] = best
    return found


def category_scores(conn) -> pd.DataFrame:
    """Films x categories: each category's score under its source profile."""
    columns = []
    for category, profile in scoring_profiles().items():
        frame = read_frame(
            conn,
            sql.SQL("select film_id, {} as score from marts.film_scores where profile = %s").format(
                sql.Identifier(f"{category}_score")
            ),
            (profile,),
        )
        columns.append(frame.set_index("film_id")["score"].astype(float).rename(category))
    return pd.concat(columns, axis=1)


def split_time(ratings: pd.DataFrame, train_share: float = TRAIN_SHARE) -> pd.Timestamp:
    return pd.Timestamp(ratings["rated_at"].quantile(train_share))


def learn_from_warehouse(
    conn, params: LearningParams | None = None, train_share: float = TRAIN_SHARE
) -> LearnedRun:
    params = params or LearningParams()
    scores = category_scores(conn)
    ratings = read_frame(conn, "select user_id, film_id, rating, rated_at from marts.fct_ratings")
    ratings["rating"] = ratings["rating"].astype(float)
    clusters = read_frame(conn, "select user_id, cluster from ml.user_clusters")
    split_at = split_time(ratings, train_share)
    baseline = pd.Series(profile_weights(BASELINE))
    profiles = learn_audience_profiles(scores, ratings, clusters, split_at, baseline, params)
    run_id = record_run(
        conn,
        MODEL_NAME,
        params={**params.__dict__, "train_share": train_share, "baseline": BASELINE},
        metrics={p.audience: {"publish": p.publish, "ndcg_gain": p.ndcg_gain} for p in profiles},
        manifest={"split_at": split_at, "scoring_profiles": scoring_profiles()},
    )
    _record(conn, run_id, split_at, profiles)
    published = {p.audience: _publish(conn, run_id, split_at, p) for p in profiles if p.publish}
    _mark_published(conn, run_id, published)
    return LearnedRun(run_id, split_at, profiles, published)


def _record(conn, run_id: str, split_at: pd.Timestamp, profiles: list[LearnedProfile]) -> None:
    def score(p: LearnedProfile, which: str, field: str) -> float | None:
        holdout = getattr(p, which)
        return None if holdout is None else getattr(holdout, field)

    rows = [
        (
            run_id,
            p.audience,
            p.publish,
            p.reason,
            Json({k: float(v) for k, v in p.weights.items()}),
            score(p, "learned_holdout", "ndcg"),
            score(p, "learned_holdout", "spearman"),
            score(p, "baseline_holdout", "ndcg"),
            score(p, "baseline_holdout", "spearman"),
            p.ndcg_gain,
            p.gain_ci[0] if p.gain_ci else None,
            p.gain_ci[1] if p.gain_ci else None,
            p.train_ratings,
            p.train_films,
            p.holdout_films,
            split_at,
            p.model_version,
        )
        for p in profiles
    ]
    with conn, conn.cursor() as cur:
        execute_values(
            cur,
            "insert into ml.learned_profile_runs (run_id, audience, published, reason, weights, "
            "learned_holdout_ndcg, learned_holdout_spearman, balanced_holdout_ndcg, "
            "balanced_holdout_spearman, ndcg_gain, gain_ci_low, gain_ci_high, train_ratings, "
            "train_films, holdout_films, split_at, model_version) values %s",
            rows,
        )


def _publish(conn, run_id: str, split_at: pd.Timestamp, profile: LearnedProfile) -> str:
    name = f"{PROFILE_PREFIX}{profile.audience}"
    weights = profile.weights.reindex(list(categories()), fill_value=0.0)
    publish_model_profile(
        conn,
        name,
        category_weights={k: float(v) for k, v in weights.items()},
        description=(
            f"Weights learned from {profile.audience}'s ratings before {split_at:%Y-%m-%d} "
            f"(run {run_id}); holdout NDCG@50 {profile.learned_holdout.ndcg:.4f} vs "
            f"{profile.baseline_holdout.ndcg:.4f} for {BASELINE}: {profile.reason}."
        ),
        model=MODEL_NAME,
        model_version=f"{profile.model_version}:{run_id}",
        accuracy=profile.learned_holdout.ndcg,
        sample_size=profile.train_ratings,
        training_date=date.today(),
        run_id=run_id,
    )
    return name


def _mark_published(conn, run_id: str, published: dict[str, str]) -> None:
    with conn, conn.cursor() as cur:
        for audience, profile in published.items():
            cur.execute(
                "update ml.learned_profile_runs set profile = %s "
                "where run_id = %s and audience = %s",
                (profile, run_id, audience),
            )
