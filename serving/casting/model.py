"""The casting model the slates come from, and how far its probabilities can be trusted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.casting.train import CastingModel

RELIABILITY_BINS = 10


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


def reliability(model: CastingModel, bins: int = RELIABILITY_BINS) -> pd.DataFrame:
    """The holdout's reliability table: per probability bin and score (p_cal, p_base), the
    mean predicted probability, the observed rate of resonant roles and the rows in it."""
    holdout = model.holdout
    edges = np.linspace(0, 1, bins + 1)
    frames = []
    for score in ("p_cal", "p_base"):
        bin_of = np.clip(np.digitize(holdout[score], edges[1:-1]), 0, bins - 1)
        grouped = pd.DataFrame(
            {"bin": bin_of, "predicted": holdout[score], "observed": holdout["resonance"]}
        ).groupby("bin")
        table = grouped.agg(
            predicted=("predicted", "mean"),
            observed=("observed", "mean"),
            rows=("observed", "size"),
        )
        frames.append(table.reset_index().assign(score=score))
    return pd.concat(frames, ignore_index=True)
