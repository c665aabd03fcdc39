"""Learning assets (group `learning`): thin wrappers over `ml.metrics.learned_runs` and
`ml.experiments.store`.

- app/feedback_events, app/experiments, app/experiment_assignments, app/experiment_exposures:
  what users write (CLI, companion, console), reported, never rewritten.
- ml/learned_weight_profiles: weights learned for everyone and each taste cluster on a
  training window of fct_ratings, evaluated on the later window; published as learned_<audience>
  when they beat balanced, otherwise recorded with the reason.
- ml/experiment_results: the daily analysis of every running experiment, with a check that no
  experiment's sample ratio is broken.
"""

import dagster as dg
from psycopg2 import sql

from ml.experiments.store import analyse_running
from ml.metrics.learned_runs import learn_from_warehouse
from ml.metrics.learned_weights import LearningParams
from orchestration.owners import owned, team
from orchestration.resources import WarehouseResource
from orchestration.settings import settings

GROUP = "learning"
APP_TABLE_DOCS = {
    "feedback_events": "What users did with films and picks (rated, liked, clicked...).",
    "experiments": "A/B experiments: design, hypothesis, primary metric, status.",
    "experiment_assignments": "Each exposed user's arm (a hash of experiment and user).",
    "experiment_exposures": "Every time a user saw an experiment's surface.",
}
LEARNED_PROFILES = dg.AssetKey(["ml", "learned_weight_profiles"])
EXPERIMENT_RESULTS = dg.AssetKey(["ml", "experiment_results"])
LEARNED_INPUTS = [
    dg.AssetKey(["marts", "film_scores"]),
    dg.AssetKey(["marts", "fct_ratings"]),
    dg.AssetKey(["ml", "user_clusters"]),
    dg.AssetKey(["app", "custom_weight_profiles"]),
]
PARAMS = LearningParams()


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["app", table], description=doc, group_name=GROUP, kinds={"postgres"})
        for table, doc in APP_TABLE_DOCS.items()
    ],
)
def learning_app_tables(warehouse: WarehouseResource):
    """Row counts of the tables users write (the catalogue creates them)."""
    with warehouse.connection() as conn, conn.cursor() as cur:
        for table in APP_TABLE_DOCS:
            cur.execute(sql.SQL("select count(*) from {}").format(sql.Identifier("app", table)))
            yield dg.MaterializeResult(
                asset_key=["app", table], metadata={"rows": cur.fetchone()[0]}
            )


class LearnedProfilesConfig(dg.Config):
    """train_share: the share of ratings (by time) in the training window."""

    train_share: float = 0.8
    n_bootstrap: int = PARAMS.n_bootstrap
    k: int = PARAMS.k


@dg.asset(
    key=LEARNED_PROFILES,
    deps=LEARNED_INPUTS,
    group_name=GROUP,
    kinds={"scikitlearn", "postgres"},
)
def learned_weight_profiles(
    config: LearnedProfilesConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Weights learned per audience; published only when they beat balanced on the holdout."""
    params = LearningParams(k=config.k, n_bootstrap=config.n_bootstrap, seed=settings().model_seed)
    with warehouse.connection() as conn:
        run = learn_from_warehouse(conn, params, config.train_share)
    table = [
        {
            "audience": p.audience,
            "published": run.published.get(p.audience, "-"),
            "learned_ndcg": p.learned_holdout.ndcg if p.learned_holdout else None,
            "balanced_ndcg": p.baseline_holdout.ndcg if p.baseline_holdout else None,
            "reason": p.reason,
        }
        for p in run.profiles
    ]
    return dg.MaterializeResult(
        metadata={
            "run_id": run.run_id,
            "split_at": str(run.split_at),
            "audiences": len(run.profiles),
            "published": len(run.published),
            "profiles": dg.MetadataValue.json(table),
        }
    )


@dg.asset(
    key=EXPERIMENT_RESULTS,
    deps=[dg.AssetKey(["app", table]) for table in APP_TABLE_DOCS],
    group_name=GROUP,
    kinds={"statsmodels", "postgres"},
    check_specs=[
        dg.AssetCheckSpec(
            "sample_ratio_intact",
            asset=EXPERIMENT_RESULTS,
            description="No running experiment's exposed users depart from its allocation "
            "(chi-square p >= 0.001): a flag means the assignment or exposure logging is broken.",
        )
    ],
)
def experiment_results(warehouse: WarehouseResource):
    """Analyse every running experiment (per-arm results, effects, SRM, fixed horizon)."""
    with warehouse.connection() as conn:
        run_id, results = analyse_running(conn)
    per_experiment = {
        r.experiment: {
            "status": r.status,
            "final": r.final,
            "reason": r.reason,
            "srm_p_value": r.sample_ratio.p_value,
            "effects": [
                {"arm": e.arm, "effect": e.difference, "ci": [e.ci_low, e.ci_high]}
                for e in r.effects
            ],
        }
        for r in results
    }
    yield dg.MaterializeResult(
        metadata={
            "run_id": run_id,
            "experiments": len(results),
            "results": dg.MetadataValue.json(per_experiment),
        }
    )
    flagged = sorted(r.experiment for r in results if r.sample_ratio.flagged)
    yield dg.AssetCheckResult(
        check_name="sample_ratio_intact",
        passed=not flagged,
        metadata={"flagged": ", ".join(flagged) or "none"},
    )


experiment_results_job = dg.define_asset_job(
    "experiment_results_job",
    selection=dg.AssetSelection.assets(EXPERIMENT_RESULTS),
    description="The daily analysis of the running experiments.",
)
experiment_results_daily = dg.ScheduleDefinition(
    name="experiment_results_daily",
    job=experiment_results_job,
    cron_schedule="0 4 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

defs = dg.Definitions(
    assets=owned(
        team("learning"), [learning_app_tables, learned_weight_profiles, experiment_results]
    ),
    jobs=[experiment_results_job],
    schedules=[experiment_results_daily],
)
