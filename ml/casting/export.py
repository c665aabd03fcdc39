"""Files: the versioned model artifact with its manifest and evaluation plots (a slate's files
are written by `serving.casting`). A model version is a folder `<UTC timestamp>-<data hash
prefix>`."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import joblib
import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.calibration import CalibrationDisplay  # noqa: E402
from sklearn.metrics import PrecisionRecallDisplay  # noqa: E402

from ml.casting.train import CastingModel  # noqa: E402

MODEL_FILE = "model.joblib"


def write_json(path: Path, value: dict) -> Path:
    path.write_text(json.dumps(value, indent=2, default=str) + "\n")
    return path


def model_version(model: CastingModel) -> str:
    stamp = datetime.fromisoformat(model.created_at).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{model.data.data_hash()[:8]}"


def write_plots(model: CastingModel, folder: Path) -> list[Path]:
    """Reliability curve, PR curve, per-year PR-AUC and permutation importance, as PNG."""
    holdout, metrics = model.holdout, model.metrics
    y = holdout["resonance"]
    paths = []

    def save(figure, name: str) -> None:
        figure.tight_layout()
        figure.savefig(folder / name, dpi=110)
        plt.close(figure)
        paths.append(folder / name)

    figure, axis = plt.subplots(figsize=(6, 5))
    CalibrationDisplay.from_predictions(y, holdout["p_cal"], n_bins=10, name="p_cal", ax=axis)
    CalibrationDisplay.from_predictions(y, holdout["p_base"], n_bins=10, name="p_base", ax=axis)
    axis.set_title(f"Reliability on the holdout (ECE of p_cal {metrics['holdout']['ece']:.3f})")
    save(figure, "reliability.png")

    figure, axis = plt.subplots(figsize=(6, 5))
    for column, name in (
        ("p_rank", "model (p_rank)"),
        ("baseline_logistic", "logistic baseline"),
        ("baseline_prior_rate", "prior-rate baseline"),
    ):
        PrecisionRecallDisplay.from_predictions(y, holdout[column], name=name, ax=axis)
    axis.set_title("Precision-recall on the holdout")
    save(figure, "pr_curve.png")

    figure, axis = plt.subplots(figsize=(7, 4))
    per_year = pd.Series(metrics["per_year_pr_auc"])
    axis.bar(per_year.index, per_year.to_numpy())
    axis.axhline(
        metrics["holdout"]["positive_rate"],
        color="grey",
        linestyle="--",
        label="chance (positive rate)",
    )
    axis.set(title="PR-AUC per holdout year", xlabel="release year", ylabel="PR-AUC")
    axis.legend()
    save(figure, "per_year_pr_auc.png")

    figure, axis = plt.subplots(figsize=(7, 6))
    importance = pd.Series(metrics["permutation_importance"]).sort_values()
    axis.barh(importance.index, importance.to_numpy())
    axis.set(title="Permutation importance (holdout AUROC drop)", xlabel="mean AUROC drop")
    save(figure, "permutation_importance.png")
    return paths


def save_model(model: CastingModel, root: Path) -> dict:
    """Write the artifact, its manifest, metrics and plots under `root/<version>/`."""
    folder = Path(root) / model_version(model)
    (folder / "plots").mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / MODEL_FILE)
    digest = hashlib.sha256((folder / MODEL_FILE).read_bytes()).hexdigest()
    write_json(folder / "manifest.json", model.manifest())
    write_json(folder / "metrics.json", model.metrics)
    plots = write_plots(model, folder / "plots")
    return {
        "version": folder.name,
        "folder": str(folder),
        "artifact": str(folder / MODEL_FILE),
        "artifact_sha256": digest,
        "plots": [str(p) for p in plots],
    }


def load_model(artifact: str | Path, sha256: str | None = None) -> CastingModel:
    """Load an artifact, refusing one whose bytes differ from the recorded hash."""
    path = Path(artifact)
    if not path.exists():
        raise LookupError(f"casting model artifact {path} is missing; retrain the casting group")
    if sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        raise ValueError(f"casting model artifact {path} does not match its recorded sha256")
    return joblib.load(path)
