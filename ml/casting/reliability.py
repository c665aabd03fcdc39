"""The casting model's reliability table: how often a role it gave probability p turned out
resonant, per probability bin, on the holdout (the console's reliability plot and the model
asset's picture in the Dagster UI)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.casting.train import CastingModel

RELIABILITY_BINS = 10


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
