"""Publishing the learned gravitas weight as the custom weight profile ml_optimized_<date>,
with the model it came from recorded in `app.ml_weight_profiles` (created by the catalogue)."""

from __future__ import annotations

from datetime import date

from ml.metrics.profiles import get_profile, publish_model_profile
from ml.people.gravitas_model import MODEL_NAME, PRIMARY_TARGET, GravitasModel, profile_weights

ML_PROFILE_PREFIX = "ml_optimized_"


def publish_ml_profile(conn, model: GravitasModel, run_id: str, on: date | None = None) -> str:
    """Write the learned person_quality weight as the custom profile ml_optimized_<date>
    (the balanced profile's other weights scaled to make room) and record its model."""
    on = on or date.today()
    profile = f"{ML_PROFILE_PREFIX}{on:%Y%m%d}"
    fit = model.fits[PRIMARY_TARGET]
    publish_model_profile(
        conn,
        profile,
        category_weights=profile_weights(
            get_profile(conn, "balanced").category_weights, model.importance
        ),
        description=(
            f"Balanced, with person_quality weighted {model.importance:.3f} "
            f"as learned by the gravitas OLS (run {run_id}, "
            f"holdout R^2 {fit.metrics['holdout_r2']} "
            f"vs {fit.metrics['controls_only_holdout_r2']} for the controls alone)."
        ),
        model=MODEL_NAME,
        model_version=f"{MODEL_NAME}:{run_id}",
        accuracy=fit.metrics["holdout_r2"],
        sample_size=fit.metrics["train_n"],
        training_date=on,
        run_id=run_id,
    )
    return profile
