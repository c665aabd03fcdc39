"""Recompute taste profiles and picks, for every user or for a few, from the warehouse.

The nightly run trains the model (`train_serving_model`); every refresh after it reuses the
saved `ServingModel` and reads the current ratings, including rating events that are not in
fct_ratings yet, so a pick is never a film the user has just rated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from ml.cohorts.data import frame_digest
from ml.companion.conversation.offline import Vocabulary
from ml.companion.inputs import CompanionInputs, read_inputs
from ml.companion.neighbours import item_neighbours
from ml.companion.picks import PickParams, compute_picks
from ml.companion.profile import conversation_preferences, taste_profiles
from ml.companion.rating_model import DEFAULT_PARAMS, RANK_GRID, RatingParams
from ml.companion.report import evaluate_companion
from ml.companion.store import (
    ServingModel,
    pending_ratings,
    read_conversations,
    replace_picks,
    with_pending,
)
from ml.companion.training import MODEL_NAME, fit_for_serving
from ml.runs import record_run


@dataclass
class RefreshResult:
    users: int
    picks: int
    users_without_picks: list[int]


def train_serving_model(
    conn, rank_grid=RANK_GRID, base: RatingParams = DEFAULT_PARAMS
) -> tuple[ServingModel, dict, str]:
    """Evaluate on the holdout, record the run in ml.model_runs, refit on every rating for
    serving: (model, metrics, run_id). The caller saves the model."""
    inputs = read_inputs(conn)
    report = evaluate_companion(inputs, rank_grid, base)
    serving = fit_for_serving(inputs.ratings, report.trained)
    neighbours = item_neighbours(inputs.ratings)
    params = {
        "rank": report.trained.params.rank,
        "rank_grid": list(rank_grid),
        "n_iter": base.n_iter,
        "burn_in": base.burn_in,
        "popularity_exponent": report.pick_params.popularity_exponent,
    }
    manifest = {
        "ratings": len(inputs.ratings),
        "ratings_digest": frame_digest(inputs.ratings),
        "split": "per-user temporal holdout: each user's latest 20% of ratings",
        "library": "myfm",
    }
    run_id = record_run(conn, MODEL_NAME, params, report.metrics, manifest)
    serving.version = run_id
    # evaluation uses 10 picks (NDCG@10); serving shows the default dozen
    pick_params = replace(report.pick_params, picks_per_user=PickParams().picks_per_user)
    return ServingModel(serving, neighbours, pick_params, run_id), report.metrics, run_id


def _inputs_for(conn, users) -> CompanionInputs:
    inputs = read_inputs(conn)
    if users is not None:
        inputs.ratings = with_pending(inputs.ratings, pending_ratings(conn, users))
    return inputs


def _profiles(inputs: CompanionInputs, users, conversations: pd.DataFrame) -> dict[int, dict]:
    ratings = inputs.ratings[inputs.ratings["user_id"].isin(users)]
    said = {
        user: list(zip(group["conversation_id"], group["extraction"], strict=True))
        for user, group in conversations.groupby("user_id")
    }
    return taste_profiles(ratings, inputs.films, inputs.credits, said, users)


def refresh(conn, model: ServingModel, users=None) -> RefreshResult:
    """Recompute the profiles and picks of `users` (None: everyone with a rating or a
    conversation) and replace them, with their queue rows, in one transaction."""
    with conn.cursor() as cur:
        cur.execute("select clock_timestamp()")
        snapshot = cur.fetchone()[0]
    conn.rollback()  # the snapshot read must not hold a transaction open during the compute
    inputs = _inputs_for(conn, users)
    conversations = read_conversations(conn, users)
    if users is None:
        users = sorted(set(inputs.ratings["user_id"]) | set(conversations["user_id"]))
    users = sorted({int(u) for u in users})
    preferences = conversation_preferences(conversations, Vocabulary.build())
    picks = compute_picks(
        inputs, model.trained, users, model.pick_params, model.neighbours, preferences
    )
    profiles = _profiles(inputs, users, conversations)
    written = replace_picks(conn, picks, profiles, users, snapshot)
    return RefreshResult(len(users), written, sorted(set(users) - set(picks["user_id"])))
