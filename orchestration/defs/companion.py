"""Companion assets (group `companion`): thin wrappers over `ml.companion`.

- ml/companion_model: the nightly retrain. Evaluates the myfm rating model on each user's
  latest 20% of ratings next to the cohort baselines (ml.model_runs), refits on every
  rating and saves what the refreshes reuse (model, item neighbours, pick parameters).
- app/taste_profiles + ml/personal_picks: one multi-asset, because a refresh replaces a
  user's profile, picks and queue rows in one transaction. With no users in its config it
  recomputes everyone; the sensor and the schedules name the users.

How a rating or a message reaches the picks:
1. A PostgreSQL trigger on app.rating_events / app.conversations upserts the user into
   app.recommendation_refresh_queue (one row per user).
2. `companion_refresh_sensor` (on by default) requests one `companion_refresh_job` run for
   the queued users; its run key is the queue's high-water mark.
3. That run recomputes those users and deletes their queue rows as it commits.
"""

import dagster as dg
import pandas as pd

from ml.companion import store
from ml.companion.rating_model import DEFAULT_PARAMS, RANK_GRID, RatingParams
from ml.companion.refresh import refresh, train_serving_model
from ml.companion.training import MODEL_NAME
from ml.runs import latest_run
from orchestration.materialize_all import BESIDE_DBT_TAG
from orchestration.owners import owned, team
from orchestration.resources import WarehouseResource
from orchestration.settings import settings

GROUP = "companion"
MODEL = dg.AssetKey(["ml", "companion_model"])
PROFILES = dg.AssetKey(["app", "taste_profiles"])
PICKS = dg.AssetKey(["ml", "personal_picks"])
FCT_RATINGS = dg.AssetKey(["marts", "fct_ratings"])
INPUTS = [
    FCT_RATINGS,
    dg.AssetKey(["marts", "dim_films"]),
    dg.AssetKey(["marts", "bridge_film_people"]),
    dg.AssetKey(["ml", "user_clusters"]),
]
ECE_LIMIT = 0.05
QUICK_REFRESH = pd.Timedelta(minutes=15)


def model_folder():
    return settings().data_dir / "companion"


class CompanionModelConfig(dg.Config):
    """The nightly fit; defaults are ml's (RatingParams, RANK_GRID)."""

    rank_grid: list[int] = list(RANK_GRID)
    n_iter: int = DEFAULT_PARAMS.n_iter
    burn_in: int = DEFAULT_PARAMS.burn_in


@dg.asset(
    key=MODEL,
    deps=INPUTS,
    group_name=GROUP,
    kinds={"python", "postgres"},
    # Four rating-model fits: half a minute on one core, read only by the picks.
    tags={BESIDE_DBT_TAG: ""},
    check_specs=[
        dg.AssetCheckSpec(
            "rmse_below_bias_baseline",
            asset=MODEL,
            description="Holdout RMSE below the bias baseline's on the same split.",
        ),
        dg.AssetCheckSpec(
            "ece_within_limit",
            asset=MODEL,
            description=f"Holdout calibration error of the confidence at most {ECE_LIMIT}.",
        ),
    ],
)
def companion_model(config: CompanionModelConfig, warehouse: WarehouseResource):
    """The rating model (myfm, implicit feedback + biases) evaluated and refitted; the run
    and its holdout metrics next to the baselines go to ml.model_runs."""
    base = RatingParams(n_iter=config.n_iter, burn_in=config.burn_in, seed=settings().model_seed)
    with warehouse.connection() as conn:
        model, metrics, run_id = train_serving_model(conn, tuple(config.rank_grid), base)
    path = model.save(model_folder())
    figures = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
    yield dg.MaterializeResult(metadata={"run_id": run_id, "artifact": str(path), **figures})
    yield dg.AssetCheckResult(
        check_name="rmse_below_bias_baseline",
        passed=bool(metrics["rmse_holdout"] < metrics["rmse_bias_baseline"]),
        metadata={k: metrics[k] for k in ("rmse_holdout", "rmse_bias_baseline")},
    )
    yield dg.AssetCheckResult(
        check_name="ece_within_limit",
        passed=bool(metrics["ece_holdout"] <= ECE_LIMIT),
        metadata={"ece_holdout": metrics["ece_holdout"], "limit": ECE_LIMIT},
    )


def serving_model(conn) -> store.ServingModel:
    run = latest_run(conn, MODEL_NAME)
    if run is None:
        raise RuntimeError("no companion model yet: materialise ml/companion_model first")
    return store.ServingModel.load(model_folder() / f"{run['run_id']}.pkl")


class PicksConfig(dg.Config):
    """Whose picks to recompute: the named users, or those whose picks are older than
    `stale_after_minutes`, or who rated within `rated_within_minutes`; else everyone."""

    users: list[int] = []
    stale_after_minutes: int | None = None
    rated_within_minutes: int | None = None


def _users(conn, config: PicksConfig) -> list[int] | None:
    if config.users:
        return config.users
    if config.stale_after_minutes is not None:
        return store.users_with_stale_picks(conn, pd.Timedelta(minutes=config.stale_after_minutes))
    if config.rated_within_minutes is not None:
        return store.recent_raters(conn, pd.Timedelta(minutes=config.rated_within_minutes))
    return None


PICK_CHECKS_SQL = {
    "every_rater_has_picks": """
        select count(distinct ratings.user_id) from marts.fct_ratings as ratings
        where not exists (
            select 1 from ml.personal_picks as picks where picks.user_id = ratings.user_id)
    """,
    "no_pick_already_rated": """
        select count(*) from ml.personal_picks as picks
        inner join marts.fct_ratings as ratings
            on ratings.user_id = picks.user_id and ratings.film_id = picks.film_id
    """,
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            PROFILES,
            deps=[MODEL],
            group_name=GROUP,
            kinds={"python", "postgres"},
            description="Each user's learned preferences with their evidence (ratings, messages).",
        ),
        dg.AssetSpec(
            PICKS,
            deps=[MODEL, ["app", "rating_events"]],
            group_name=GROUP,
            kinds={"python", "postgres"},
            description="About a dozen picks per user with reason, source and confidence.",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(name, asset=PICKS, description=doc)
        for name, doc in (
            ("every_rater_has_picks", "Every user with a rating in fct_ratings has picks."),
            ("no_pick_already_rated", "No pick is a film the user rated."),
        )
    ],
)
def companion_picks(
    context: dg.AssetExecutionContext, config: PicksConfig, warehouse: WarehouseResource
):
    """Recompute profiles and picks (the users of the config, else everyone) under a per-user
    advisory lock; their refresh queue rows go in the same transaction."""
    with warehouse.connection() as conn:
        users = _users(conn, config)
        if users == []:
            context.log.info("no users to refresh")
            result = None
        else:
            result = refresh(conn, serving_model(conn), users)
        with conn.cursor() as cur:
            counts = {}
            for name, query in PICK_CHECKS_SQL.items():
                cur.execute(query)
                counts[name] = cur.fetchone()[0]
        conn.rollback()
    refreshed = {"users": result.users if result else 0, "picks": result.picks if result else 0}
    mode = "full" if users is None else "users"
    yield dg.MaterializeResult(asset_key=PROFILES, metadata={**refreshed, "mode": mode})
    yield dg.MaterializeResult(
        asset_key=PICKS,
        metadata={
            **refreshed,
            "mode": mode,
            "users_without_picks": dg.MetadataValue.json(
                result.users_without_picks[:50] if result else []
            ),
        },
    )
    for name, count in counts.items():
        yield dg.AssetCheckResult(
            asset_key=PICKS, check_name=name, passed=count == 0, metadata={"violations": count}
        )


# ---------------------------------------------------------------------------------------
# Jobs, sensor and schedules

PICKS_SELECTION = dg.AssetSelection.assets(PROFILES, PICKS)
companion_refresh_job = dg.define_asset_job(
    "companion_refresh_job",
    selection=PICKS_SELECTION,
    description="Recompute profiles and picks of the users the run config names.",
)
companion_nightly_job = dg.define_asset_job(
    "companion_nightly_job",
    selection=dg.AssetSelection.assets(MODEL) | PICKS_SELECTION,
    description="Retrain the rating model, then every user's profile and picks.",
)


def _picks_run_config(**fields) -> dg.RunConfig:
    return dg.RunConfig(ops={companion_picks.op.name: PicksConfig(**fields)})


@dg.sensor(
    job=companion_refresh_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def companion_refresh_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Drain app.recommendation_refresh_queue: one run for every queued user. The run key and
    the cursor are the queue's high-water mark (latest queued_at and row count), so a tick
    that finds nothing newer requests nothing."""
    with warehouse.connection() as conn:
        queue = store.queued(conn)
    if queue.empty:
        return dg.SkipReason("the refresh queue is empty")
    mark = f"{pd.Timestamp(queue['queued_at'].max()).isoformat()}/{len(queue)}"
    if mark == context.cursor:
        return dg.SkipReason(f"nothing queued since {mark}")
    users = sorted(int(u) for u in queue["user_id"])
    request = dg.RunRequest(
        run_key=f"refresh-queue:{mark}",
        run_config=_picks_run_config(users=users),
        tags={"queued_users": str(len(users))},
    )
    return dg.SensorResult(run_requests=[request], cursor=mark)


companion_nightly = dg.ScheduleDefinition(
    name="companion_nightly",
    job=companion_nightly_job,
    cron_schedule="30 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
# TMDb's own scout is tmdb_hourly (connectors); this hour's picks read the trending films.
companion_hourly = dg.ScheduleDefinition(
    name="companion_hourly",
    job=companion_refresh_job,
    cron_schedule="5 * * * *",
    execution_timezone="UTC",
    run_config=_picks_run_config(stale_after_minutes=60),
    description="Refresh the picks generated more than an hour ago (trending moves hourly). "
    "Off by default: without the TMDb connector there is no trending signal to follow, and "
    "companion_refresh_sensor already refreshes a user who rated.",
)
companion_quick = dg.ScheduleDefinition(
    name="companion_quick",
    job=companion_refresh_job,
    cron_schedule="*/15 * * * *",
    execution_timezone="UTC",
    run_config=_picks_run_config(rated_within_minutes=int(QUICK_REFRESH.total_seconds() // 60)),
    description="Refresh the users who rated in the last 15 minutes. Off by default: "
    "companion_refresh_sensor does the same within a tick; this is its fallback when "
    "sensors cannot run.",
)

defs = dg.Definitions(
    assets=owned(team("companion"), [companion_model, companion_picks]),
    jobs=[companion_refresh_job, companion_nightly_job],
    schedules=[companion_nightly, companion_hourly, companion_quick],
    sensors=[companion_refresh_sensor],
)
