"""Cohort assets (group `cohorts`): the app tables, taste clusters, the rating predictor's
evaluation, the ratings inbox sensor and the refresh schedules. Thin wrappers over
`ingest.app_events` and `ml.cohorts`.

How a new month of ratings flows:
1. `ratings_inbox_sensor` finds a new file in the inbox (content hash = run key), loads it
   into `app.rating_events` in one transaction and requests one `ratings_month_job` run per
   rating month the file touches (the monthly dbt models: fct_ratings, rejects, activity).
2. `cohort_refresh_sensor` sees the new fct_ratings materialisation and requests one
   `cohort_refresh_job` run: the unpartitioned cohort tables built from fct_ratings
   (COHORT_REFRESH_SELECT, the selection bench/cohorts.py measures), whose aggregates and
   digests merge only what the month touched (see cohort_film_stats.sql).
3. Nightly, `taste_clusters_nightly` refits the clusters; every cohort mart downstream of
   them is in the same job, so rankings follow the new clusters in the same run.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg
from dagster_dbt import build_dbt_asset_selection

from ingest import app_events
from ingest.live.letterboxd import is_letterboxd_export, load_letterboxd_export
from ml.cohorts import data, prediction, taste_clusters
from ml.runs import record_run
from orchestration.dbt_project import COHORT_REFRESH_EXCLUDE, COHORT_REFRESH_SELECT
from orchestration.defs.dbt import dbt_models, dbt_monthly_models
from orchestration.partitions import monthly_ratings
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
    seed: int = CLUSTER_DEFAULTS.seed
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
)


@dg.asset_sensor(asset_key=FCT_RATINGS, job=cohort_refresh_job, minimum_interval_seconds=60)
def cohort_refresh_sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """After months land in fct_ratings, refresh the cohort marts once (several months that
    land between two ticks share one refresh: the marts merge every touched film)."""
    yield dg.RunRequest(run_key=f"fct_ratings@{asset_event.timestamp}")


def content_hash(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (names and contents, in name order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(path)).encode() if path.is_dir() else b"")
        digest.update(file.read_bytes())
    return digest.hexdigest()


def load_inbox_file(conn, path: Path, digest: str) -> list[str]:
    """Load one inbox file into app.rating_events; return the rating months it touched.

    A Letterboxd export (zip or folder) goes to its connector; anything else must be a
    MovieLens-format ratings CSV. Raises MalformedFileError, having loaded nothing.
    """
    if is_letterboxd_export(path):
        return list(load_letterboxd_export(conn, path).months)
    frame = app_events.read_movielens_file(path)
    # The content hash names the events, so a renamed copy of a loaded file replaces itself.
    source_file = f"{path.name}#{digest[:12]}"
    return app_events.load_rating_events(conn, frame, app_events.INBOX_SOURCE, source_file).months


@dg.sensor(job=ratings_month_job, minimum_interval_seconds=30)
def ratings_inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Watch the ratings inbox (CINEGRAPH_RATINGS_INBOX) for new files.

    Each new file (by content hash; the cursor keeps every hash seen) is loaded into the app
    events and yields one run request per rating month it touches, with run key
    '<hash>:<month>'. A malformed file yields a skip reason naming the file and the line,
    loads nothing, and is remembered, so it is reported once; a corrected file has a new
    hash and loads. Months without a partition yet (the current month) are logged: they are
    built when their partition exists.
    """
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    inbox = settings().ratings_inbox
    partitions = set(monthly_ratings.get_partition_keys())
    requests, problems = [], []
    paths = (
        sorted(p for p in inbox.iterdir() if not p.name.startswith(".")) if inbox.is_dir() else []
    )
    with warehouse.connection() as conn:
        for path in paths:
            digest = content_hash(path)
            if digest in seen:
                continue
            # Loaded or malformed, a file is seen. Any other error fails the tick, which keeps
            # the old cursor: the next tick retries (loads and run keys are idempotent).
            try:
                months = load_inbox_file(conn, path, digest)
            except app_events.MalformedFileError as error:
                seen[digest] = path.name
                problems.append(str(error))
                continue
            seen[digest] = path.name
            waiting = [m for m in months if m not in partitions]
            if waiting:
                context.log.info(f"{path.name}: months without a partition yet: {waiting}")
            requests += [
                dg.RunRequest(partition_key=month, run_key=f"{digest}:{month}")
                for month in months
                if month in partitions
            ]
    for problem in problems:
        context.log.warning(f"inbox file not loaded: {problem}")
    cursor = json.dumps(seen, sort_keys=True)
    if requests or not problems:
        return dg.SensorResult(run_requests=requests, cursor=cursor)
    return dg.SensorResult(skip_reason="not loaded: " + "; ".join(problems), cursor=cursor)


defs = dg.Definitions(
    assets=[app_tables, user_clusters, rating_prediction_holdout],
    jobs=[ratings_month_job, cohort_refresh_job, taste_cluster_refit_job],
    schedules=[taste_clusters_nightly],
    sensors=[ratings_inbox_sensor, cohort_refresh_sensor],
)
