"""Training: the actor head (HistGradientBoosting or RandomForest), the director head, display
calibration, the cycle head, and the holdout evaluation next to the baselines.

Slices (see `dataset.split_of`): heads are fitted on `fit`; the actor head is chosen and the
calibrators are fitted on `calibration` (the last training years, unseen by the heads); every
reported metric is on `holdout` (after the cutoff), which nothing is fitted or chosen on.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from ml.casting.calibration import DisplayCalibrator, fit_display_calibration
from ml.casting.dataset import CastingData
from ml.casting.evaluate import (
    LOGISTIC_FEATURES,
    fit_logistic_baseline,
    flip_guard,
    per_year_pr_auc,
    prior_rate_baseline,
    probability_metrics,
    ranking_metrics,
)
from ml.casting.features import (
    DIRECTOR_CONTRACT,
    PQS_FEATURE,
    FeatureContract,
    actor_contract,
    alternate_columns,
    synergy_rate,
)
from ml.casting.params import CastingParams

CYCLE_FEATURES = ["year_sin", "year_cos"]
# Shuffles per feature for permutation importance: each costs one holdout prediction.
PERMUTATION_REPEATS = 3
# Release pace outside this train-era percentile band counts as a cadence extreme.
CADENCE_BAND = (0.05, 0.95)


def _hgb(params: CastingParams) -> HistGradientBoostingClassifier:
    # No early stopping: its validation split would make the fit depend on row order.
    return HistGradientBoostingClassifier(
        learning_rate=params.hgb_learning_rate,
        max_iter=params.hgb_max_iter,
        max_leaf_nodes=params.hgb_max_leaf_nodes,
        min_samples_leaf=params.hgb_min_samples_leaf,
        early_stopping=False,
        random_state=params.seed,
    )


def candidate_heads(params: CastingParams) -> dict:
    return {
        "hist_gradient_boosting": _hgb(params),
        "random_forest": RandomForestClassifier(
            n_estimators=params.rf_n_estimators,
            min_samples_leaf=params.rf_min_samples_leaf,
            random_state=params.seed,
            n_jobs=1,
        ),
    }


@dataclass
class CastingModel:
    """Everything serving needs, and the record of how it was made."""

    data: CastingData
    actor_contract: FeatureContract
    actor_head_name: str
    actor_head: object
    director_head: object
    calibrator: DisplayCalibrator
    cycle: LinearRegression
    reference: dict[str, float]  # train medians: the "typical actor" of reason codes
    cadence_band: tuple[float, float]
    alternate_scaler: StandardScaler  # scales actor-level feature means for alternates
    metrics: dict
    holdout: pd.DataFrame  # holdout rows with every score, for plots and the evaluation table
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    run_id: str | None = None  # set once the run is recorded in ml.model_runs

    @property
    def params(self) -> CastingParams:
        return self.data.params

    def p_base(self, features: pd.DataFrame) -> np.ndarray:
        return self.actor_head.predict_proba(self.actor_contract.enforce(features)[0])[:, 1]

    def p_rank(self, p_base: np.ndarray, features: pd.DataFrame) -> np.ndarray:
        """The base probability blended with the cycle prior (base + predicted residual)."""
        prior = np.clip(p_base + self.cycle.predict(features[CYCLE_FEATURES]), 0.0, 1.0)
        return self.params.alpha_cycle * p_base + (1 - self.params.alpha_cycle) * prior

    def p_cal(self, p_base: np.ndarray) -> np.ndarray:
        return self.calibrator.predict(p_base)

    def manifest(self) -> dict:
        """Parameters, cutoff, feature contract, versions, data hash and timestamps."""
        return {
            "created_at": self.created_at,
            "params": self.params.as_dict(),
            "train_era": self.data.era.as_dict(),
            "actor_head": self.actor_head_name,
            "actor_feature_contract": list(self.actor_contract.columns),
            "director_feature_contract": list(DIRECTOR_CONTRACT.columns),
            "person_quality_asof": self.data.report.get("person_quality_asof", "not provided"),
            "calibration": self.calibrator.summary(),
            "track_priors": {
                "actor": self.data.histories.actor_prior.as_dict(),
                "director": self.data.histories.director_prior.as_dict(),
            },
            "data": {**self.data.report, "sha256": self.data.data_hash()},
            "versions": {
                "python": platform.python_version(),
                "scikit-learn": sklearn.__version__,
                "pandas": pd.__version__,
                "numpy": np.__version__,
            },
        }


def _slices(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {name: group for name, group in rows.groupby("split")}


def _choose_actor_head(
    contract: FeatureContract,
    fit: pd.DataFrame,
    calibration: pd.DataFrame,
    holdout: pd.DataFrame,
    params: CastingParams,
) -> tuple[str, object, dict]:
    """Fit both candidates; choose by calibration-slice AUROC (the holdout stays untouched)."""
    scores, fitted = {}, {}
    for name, head in candidate_heads(params).items():
        fitted[name] = head.fit(contract.enforce(fit)[0], fit["resonance"])
        scores[name] = {
            split: float(
                roc_auc_score(
                    rows["resonance"], head.predict_proba(contract.enforce(rows)[0])[:, 1]
                )
            )
            for split, rows in (("calibration_auroc", calibration), ("holdout_auroc", holdout))
        }
    best = max(scores, key=lambda name: scores[name]["calibration_auroc"])
    return best, fitted[best], scores


def _synergy_effect(
    model_scores: np.ndarray, holdout: pd.DataFrame, y: np.ndarray, data: CastingData
) -> dict:
    rate = synergy_rate(holdout, data.histories).to_numpy()
    with_synergy = model_scores + data.params.synergy_weight * rate
    without, with_ = roc_auc_score(y, model_scores), roc_auc_score(y, with_synergy)
    return {
        "auroc_without": float(without),
        "auroc_with": float(with_),
        "helps": bool(with_ > without),
        "holdout_rows_with_prior_collaboration": int((rate > 0).sum()),
    }


def train(data: CastingData) -> CastingModel:
    # A few thousand rows: OpenMP threads per boosting iteration cost more than they save,
    # and on a shared machine they multiplied the fit time several times over.
    with threadpool_limits(1, user_api="openmp"):
        return _train(data)


def _train(data: CastingData) -> CastingModel:
    params = data.params
    contract = actor_contract(data.era, with_pqs=data.pqs is not None)
    slices = _slices(data.actor_rows)
    fit, calibration, holdout = slices["fit"], slices["calibration"], slices["holdout"].copy()
    y_hold = holdout["resonance"].to_numpy()

    head_name, head, candidates = _choose_actor_head(contract, fit, calibration, holdout, params)
    features = {
        name: contract.enforce(rows)[0]
        for name, rows in (("fit", fit), ("calibration", calibration), ("holdout", holdout))
    }
    p_fit, p_calib, p_hold = (
        head.predict_proba(features[n])[:, 1] for n in ("fit", "calibration", "holdout")
    )
    calibrator = fit_display_calibration(
        calibration["resonance"].to_numpy(), p_calib, params.min_isotonic_levels, params.seed
    )
    cycle = LinearRegression().fit(fit[CYCLE_FEATURES], fit["resonance"] - p_fit)

    directors = _slices(data.director_rows)
    director_head = _hgb(params).fit(
        DIRECTOR_CONTRACT.enforce(directors["fit"])[0], directors["fit"]["resonance"]
    )
    director_p = director_head.predict_proba(DIRECTOR_CONTRACT.enforce(directors["holdout"])[0])[
        :, 1
    ]

    train_rows = pd.concat([fit, calibration])
    model = CastingModel(
        data=data,
        actor_contract=contract,
        actor_head_name=head_name,
        actor_head=head,
        director_head=director_head,
        calibrator=calibrator,
        cycle=cycle,
        reference=fit[list(contract.columns)].median().to_dict(),
        cadence_band=tuple(
            fit.loc[fit["prior_roles"] > 0, "release_density"].quantile(CADENCE_BAND)
        ),
        alternate_scaler=StandardScaler().fit(train_rows[alternate_columns(data.era)]),
        metrics={},
        holdout=holdout,
    )
    logistic = fit_logistic_baseline(train_rows, params.seed)
    holdout["p_base"] = p_hold
    holdout["p_rank"] = model.p_rank(p_hold, holdout)
    holdout["p_cal"] = model.p_cal(p_hold)
    holdout["baseline_prior_rate"] = prior_rate_baseline(
        holdout, float(train_rows["resonance"].mean())
    )
    holdout["baseline_logistic"] = logistic.predict_proba(holdout[LOGISTIC_FEATURES])[:, 1]

    baselines = {
        name: probability_metrics(y_hold, holdout[f"baseline_{name}"])
        for name in ("prior_rate", "logistic")
    }
    importance = permutation_importance(
        head,
        features["holdout"],
        y_hold,
        scoring="roc_auc",
        n_repeats=PERMUTATION_REPEATS,
        random_state=params.seed,
    )
    displayed = probability_metrics(y_hold, holdout["p_cal"])
    model.metrics = {
        "holdout": {
            # Ranking quality of p_rank; calibration quality of what is displayed, p_cal.
            **ranking_metrics(y_hold, holdout["p_rank"]),
            "auroc_base": float(roc_auc_score(y_hold, p_hold)),
            "brier": displayed["brier"],
            "ece": displayed["ece"],
            "ece_uncalibrated": probability_metrics(y_hold, p_hold)["ece"],
            "rows": len(holdout),
            "positive_rate": float(y_hold.mean()),
        },
        "baselines": baselines,
        "best_baseline_auroc": max(b["auroc"] for b in baselines.values()),
        "actor_head": head_name,
        "actor_head_candidates": candidates,
        "director_head": ranking_metrics(directors["holdout"]["resonance"], director_p),
        "per_year_pr_auc": per_year_pr_auc(
            holdout["year"], holdout["resonance"], holdout["p_rank"]
        ),
        "synergy": _synergy_effect(holdout["p_rank"].to_numpy(), holdout, y_hold, data),
        "calibration": calibrator.summary(),
        "cycle_coefficients": dict(zip(CYCLE_FEATURES, map(float, cycle.coef_), strict=True)),
        "permutation_importance": dict(
            zip(contract.columns, map(float, importance.importances_mean), strict=True)
        ),
        "uses_person_quality": PQS_FEATURE in contract.columns,
    }
    flip_guard("actor", model.metrics["holdout"]["auroc"])
    flip_guard("director", model.metrics["director_head"]["auroc"])
    return model
