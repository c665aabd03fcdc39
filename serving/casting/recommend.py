"""One brief, end to end: validated brief, slate, reason codes, alternates and a manifest, and
the files of a slate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

from ml.casting.explain import alternates, reason_codes
from ml.casting.export import write_json
from ml.casting.train import CastingModel
from serving.casting.slate import Brief, director_outlook, slate, validate_brief


@dataclass
class SlateResult:
    brief: Brief
    slate: pd.DataFrame
    alternates: pd.DataFrame
    reasons: pd.DataFrame
    manifest: dict


def recommend(model: CastingModel, brief: Brief, model_run_id: str | None = None) -> SlateResult:
    # A brief scores a few hundred rows: starting OpenMP threads for each of the boosting
    # model's trees costs more than it saves, and made latency erratic on a busy machine.
    with threadpool_limits(1, user_api="openmp"):
        return _recommend(model, validate_brief(model, brief), model_run_id)


def _recommend(model: CastingModel, brief: Brief, model_run_id: str | None) -> SlateResult:
    chosen, scored, turned_away = slate(model, brief)
    params = model.params
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "brief": brief.as_dict(),
        "model": {
            "run_id": model_run_id,
            "created_at": model.created_at,
            "actor_head": model.actor_head_name,
            "train_cutoff_year": params.train_cutoff_year,
        },
        "flags": {
            "use_cycle": params.alpha_cycle < 1,
            "alpha_cycle": params.alpha_cycle,
            "calibrate": model.calibrator.method,
            "calibration_ece": model.calibrator.ece,
            "synergy_weight": params.synergy_weight if brief.director else 0.0,
        },
        "brief_budget_decile": float(
            model.data.era.budget_decile([brief.budget_millions * 1e6])[0]
        ),
        "director_outlook_p": director_outlook(model, brief, scored),
        "candidates": len(scored),
        # Known actors each candidate rule turned away (one actor may fail several).
        "candidates_turned_away": turned_away,
        # Contract columns the serving frame lacked and that were scored as missing.
        "features_missing_at_serving": model.actor_contract.enforce(scored)[1],
        "person_quality_asof": model.data.report.get("person_quality_asof", "not provided"),
    }
    return SlateResult(
        brief=brief,
        slate=chosen,
        alternates=alternates(model, chosen, scored, brief.year),
        reasons=reason_codes(model, chosen, scored, brief.genres),
        manifest=manifest,
    )


def write_slate(result: SlateResult, folder: Path) -> list[Path]:
    """slate.csv, alternates.csv, reason_codes.csv and manifest.json in `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frames = {
        "slate.csv": result.slate,
        "alternates.csv": result.alternates,
        "reason_codes.csv": result.reasons,
    }
    for name, frame in frames.items():
        frame.to_csv(folder / name, index=False)
    return [folder / name for name in frames] + [
        write_json(folder / "manifest.json", result.manifest)
    ]
