"""Casting slate recommender assets (group `casting`), thin wrappers over `ml.casting`.

features -> model -> evaluation. The features read the identity layer's dbt marts (the
credits bridge, films, people and the Movie Industry staging model) and, when it exists, the
as-of person quality of the people group. The feature rows are written to
`ml.casting_features` for inspection; the prepared data and the model pass between assets
through a file IO manager (model artifacts only, never tables). The model asset also saves a
versioned artifact folder (model, manifest, metrics, plots) and records the run in
`ml.model_runs`, which is where `cinegraph slate` finds the model to serve. The evaluation
asset writes `ml.casting_evaluation` and carries the quality gates as asset checks. Both
tables are the warehouse catalogue's (`warehouse/migrations/0005_ml_casting.sql`); each run
replaces their rows.
"""

from dataclasses import replace
from pathlib import Path

import dagster as dg
import pandas as pd
from psycopg2 import sql

from ml.casting.dataset import CastingData, prepare
from ml.casting.export import save_model
from ml.casting.long_table import LONG_TABLE_RELATION, read_long_table
from ml.casting.params import MODEL_NAME, CastingParams
from ml.casting.people import PEOPLE_RELATION, read_people
from ml.casting.person_quality import read_person_quality
from ml.casting.reliability import reliability
from ml.casting.train import CastingModel, train
from ml.runs import record_run
from orchestration.owners import owned, team
from orchestration.pictures import file_picture, reliability_picture
from orchestration.resources import WarehouseResource
from orchestration.settings import settings
from warehouse.io import copy_frame

ECE_LIMIT = 0.1
DEFAULTS = CastingParams()
# The dbt models of the long table and of the people facts the slate filters on (asset keys
# are [schema, table]).
LONG_TABLE_INPUTS = [dg.AssetKey(list(LONG_TABLE_RELATION)), dg.AssetKey(list(PEOPLE_RELATION))]
# The as-of person quality is read when it exists: as a dependency it is built
# before the features in a full materialisation.
PERSON_QUALITY = dg.AssetKey(["ml", "person_quality_asof"])
IO_MANAGER = "casting_io_manager"


class CastingDataConfig(dg.Config):
    """The temporal split: everything fitted (labels, bins, genres) uses years <= cutoff."""

    train_cutoff_year: int = DEFAULTS.train_cutoff_year
    calibration_years: int = DEFAULTS.calibration_years


class CastingModelConfig(dg.Config):
    """Hyperparameters of the heads and of the ranking blend."""

    seed: int = settings().model_seed
    hgb_learning_rate: float = DEFAULTS.hgb_learning_rate
    hgb_max_iter: int = DEFAULTS.hgb_max_iter
    hgb_max_leaf_nodes: int = DEFAULTS.hgb_max_leaf_nodes
    hgb_min_samples_leaf: int = DEFAULTS.hgb_min_samples_leaf
    rf_n_estimators: int = DEFAULTS.rf_n_estimators
    rf_min_samples_leaf: int = DEFAULTS.rf_min_samples_leaf
    alpha_cycle: float = DEFAULTS.alpha_cycle
    synergy_weight: float = DEFAULTS.synergy_weight
    min_isotonic_levels: int = DEFAULTS.min_isotonic_levels


# The fixed columns of `ml.casting_features`; every other column of the feature rows goes
# into its `feature_values` object (the feature set follows the training data).
FEATURE_KEYS = [
    "film_id",
    "title",
    "year",
    "split",
    "resonance",
    "actor_id",
    "actor_name",
    "director_id",
    "director_name",
]
ID_COLUMNS = {"film_id": "Int64", "year": "Int64", "actor_id": "Int64", "director_id": "Int64"}


def feature_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The feature rows as `ml.casting_features` holds them: keys, then one JSON object of
    the features per row (missing values as null)."""
    values = rows.drop(columns=FEATURE_KEYS).to_json(orient="records", lines=True)
    return rows[FEATURE_KEYS].astype(ID_COLUMNS).assign(feature_values=values.splitlines())


def replace_table(conn, table: str, frame: pd.DataFrame) -> None:
    """Replace the rows of `ml.<table>` (a table of the warehouse catalogue) with the frame's,
    in one transaction."""
    target = sql.Identifier("ml", table)
    with conn, conn.cursor() as cur:
        cur.execute(sql.SQL("truncate {}").format(target))
        copy_frame(cur, target, frame)


@dg.asset(
    key=["ml", "casting_features"],
    group_name="casting",
    deps=[*LONG_TABLE_INPUTS, PERSON_QUALITY],
    io_manager_key=IO_MANAGER,
    kinds={"python", "postgres"},
)
def casting_features(
    config: CastingDataConfig, warehouse: WarehouseResource
) -> dg.Output[CastingData]:
    """Labelled, split, as-of feature rows of every lead credit (and the director rows)."""
    params = replace(
        DEFAULTS,
        train_cutoff_year=config.train_cutoff_year,
        calibration_years=config.calibration_years,
    )
    with warehouse.connection() as conn:
        long, report = read_long_table(conn)
        pqs, pqs_status = read_person_quality(conn)
        data = prepare(
            long,
            params,
            pqs,
            report={**report, "person_quality_asof": pqs_status},
            people=read_people(conn),
        )
        rows = data.actor_rows
        replace_table(conn, "casting_features", feature_table(rows))
    return dg.Output(
        data,
        metadata={
            **{k: v for k, v in data.report.items() if isinstance(v, (int, float, str))},
            "train_era": data.era.as_dict(),
            "positive_rate_by_split": rows.groupby("split")["resonance"].mean().round(4).to_dict(),
            "data_sha256": data.data_hash(),
        },
    )


@dg.asset(
    key=["ml", "casting_model"],
    group_name="casting",
    io_manager_key=IO_MANAGER,
    kinds={"scikitlearn"},
    ins={"data": dg.AssetIn(key=casting_features.key)},
)
def casting_model(
    config: CastingModelConfig, data: CastingData, warehouse: WarehouseResource
) -> dg.Output[CastingModel]:
    """The actor and director heads, calibrators and cycle head.

    Saves a versioned artifact folder and records the run in ml.model_runs.
    """
    data = replace(data, params=replace(data.params, **config.model_dump()))
    model = train(data)
    saved = save_model(model, settings().casting_dir / "models")
    with warehouse.connection() as conn:
        model.run_id = record_run(
            conn,
            MODEL_NAME,
            data.params.as_dict(),
            model.metrics,
            {**model.manifest(), "artifact": saved},
        )
    holdout = model.metrics["holdout"]
    return dg.Output(
        model,
        metadata={
            "run_id": model.run_id,
            "version": saved["version"],
            "artifact": saved["artifact"],
            "actor_head": model.actor_head_name,
            "auroc_holdout": holdout["auroc"],
            "ece_holdout": holdout["ece"],
            "calibration": model.calibrator.method,
            "reliability": reliability_picture(reliability(model)),
            # The artifact's plots; its reliability plot is the picture above, with numbers.
            **{
                f"plot_{path.stem}": file_picture(path)
                for path in map(Path, saved["plots"])
                if path.stem != "reliability"
            },
            # Cross-fitted on the calibration slice, where the choice was made.
            **{f"calibration_ece_{method}": ece for method, ece in model.calibrator.ece.items()},
        },
    )


def evaluation_rows(model: CastingModel) -> pd.DataFrame:
    """One row per (scorer, metric): the model, its baselines, the director head, per year."""
    metrics = model.metrics
    rows = [("model", name, value) for name, value in metrics["holdout"].items()]
    rows += [
        (f"baseline_{b}", name, value)
        for b, values in metrics["baselines"].items()
        for name, value in values.items()
    ]
    rows += [("director_head", name, value) for name, value in metrics["director_head"].items()]
    rows += [
        ("model", f"pr_auc_{year}", value) for year, value in metrics["per_year_pr_auc"].items()
    ]
    rows += [("synergy", name, float(value)) for name, value in metrics["synergy"].items()]
    frame = pd.DataFrame(rows, columns=["scorer", "metric", "value"])
    return frame.assign(run_id=model.run_id, created_at=model.created_at)


@dg.asset(
    key=["ml", "casting_evaluation"],
    group_name="casting",
    kinds={"python", "postgres"},
    ins={"model": dg.AssetIn(key=casting_model.key)},
    check_specs=[
        dg.AssetCheckSpec(
            "auroc_beats_best_baseline",
            asset=["ml", "casting_evaluation"],
            description="Holdout AUROC of p_rank above the better baseline's.",
        ),
        dg.AssetCheckSpec(
            "ece_below_limit",
            asset=["ml", "casting_evaluation"],
            description=f"Holdout ECE of the displayed p_cal below {ECE_LIMIT}.",
        ),
        dg.AssetCheckSpec(
            "flip_guard",
            asset=["ml", "casting_evaluation"],
            description="Both heads rank the holdout better than chance (AUROC >= 0.5).",
        ),
    ],
)
def casting_evaluation(model: CastingModel, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Holdout metrics next to the baselines, per-year PR-AUC and the synergy test, as a table."""
    rows = evaluation_rows(model)
    with warehouse.connection() as conn:
        replace_table(conn, "casting_evaluation", rows)
    holdout, best = model.metrics["holdout"], model.metrics["best_baseline_auroc"]
    director = model.metrics["director_head"]["auroc"]
    return dg.MaterializeResult(
        metadata={
            "run_id": model.run_id,
            "rows": len(rows),
            "auroc_holdout": holdout["auroc"],
            "best_baseline_auroc": best,
            "ece_holdout": holdout["ece"],
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="auroc_beats_best_baseline",
                passed=holdout["auroc"] > best,
                metadata={"auroc": holdout["auroc"], "best_baseline": best},
            ),
            dg.AssetCheckResult(
                check_name="ece_below_limit",
                passed=holdout["ece"] < ECE_LIMIT,
                metadata={"ece": holdout["ece"], "limit": ECE_LIMIT},
            ),
            dg.AssetCheckResult(
                check_name="flip_guard",
                passed=min(holdout["auroc"], director) >= 0.5,
                metadata={"actor_auroc": holdout["auroc"], "director_auroc": director},
            ),
        ],
    )


@dg.asset(key=["app", "casting_slates"], group_name="casting", kinds={"postgres"})
def casting_slates(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The slates `cinegraph slate` and the console computed (serving/casting/store.py writes
    them; the catalogue creates the table), read by the mart marts.casting_slates."""
    with warehouse.connection() as conn, conn.cursor() as cur:
        cur.execute("select count(*), count(distinct slate_id) from app.casting_slates")
        rows, slates = cur.fetchone()
    return dg.MaterializeResult(metadata={"rows": rows, "slates": slates})


defs = dg.Definitions(
    assets=owned(
        team("casting"), [casting_features, casting_model, casting_evaluation, casting_slates]
    ),
    resources={IO_MANAGER: dg.FilesystemIOManager(base_dir=str(settings().casting_dir / "io"))},
)
