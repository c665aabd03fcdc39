"""Cohort assets (group `cohorts`): the app tables, taste clusters, the rating predictor's
evaluation, the ratings inbox sensor and load, and the refresh schedules. Thin wrappers over
`ingest.app_events` and `ml.cohorts`.

How a new month of ratings flows:
1. `ratings_inbox_sensor` finds new files in the inbox (by content hash) and requests one
   `inbox_load_job` run naming them; its asset `app/inbox_ratings` loads each file into
   `app.rating_events` in its own transaction and reports each file on its own.
2. `inbox_months_sensor` sees that load and requests one `ratings_month_job` run per rating
   month the loaded files touch (the monthly dbt models: fct_ratings, rejects, activity).
3. `cohort_refresh_sensor` sees the new fct_ratings materialisation and requests one
   `cohort_refresh_job` run: the unpartitioned cohort tables built from fct_ratings
   (COHORT_REFRESH_SELECT, the selection bench/cohorts.py measures), whose aggregates and
   digests merge only what the month touched (see cohort_film_stats.sql).
4. Nightly, `taste_clusters_nightly` refits the clusters; every cohort mart downstream of
   them is in the same job, so rankings follow the new clusters in the same run.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg
import pandas as pd
from dagster_dbt import build_dbt_asset_selection

from ingest import inbox
from ml.cohorts import data, prediction, taste_clusters
from ml.runs import record_run
from orchestration.dbt_project import COHORT_REFRESH_EXCLUDE, COHORT_REFRESH_SELECT
from orchestration.defs.dbt import dbt_models, dbt_monthly_models
from orchestration.owners import owned, team
from orchestration.partitions import monthly_ratings
from orchestration.pictures import bars_picture
from orchestration.resources import WarehouseResource
from orchestration.settings import settings

GROUP = "cohorts"
FCT_RATINGS = dg.AssetKey(["marts", "fct_ratings"])
USER_CLUSTERS = dg.AssetKey(["ml", "user_clusters"])
PREDICTION_HOLDOUT = dg.AssetKey(["ml", "rating_prediction_holdout"])
APP_TABLE_DOCS = {
    "users": "App users who are not MovieLens users (ids from 1,000,000 up).",
    "rating_events": "Rating, like and favourite events from inbox files, the CLI and Letterboxd.",
    "cohorts": "Named cohorts (created from the CLI or a CSV).",
    "cohort_members": "Members of the named cohorts.",
    "follows": "Who follows whom: 'me + the people I follow' cohorts.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["app", table], description=doc, group_name=GROUP, kinds={"python", "postgres"}
        )
        for table, doc in APP_TABLE_DOCS.items()
    ],
)
def app_tables(warehouse: WarehouseResource):
    """Report what the app tables hold (the warehouse catalogue creates them at bootstrap).
    Users write them (CLI, inbox sensor, Letterboxd connector), so this asset never rewrites
    their rows."""
    with warehouse.connection() as conn, conn.cursor() as cur:
        for table in APP_TABLE_DOCS:
            cur.execute(f"select count(*) from app.{table}")  # names are our constants
            yield dg.MaterializeResult(
                asset_key=["app", table], metadata={"rows": cur.fetchone()[0]}
            )


CLUSTER_DEFAULTS = taste_clusters.ClusterParams()


class ClusterConfig(dg.Config):
    """The fit's run config; its defaults are ml's (ClusterParams)."""

    n_films: int = CLUSTER_DEFAULTS.n_films
    min_overlap: int = CLUSTER_DEFAULTS.min_overlap
    k_min: int = CLUSTER_DEFAULTS.k_min
    k_max: int = CLUSTER_DEFAULTS.k_max
    seed: int = settings().model_seed
    silhouette_sample: int = CLUSTER_DEFAULTS.silhouette_sample


@dg.asset(
    key=USER_CLUSTERS, group_name=GROUP, deps=[FCT_RATINGS], kinds={"scikitlearn", "postgres"}
)
def user_clusters(config: ClusterConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Taste clusters: k-means (k by silhouette) on z-scored ratings of the most-rated films.

    The fit is checked on a per-user temporal holdout (does the cluster help predict later
    ratings, against the film mean?); params, metrics and the manifest go to ml.model_runs.
    """
    params = taste_clusters.ClusterParams(**config.model_dump())
    with warehouse.connection() as conn:
        ratings = data.read_ratings(conn)
        fit = taste_clusters.fit_clusters(ratings, params)
        metrics = {
            "k": fit.k,
            "silhouette": fit.silhouettes[fit.k],
            "clustered_users": len(fit.assignments),
            **taste_clusters.holdout_check(ratings, params),
        }
        manifest = {
            "ratings": len(ratings),
            "ratings_digest": data.frame_digest(ratings),
            "silhouette_by_k": fit.silhouettes,
            "films": fit.films,
            "cluster_sizes": fit.assignments["cluster"].value_counts().sort_index().to_dict(),
        }
        run_id = record_run(conn, "taste_clusters", vars(params), metrics, manifest)
        rows = data.replace_table(conn, "user_clusters", fit.assignments, run_id)
    return dg.MaterializeResult(
        metadata={
            "rows": rows,
            "run_id": run_id,
            **metrics,
            "silhouette_by_k": {str(k): round(v, 4) for k, v in fit.silhouettes.items()},
            "cluster_sizes": {str(k): int(v) for k, v in manifest["cluster_sizes"].items()},
            "cluster_sizes_picture": bars_picture(
                pd.DataFrame(manifest["cluster_sizes"].items(), columns=["cluster", "users"]),
                "cluster",
                "users",
                "users",
                "Taste-cluster sizes",
            ),
        }
    )


class PredictionConfig(dg.Config):
    test_share: float = 0.2
    prior_strength: float = 5.0
    bias_alpha: float = 10.0


@dg.asset(
    key=PREDICTION_HOLDOUT, group_name=GROUP, deps=[FCT_RATINGS], kinds={"scikitlearn", "postgres"}
)
def rating_prediction_holdout(
    config: PredictionConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The histogram predictor against the global mean, film mean and bias baseline on each
    user's latest ratings: every held-out rating with each model's prediction, and RMSE/MAE
    per model in ml.model_runs."""
    with warehouse.connection() as conn:
        ratings = data.read_ratings(conn)
        metrics, predictions = prediction.evaluate(ratings, **config.model_dump())
        manifest = {
            "ratings": len(ratings),
            "ratings_digest": data.frame_digest(ratings),
            "split": "per-user temporal holdout: each user's latest test_share of ratings",
        }
        run_id = record_run(conn, "rating_prediction", config.model_dump(), metrics, manifest)
        rows = data.replace_table(conn, "rating_prediction_holdout", predictions, run_id)
    return dg.MaterializeResult(metadata={"rows": rows, "run_id": run_id, **metrics})


# ---------------------------------------------------------------------------------------
# Jobs, sensors and schedules

ratings_month_job = dg.define_asset_job(
    "ratings_month_job",
    selection=dg.AssetSelection.assets(dbt_monthly_models),
    description="The monthly dbt models for one rating month (inbox loads request it).",
)

ML_ASSETS = dg.AssetSelection.assets(USER_CLUSTERS, PREDICTION_HOLDOUT)
cohort_marts = build_dbt_asset_selection(
    [dbt_models], dbt_select=COHORT_REFRESH_SELECT, dbt_exclude=COHORT_REFRESH_EXCLUDE
)
cohort_refresh_job = dg.define_asset_job(
    "cohort_refresh_job",
    selection=cohort_marts,
    description="The unpartitioned cohort marts, merging what new rating months touched.",
)
taste_cluster_refit_job = dg.define_asset_job(
    "taste_cluster_refit_job",
    selection=ML_ASSETS | (ML_ASSETS.downstream() & cohort_marts),
    description="Refit the taste clusters and the predictor check, then the cohort marts.",
)

taste_clusters_nightly = dg.ScheduleDefinition(
    name="taste_clusters_nightly",
    job=taste_cluster_refit_job,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


@dg.asset_sensor(
    asset_key=FCT_RATINGS,
    job=cohort_refresh_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def cohort_refresh_sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """After months land in fct_ratings, refresh the cohort marts once (several months that
    land between two ticks share one refresh: the marts merge every touched film)."""
    yield dg.RunRequest(run_key=f"fct_ratings@{asset_event.timestamp}")


INBOX_RATINGS = dg.AssetKey(["app", "inbox_ratings"])


class InboxFile(dg.Config):
    path: str
    digest: str  # the content hash the sensor saw; it names the file's events


class InboxLoadConfig(dg.Config):
    """The inbox files one sensor tick found new (none in a plain materialisation)."""

    files: list[InboxFile] = []


@dg.asset(
    key=INBOX_RATINGS,
    group_name=GROUP,
    deps=[["app", "rating_events"]],
    kinds={"python", "postgres"},
    check_specs=[
        dg.AssetCheckSpec(
            "every_file_loaded",
            asset=INBOX_RATINGS,
            description="Warns when an inbox file loaded nothing and was quarantined.",
        )
    ],
)
def inbox_ratings(
    context: dg.AssetExecutionContext, config: InboxLoadConfig, warehouse: WarehouseResource
):
    """Load the inbox files the run names into app.rating_events, each in its own transaction
    and reported on its own: a file that fails loads nothing and is quarantined
    (`<inbox>/rejected/`, raw._rejects), named with its line where known; the others load.
    `months` (the rating months the loaded files touched) is what `inbox_months_sensor`
    requests monthly runs for."""
    with warehouse.connection() as conn:
        loads = [inbox.load_inbox_file(conn, Path(f.path), f.digest) for f in config.files]
    problems = [load.problem for load in loads if not load.loaded]
    for problem in problems:
        context.log.warning(f"inbox file not loaded: {problem}")
    yield dg.MaterializeResult(
        metadata={
            "files": dg.MetadataValue.json([vars(load) for load in loads]),
            "months": dg.MetadataValue.json(sorted({m for load in loads for m in load.months})),
            "loaded": sum(load.loaded for load in loads),
            "not_loaded": len(problems),
        }
    )
    yield dg.AssetCheckResult(
        check_name="every_file_loaded",
        passed=not problems,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"problems": dg.MetadataValue.json(problems)},
    )


inbox_load_job = dg.define_asset_job(
    "inbox_load_job",
    selection=dg.AssetSelection.assets(INBOX_RATINGS),
    description="Load the inbox files a ratings_inbox_sensor tick found (named in the run config).",
)


@dg.sensor(
    job=inbox_load_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING
)
def ratings_inbox_sensor(context: dg.SensorEvaluationContext):
    """Watch the ratings inbox (CINEGRAPH_RATINGS_INBOX) for new files; load nothing.

    A file is new when its content hash is not in the cursor (which keeps every hash seen),
    so a renamed copy of a known file is not. The new files of a tick go into one
    `inbox_load_job` run, named in its run config; its run key is their hashes. Loaded or
    quarantined (moved to `<inbox>/rejected/`), a file is then seen: a corrected file has a
    new hash and is requested again.
    """
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    files = []
    for path in inbox.inbox_files(settings().ratings_inbox):
        try:
            digest = inbox.content_hash(path)
        except OSError as error:  # unreadable for now (still being written?): next tick
            context.log.warning(f"inbox file {path.name} not readable yet: {error}")
            continue
        if digest not in seen:
            seen[digest] = path.name
            files.append(InboxFile(path=str(path), digest=digest))
    cursor = json.dumps(seen, sort_keys=True)
    if not files:
        return dg.SensorResult(skip_reason="no new inbox files", cursor=cursor)
    run_key = hashlib.sha256(" ".join(f.digest for f in files).encode()).hexdigest()
    request = dg.RunRequest(
        run_key=f"inbox:{run_key}",
        run_config=dg.RunConfig(ops={inbox_ratings.op.name: InboxLoadConfig(files=files)}),
        tags={"inbox_files": ", ".join(Path(f.path).name for f in files)[:200]},
    )
    return dg.SensorResult(run_requests=[request], cursor=cursor)


@dg.asset_sensor(
    asset_key=INBOX_RATINGS, job=ratings_month_job, default_status=dg.DefaultSensorStatus.RUNNING
)
def inbox_months_sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """After an inbox load, request one `ratings_month_job` run per rating month it touched
    (run key '<load run>:<month>'); months before the first partition are the first's.
    Months without a partition yet (the current month) are logged: they are built when
    their partition exists."""
    metadata = asset_event.asset_materialization.metadata
    first = monthly_ratings.get_first_partition_key()
    # Events dated before the first partition are rejects its run keeps (rating_rejects).
    months = sorted(
        {max(m, first) for m in metadata.get("months", dg.MetadataValue.json([])).value}
    )
    partitions = set(monthly_ratings.get_partition_keys())
    waiting = [m for m in months if m not in partitions]
    if waiting:
        context.log.info(f"months without a partition yet: {waiting}")
    for month in months:
        if month in partitions:
            yield dg.RunRequest(partition_key=month, run_key=f"{asset_event.run_id}:{month}")


defs = dg.Definitions(
    assets=owned(
        team("cohorts"), [app_tables, inbox_ratings, user_clusters, rating_prediction_holdout]
    ),
    jobs=[inbox_load_job, ratings_month_job, cohort_refresh_job, taste_cluster_refit_job],
    schedules=[taste_clusters_nightly],
    sensors=[ratings_inbox_sensor, inbox_months_sensor, cohort_refresh_sensor],
)
