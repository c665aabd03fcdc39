"""Publishing the learned gravitas weight as the custom weight profile ml_optimized_<date>,
with the model it came from recorded in `app.ml_weight_profiles` (created by the catalogue)."""

from __future__ import annotations

from datetime import date

from ml.metrics.profiles import create_profile, get_profile, list_profiles, update_profile_weight
from ml.people.gravitas_model import MODEL_NAME, PRIMARY_TARGET, GravitasModel, profile_weights

ML_PROFILE_PREFIX = "ml_optimized_"


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
