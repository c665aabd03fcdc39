"""Why an actor is on the slate (reason codes) and who else to consider (alternates).

Reason codes are perturbation deltas: each leading feature of a slate row is set to the
train-era median (a "typical actor") and the base probability re-scored; the change is how much
that feature moved this actor's chance, and the largest few are written out in words.

Alternates are the nearest candidates in cosine space over actor-level feature means (the
mean of each actor's feature rows before the brief's year, scaled with train-era statistics),
re-ordered to prefer the less exposed (fewer earlier films), so the list surfaces the
"unsung" version of each pick.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from ml.casting.features import PQS_FEATURE, alternate_columns
from ml.casting.train import CastingModel

REASONS_PER_ACTOR = 3


def _describe(feature: str, value: float, model: CastingModel, genres: tuple[str, ...]) -> str:
    params = model.params
    if np.isnan(value):
        return {
            "atr3": "no earlier film to judge by",
            "bfd": "no known budget in recent films",
        }.get(feature, f"no {feature.replace('_', ' ')} yet")
    return {
        "atr3": f"a {value:.0%} track record over their last {params.track_window} films "
        f"(shrunk towards the {model.data.histories.actor_prior.mean:.0%} norm)",
        "bfd": f"a budget gap of {value:.1f} deciles from their recent films",
        "release_density": f"{value:.1f} films a year over the last {params.density_years} years",
        "genre_fit": f"{value:.0%} of their last {params.genre_window} roles in {'/'.join(genres)}",
        "prior_roles": f"{value:.0f} earlier films",
        "lead_share": f"billed first in {value:.0%} of earlier films",
        PQS_FEATURE: f"person quality {value:.2f} as of the year before",
    }[feature]


def reason_codes(
    model: CastingModel, slate: pd.DataFrame, pool: pd.DataFrame, genres: tuple[str, ...]
) -> pd.DataFrame:
    """Top reasons per slate actor: feature, value, delta in probability, and a sentence."""
    leading = [
        f
        for f in (
            "atr3",
            "bfd",
            "release_density",
            "genre_fit",
            "prior_roles",
            "lead_share",
            PQS_FEATURE,
        )
        if f in model.actor_contract.columns
    ]
    rows = pool.set_index("actor_id").loc[slate["actor_id"]]
    perturbed = pd.concat([rows.assign(**{f: model.reference[f]}) for f in leading])
    base = model.p_base(rows)
    deltas = base[None, :] - model.p_base(perturbed).reshape(len(leading), len(rows))
    codes = pd.DataFrame(
        {
            "rank": np.tile(slate["rank"].to_numpy(), len(leading)),
            "actor_name": np.tile(rows["actor_name"].to_numpy(), len(leading)),
            "feature": np.repeat(leading, len(rows)),
            "value": np.concatenate([rows[f].to_numpy(dtype=float) for f in leading]),
            "delta": deltas.ravel(),
        }
    )
    codes = codes.assign(strength=codes["delta"].abs()).sort_values(
        ["rank", "strength"], ascending=[True, False]
    )
    codes = codes.groupby("rank", sort=False).head(REASONS_PER_ACTOR)
    codes["reason"] = [
        f"{_describe(f, v, model, genres)}: {'raises' if d >= 0 else 'lowers'} the chance by "
        f"{abs(d) * 100:.1f} points against a typical actor"
        for f, v, d in zip(codes["feature"], codes["value"], codes["delta"], strict=True)
    ]
    return codes[["rank", "actor_name", "feature", "value", "delta", "reason"]].reset_index(
        drop=True
    )


def alternates(
    model: CastingModel, slate: pd.DataFrame, pool: pd.DataFrame, year: int
) -> pd.DataFrame:
    """For each slate actor, `params.alternates` similar, less-exposed candidates."""
    params = model.params
    columns = alternate_columns(model.data.era)
    history = model.data.actor_rows
    means = history[history["year"] < year].groupby("actor_id")[columns].mean()
    others = pool[
        ~pool["actor_id"].isin(slate["actor_id"]) & pool["actor_id"].isin(means.index)
    ].reset_index(drop=True)
    picked = slate[slate["actor_id"].isin(means.index)]
    if others.empty or picked.empty:
        return pd.DataFrame(
            columns=[
                "rank",
                "actor_name",
                "alternate_id",
                "alternate",
                "cosine_similarity",
                "prior_roles",
                "p_high",
            ]
        )

    def vectors(actor_ids: pd.Series) -> np.ndarray:
        scaled = model.alternate_scaler.transform(means.loc[actor_ids, columns])
        return np.nan_to_num(scaled)  # an unknown mean sits at the train-era average

    neighbours = NearestNeighbors(
        metric="cosine", n_neighbors=min(params.alternate_pool, len(others))
    )
    distances, indices = neighbours.fit(vectors(others["actor_id"])).kneighbors(
        vectors(picked["actor_id"])
    )
    found = pd.DataFrame(
        {
            "rank": np.repeat(picked["rank"].to_numpy(), indices.shape[1]),
            "actor_name": np.repeat(picked["actor_name"].to_numpy(), indices.shape[1]),
            "alternate_id": others["actor_id"].to_numpy()[indices.ravel()],
            "alternate": others["actor_name"].to_numpy()[indices.ravel()],
            "cosine_similarity": 1 - distances.ravel(),
            "prior_roles": others["prior_roles"].to_numpy()[indices.ravel()],
            "p_high": others["p_high"].to_numpy()[indices.ravel()],
        }
    )
    found = found.sort_values(
        ["rank", "prior_roles", "cosine_similarity"], ascending=[True, True, False]
    )
    return found.groupby("rank").head(params.alternates).reset_index(drop=True)
