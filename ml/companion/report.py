"""The companion's evaluation run: the rating model, the picks' ranking knob, and every
holdout figure next to its baselines.

The popularity exponent of the pick score (how much a film's reach counts next to the
confidence) is chosen like the rank: picks built from the training window without its
validation slice, scored against that slice's 4+ ratings. Only then are the holdout
figures computed, with the picks built from the whole training window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ml.companion import evaluate
from ml.companion.inputs import CompanionInputs
from ml.companion.neighbours import item_neighbours
from ml.companion.picks import PickParams, gather_candidates, predict_candidates, rank_predicted
from ml.companion.rating_model import DEFAULT_PARAMS, RANK_GRID, RatingParams
from ml.companion.training import TrainedModel, train_and_evaluate

POPULARITY_GRID = (0.0, 0.5, 1.0, 2.0)
EVALUATED_PICKS = PickParams(picks_per_user=evaluate.K)


@dataclass
class CompanionReport:
    trained: TrainedModel  # fitted on the training window (refit with fit_for_serving)
    pick_params: PickParams
    metrics: dict[str, float]


def _lists(inputs: CompanionInputs, users, trained: TrainedModel, params: PickParams, grid):
    """Candidates gathered and predicted once (the exponent only weighs the score), ranked
    under each popularity exponent."""
    neighbours = item_neighbours(inputs.ratings)
    predicted = predict_candidates(gather_candidates(inputs, users, params, neighbours), trained)
    ranked = {
        b: rank_predicted(inputs, predicted, trained, replace(params, popularity_exponent=b))
        for b in grid
    }
    return ranked, neighbours


def choose_popularity(
    inputs: CompanionInputs, trained: TrainedModel, params: PickParams, grid=POPULARITY_GRID
) -> tuple[float, dict[float, float]]:
    """The exponent with the best NDCG@10 on the validation slice."""
    selection = trained.selection
    relevant = evaluate.relevant_films(selection.validation)
    on_fit = TrainedModel(selection.model, trained.calibrator, selection.params)
    ranked, _ = _lists(
        inputs.with_ratings(selection.fit_part), relevant["user_id"].unique(), on_fit, params, grid
    )
    ndcg = {b: evaluate.ranking_metrics(p, relevant)["ndcg_at_10"] for b, p in ranked.items()}
    return max(ndcg, key=ndcg.get), ndcg


def evaluate_companion(
    inputs: CompanionInputs,
    rank_grid=RANK_GRID,
    base: RatingParams = DEFAULT_PARAMS,
    params: PickParams = EVALUATED_PICKS,
    popularity_grid=POPULARITY_GRID,
) -> CompanionReport:
    trained, train, test = train_and_evaluate(inputs.ratings, rank_grid, base)
    exponent, validation_ndcg = choose_popularity(inputs, trained, params, popularity_grid)
    chosen = replace(params, popularity_exponent=exponent)
    relevant = evaluate.relevant_films(test)
    users = relevant["user_id"].unique()
    ranked, neighbours = _lists(inputs.with_ratings(train), users, trained, chosen, (exponent,))
    lists = {
        "picks": ranked[exponent],
        "popularity": evaluate.popularity_lists(train, users),
        "itemknn": evaluate.itemknn_lists(train, neighbours),
    }
    metrics = dict(trained.metrics, popularity_exponent=exponent)
    metrics.update({f"validation_ndcg_popularity_{b:g}": v for b, v in validation_ndcg.items()})
    for name, frame in lists.items():
        for key, value in evaluate.ranking_metrics(frame, relevant).items():
            metrics[f"{name}_{key}"] = value
    picks = lists["picks"]
    metrics["picks_source_shares"] = (
        picks["discovery_source"].value_counts(normalize=True).round(3).to_dict()
    )
    return CompanionReport(trained, chosen, metrics)
