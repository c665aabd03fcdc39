"""Weight profiles: read any profile; create, edit and delete custom ones, with an audit trail.

System profiles are the `weight_profiles` seed and are changed in git, never here. Custom
profiles live in `app.custom_weight_profiles` (+ `app.custom_profile_metric_weights`); each
change appends its old and new values, who made it and why to `app.weight_profile_history`
in the same transaction. Category weights must sum to 1 (within 1e-9); the table enforces it
too, so a write that skipped this module could not break the rule either. Each profile also
carries the evidence shrinkage of its `ranked_score`: `ranking_k` (> 0, in units of weight
coverage) and `ranking_prior` (0-1, the score a film with no evidence is ranked at); a new
custom profile takes its base profile's, and a custom profile stored before these columns
existed reads the default profile's (marts.dim_weight_profiles). The tables are the
warehouse catalogue's (`warehouse/migrations/0003_app_weight_profiles.sql`), created at
bootstrap with one `<category>_weight` column per category of the seed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from psycopg2 import sql
from psycopg2.extras import Json

from ml.metrics import categories, metric, system_profiles

SUM_TOLERANCE = 1e-9
PROFILE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class SystemProfileError(ValueError):
    """A system profile was about to be edited or deleted."""


@dataclass(frozen=True)
class ProfileWeights:
    """A profile's category weights (summing to 1), its per-metric overrides (default 1) and
    the shrinkage of its ranked score."""

    profile: str
    is_system: bool
    description: str
    category_weights: dict[str, float]
    ranking_k: float
    ranking_prior: float
    metric_weights: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("profile", "is_system")}


def _weight_columns() -> list[sql.Identifier]:
    return [sql.Identifier(f"{category}_weight") for category in categories()]


def list_profiles(conn) -> list[str]:
    with conn.cursor() as cur:
        cur.execute("select profile from marts.dim_weight_profiles order by not is_system, profile")
        return [row[0] for row in cur.fetchall()]


def get_profile(conn, profile: str) -> ProfileWeights:
    """A profile's weights; an unknown name is an error listing the profiles there are."""
    columns = _weight_columns()
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL(
                "select is_system, description, ranking_k, ranking_prior, {} "
                "from marts.dim_weight_profiles where profile = %s"
            ).format(sql.SQL(", ").join(columns)),
            (profile,),
        )
        row = cur.fetchone()
        if row is None:
            raise LookupError(
                f"unknown weight profile {profile!r}; "
                f"valid profiles: {', '.join(list_profiles(conn))}"
            )
        overrides = (
            "marts.profile_metric_weights" if row[0] else "app.custom_profile_metric_weights"
        )
        cur.execute(
            sql.SQL(
                "select metric_code, case when enabled then weight else 0 end from {} "
                "where profile = %s order by metric_code"
            ).format(sql.SQL(overrides)),
            (profile,),
        )
        metric_weights = dict(cur.fetchall())
    return ProfileWeights(
        profile=profile,
        is_system=row[0],
        description=row[1] or "",
        category_weights=dict(zip(categories(), row[4:], strict=True)),
        ranking_k=row[2],
        ranking_prior=row[3],
        metric_weights=metric_weights,
    )


def _checked_weight(name: str, value: object, upper: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"weight of {name} must be a finite number, got {value!r}")
    if value < 0 or (upper is not None and value > upper):
        bound = f"between 0 and {upper:g}" if upper is not None else "at least 0"
        raise ValueError(f"weight of {name} must be {bound}, got {value!r}")
    return float(value)


def _checked_ranking(ranking_k: object, ranking_prior: object) -> None:
    """k above 0 (at 0 the ranked score is the total score, thin evidence and all), the prior
    a score between 0 and 1; None keeps the base profile's."""
    for name, value, valid, rule in (
        ("ranking_k", ranking_k, lambda v: v > 0, "above 0"),
        ("ranking_prior", ranking_prior, lambda v: 0 <= v <= 1, "between 0 and 1"),
    ):
        if value is None:
            continue
        number = not isinstance(value, bool) and isinstance(value, (int, float))
        if not (number and math.isfinite(value) and valid(value)):
            raise ValueError(f"{name} must be a finite number {rule}, got {value!r}")


def _merged(
    base: ProfileWeights,
    profile: str,
    category_weights: Mapping[str, float] | None,
    metric_weights: Mapping[str, float] | None,
    description: str | None,
    ranking: tuple[float | None, float | None] = (None, None),
) -> ProfileWeights:
    """`base`'s weights with the changes applied, as `profile`; validated: known names,
    ranges, category weights summing to 1, ranking (k, prior) in range."""
    _checked_ranking(*ranking)
    valid = categories()
    unknown = sorted(set(category_weights or {}) - set(valid))
    if unknown:
        raise LookupError(f"unknown categories {unknown}; valid categories: {', '.join(valid)}")
    categories_after = {
        **base.category_weights,
        **{
            name: _checked_weight(name, value, 1.0)
            for name, value in (category_weights or {}).items()
        },
    }
    total = sum(categories_after.values())
    if abs(total - 1) >= SUM_TOLERANCE:
        listed = ", ".join(f"{name}={value:g}" for name, value in categories_after.items())
        raise ValueError(f"category weights must sum to 1, these sum to {total:.12g}: {listed}")
    for code in metric_weights or {}:
        metric(code)  # unknown codes raise, listing the valid ones
    metrics_after = {
        **base.metric_weights,
        **{
            code: _checked_weight(code, value, None)
            for code, value in (metric_weights or {}).items()
        },
    }
    return ProfileWeights(
        profile=profile,
        is_system=False,
        description=base.description if description is None else description,
        category_weights=categories_after,
        ranking_k=float(base.ranking_k if ranking[0] is None else ranking[0]),
        ranking_prior=float(base.ranking_prior if ranking[1] is None else ranking[1]),
        metric_weights=metrics_after,
    )


def _refuse_system(profile: str, action: str) -> None:
    if profile in system_profiles():
        raise SystemProfileError(
            f"{profile!r} is a system profile and cannot be {action}: system profiles are the "
            f"weight_profiles seed (dbt_project/seeds/metrics). Create a custom profile based "
            f"on it instead: create_profile(conn, 'my_{profile}', based_on={profile!r}, ...)"
        )


def _write(conn, weights: ProfileWeights, created_by: str | None) -> None:
    columns = [*_weight_columns(), sql.Identifier("ranking_k"), sql.Identifier("ranking_prior")]
    values = [
        *(weights.category_weights[c] for c in categories()),
        weights.ranking_k,
        weights.ranking_prior,
    ]
    with conn.cursor() as cur:
        if created_by is not None:
            cur.execute(
                sql.SQL(
                    "insert into app.custom_weight_profiles (profile, description, {}, created_by) "
                    "values (%s, %s, {}, %s)"
                ).format(
                    sql.SQL(", ").join(columns),
                    sql.SQL(", ").join(sql.Placeholder() * len(columns)),
                ),
                (weights.profile, weights.description, *values, created_by),
            )
        else:
            cur.execute(
                sql.SQL(
                    "update app.custom_weight_profiles set description = %s, {}, "
                    "updated_at = clock_timestamp() where profile = %s"
                ).format(sql.SQL(", ").join(sql.SQL("{} = %s").format(c) for c in columns)),
                (weights.description, *values, weights.profile),
            )
        cur.execute(
            "delete from app.custom_profile_metric_weights where profile = %s", (weights.profile,)
        )
        for code, weight in weights.metric_weights.items():
            cur.execute(
                "insert into app.custom_profile_metric_weights "
                "(profile, metric_code, weight, enabled) values (%s, %s, %s, %s)",
                (weights.profile, code, weight, weight > 0),
            )


def _record(
    conn,
    profile: str,
    action: str,
    changed_by: str,
    reason: str,
    old: ProfileWeights | None,
    new: ProfileWeights | None,
) -> None:
    if not changed_by or not reason:
        raise ValueError("a profile change needs who makes it (changed_by) and why (reason)")
    with conn.cursor() as cur:
        cur.execute(
            "insert into app.weight_profile_history "
            "(profile, action, changed_by, changed_at, old_values, new_values, change_reason) "
            "values (%s, %s, %s, clock_timestamp(), %s, %s, %s)",
            (
                profile,
                action,
                changed_by,
                Json(old.as_json()) if old else None,
                Json(new.as_json()) if new else None,
                reason,
            ),
        )


def create_profile(
    conn,
    profile: str,
    *,
    created_by: str,
    reason: str,
    based_on: str = "balanced",
    category_weights: Mapping[str, float] | None = None,
    metric_weights: Mapping[str, float] | None = None,
    description: str = "",
    ranking_k: float | None = None,
    ranking_prior: float | None = None,
) -> ProfileWeights:
    """A new custom profile: `based_on`'s weights and ranking with the given changes."""
    if not PROFILE_NAME.match(profile):
        raise ValueError(
            f"profile names are lower-case snake_case (max 50 characters), got {profile!r}"
        )
    if profile in list_profiles(conn):
        raise ValueError(f"a weight profile named {profile!r} already exists")
    new = _merged(
        get_profile(conn, based_on),
        profile,
        category_weights,
        metric_weights,
        description,
        (ranking_k, ranking_prior),
    )
    with conn:
        _record(conn, profile, "create", created_by, reason, None, new)
        _write(conn, new, created_by=created_by)
    return new


def update_profile_weight(
    conn,
    profile: str,
    *,
    changed_by: str,
    reason: str,
    category_weights: Mapping[str, float] | None = None,
    metric_weights: Mapping[str, float] | None = None,
    description: str | None = None,
    ranking_k: float | None = None,
    ranking_prior: float | None = None,
) -> ProfileWeights:
    """Change a custom profile's weights (they must still sum to 1) or ranking; returns the
    new profile."""
    _refuse_system(profile, "edited")
    old = get_profile(conn, profile)
    new = _merged(
        old, profile, category_weights, metric_weights, description, (ranking_k, ranking_prior)
    )
    with conn:
        _record(conn, profile, "update", changed_by, reason, old, new)
        _write(conn, new, created_by=None)
    return new


def delete_profile(conn, profile: str, *, deleted_by: str, reason: str) -> None:
    """Delete a custom profile; its history stays."""
    _refuse_system(profile, "deleted")
    old = get_profile(conn, profile)
    with conn:
        _record(conn, profile, "delete", deleted_by, reason, old, None)
        with conn.cursor() as cur:
            cur.execute("delete from app.custom_weight_profiles where profile = %s", (profile,))


def latest_profile_edit(conn) -> dict | None:
    """The newest entry of the profile history, or None when there is none."""
    with conn.cursor() as cur:
        cur.execute(
            "select id, profile, action, changed_at from app.weight_profile_history "
            "order by id desc limit 1"
        )
        row = cur.fetchone()
    return dict(zip(("id", "profile", "action", "changed_at"), row, strict=True)) if row else None


def publish_model_profile(
    conn,
    profile: str,
    *,
    category_weights: Mapping[str, float],
    description: str,
    model: str,
    model_version: str,
    accuracy: float,
    sample_size: int,
    training_date,
    run_id: str,
) -> None:
    """Create or update the custom profile a model learned, with `based_on` balanced, and
    record the model it came from in `app.ml_weight_profiles` (one row per profile)."""
    change = dict(
        category_weights=category_weights, description=description, reason=f"{model} run {run_id}"
    )
    if profile in list_profiles(conn):
        update_profile_weight(conn, profile, changed_by=model, **change)
    else:
        create_profile(conn, profile, created_by=model, based_on="balanced", **change)
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
            (profile, model_version, accuracy, sample_size, training_date, run_id),
        )
