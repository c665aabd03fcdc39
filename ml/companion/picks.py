"""Personal picks: candidates scored by the rating model, ranked, capped for diversity.

A film reached by several sources keeps the signal that ranks it: the candidate row with
the highest strength gives its discovery source, anchor and reason. The score is the
calibrated confidence P(rating >= 4) weighted by that strength, so a film the model likes
but nothing in the user's history points at does not outrank one their loved films do.
Diversity caps: at most `max_source_share` of a user's picks from one source and
`max_per_director` films by one director.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ml.companion import candidates as sources
from ml.companion.inputs import CompanionInputs
from ml.companion.neighbours import item_neighbours
from ml.companion.training import TrainedModel, predict_frame

PICK_COLUMNS = [
    "user_id",
    "film_id",
    "rank",
    "predicted_rating",
    "confidence",
    "score",
    "reason",
    "discovery_source",
    "anchor_film_id",
    "anchor_person_id",
    "anchor_user_id",
    "anchor_conversation_id",
    "model_version",
]
CAP_LOOKAHEAD = 10


@dataclass(frozen=True)
class PickParams:
    picks_per_user: int = 12
    max_source_share: float = 0.5
    max_per_director: int = 2
    strength_weight: float = 0.5  # score = confidence * (1 - w + w * strength) * reach
    # reach = (film's raters / most raters) ** exponent; chosen on the validation slice by
    # ml.companion.report (2.0 on the demo ratings)
    popularity_exponent: float = 2.0
    sources: sources.SourceParams = field(default_factory=sources.SourceParams)


def gather_candidates(
    inputs: CompanionInputs,
    users,
    params: PickParams = PickParams(),
    neighbours: pd.DataFrame | None = None,
    preferences: pd.DataFrame | None = None,
    tmdb_trending: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every source's candidates for `users`, films they rated removed."""
    users = pd.Index(users, name="user_id")
    mine = inputs.with_ratings(inputs.ratings[inputs.ratings["user_id"].isin(users)])
    mine.follows = inputs.follows[inputs.follows["follower_id"].isin(users)]
    friends = inputs.with_ratings(
        inputs.ratings[inputs.ratings["user_id"].isin(mine.follows["followee_id"])]
    )
    friends.follows = mine.follows
    if neighbours is None:
        neighbours = item_neighbours(inputs.ratings)
    p = params.sources
    frames = [
        sources.similar_to_rated(mine, neighbours, p),
        sources.people_you_love(mine, p),
        sources.friends_loved(friends, p),
        sources.trending(inputs, users, p, tmdb_trending),
        sources.cohort_top(inputs, users, p),
    ]
    if preferences is not None and not preferences.empty:
        frames.append(
            sources.mood_match(inputs, preferences[preferences["user_id"].isin(users)], p)
        )
    found = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    rated = inputs.ratings[["user_id", "film_id"]].drop_duplicates().assign(rated=True)
    found = found.merge(rated, on=["user_id", "film_id"], how="left")
    return found[found["rated"].isna()].drop(columns="rated").reset_index(drop=True)


def _strongest(candidates: pd.DataFrame) -> pd.DataFrame:
    """One row per (user, film): the candidate with the highest strength."""
    ordered = candidates.sort_values(
        ["user_id", "film_id", "strength"], ascending=[True, True, False]
    )
    return ordered.drop_duplicates(["user_id", "film_id"]).reset_index(drop=True)


def _directors(inputs: CompanionInputs) -> pd.Series:
    directing = inputs.credits[inputs.credits["role"] == "director"]
    return directing.drop_duplicates("film_id").set_index("film_id")["person_id"]


def _capped_positions(sources, directors, params: PickParams) -> list[int]:
    """Positions (best first, one user's rows) of the picks the caps let through."""
    n = params.picks_per_user
    max_source = max(1, int(params.max_source_share * n))
    per_source: dict[str, int] = {}
    per_director: dict[int, int] = {}
    chosen = []
    for position, (source, director) in enumerate(zip(sources, directors, strict=True)):
        if per_source.get(source, 0) >= max_source:
            continue
        if pd.notna(director) and per_director.get(director, 0) >= params.max_per_director:
            continue
        per_source[source] = per_source.get(source, 0) + 1
        if pd.notna(director):
            per_director[director] = per_director.get(director, 0) + 1
        chosen.append(position)
        if len(chosen) == n:
            break
    return chosen


def select_diverse(scored: pd.DataFrame, directors: pd.Series, params: PickParams) -> pd.DataFrame:
    """Best-first per user, skipping a pick that would break a cap."""
    n = params.picks_per_user
    scored = scored.sort_values(["user_id", "score"], ascending=[True, False])
    # caps skip at most (sources + directors) x n rows; the rest of a long tail is never read
    scored = scored.groupby("user_id").head(CAP_LOOKAHEAD * n)
    scored = scored.assign(director=scored["film_id"].map(directors)).reset_index(drop=True)
    # the caps walk plain arrays, one user's contiguous block at a time: a row-wise walk of
    # the frame cost seconds per ranking
    users = scored["user_id"].to_numpy()
    starts = np.r_[0, np.flatnonzero(users[1:] != users[:-1]) + 1]
    ends = np.r_[starts[1:], len(users)]
    sources, director_ids = scored["source"].to_numpy(), scored["director"].to_numpy()
    kept = []
    for start, end in zip(starts, ends, strict=True):
        chosen = _capped_positions(sources[start:end], director_ids[start:end], params)
        kept.extend(start + position for position in chosen)
    picks = scored.iloc[kept].reset_index(drop=True)
    picks["rank"] = picks.groupby("user_id").cumcount() + 1
    return picks.drop(columns="director")


def predict_candidates(candidates: pd.DataFrame, trained: TrainedModel) -> pd.DataFrame:
    """The strongest candidate per (user, film) with its predicted stars and confidence:
    what every ranking of these candidates scores (the model call is the costly part)."""
    return predict_frame(trained, _strongest(candidates))


def rank_predicted(
    inputs: CompanionInputs, predicted: pd.DataFrame, trained: TrainedModel, params: PickParams
) -> pd.DataFrame:
    """PICK_COLUMNS for each user in `predicted` (from `predict_candidates`, left as is)."""
    w = params.strength_weight
    raters = inputs.ratings["film_id"].value_counts()
    reach = (
        predicted["film_id"].map(raters).fillna(0) / max(raters.max(), 1)
    ) ** params.popularity_exponent
    scored = predicted.assign(
        score=predicted["confidence"] * (1 - w + w * predicted["strength"]) * reach
    )
    picks = select_diverse(scored, _directors(inputs), params)
    picks = picks.rename(columns={"source": "discovery_source"}).assign(
        model_version=trained.version
    )
    return picks[PICK_COLUMNS].reset_index(drop=True)


def rank_picks(
    inputs: CompanionInputs, candidates: pd.DataFrame, trained: TrainedModel, params: PickParams
) -> pd.DataFrame:
    """PICK_COLUMNS for each user present in `candidates`."""
    return rank_predicted(inputs, predict_candidates(candidates, trained), trained, params)


def compute_picks(
    inputs: CompanionInputs,
    trained: TrainedModel,
    users=None,
    params: PickParams = PickParams(),
    neighbours: pd.DataFrame | None = None,
    preferences: pd.DataFrame | None = None,
    tmdb_trending: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Picks for `users` (default: everyone with a rating)."""
    users = inputs.ratings["user_id"].unique() if users is None else users
    found = gather_candidates(inputs, users, params, neighbours, preferences, tmdb_trending)
    return rank_picks(inputs, found, trained, params)
