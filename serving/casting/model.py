"""The casting model the slates come from, and how far its probabilities can be trusted."""

from __future__ import annotations

from ml.casting.reliability import reliability
from ml.casting.train import CastingModel

__all__ = ["latest_model", "reliability"]


def latest_model(conn) -> tuple[CastingModel, dict]:
    """The newest recorded casting model and its run row."""
    from ml.casting.export import load_model
    from ml.casting.params import MODEL_NAME
    from ml.runs import latest_run

    run = latest_run(conn, MODEL_NAME)
    if run is None:
        raise LookupError(
            "no casting model has been trained yet: materialise the casting assets "
            "(cinegraph materialize, or group 'casting' in the Dagster UI)"
        )
    artifact = run["manifest"]["artifact"]
    return load_model(artifact["artifact"], artifact["artifact_sha256"]), run
