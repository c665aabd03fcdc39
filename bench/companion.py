"""Companion figures, on the demo ratings read from the parsed files (no warehouse needed).

companion_rmse_holdout          myfm (implicit feedback + biases) on each user's latest 20%
                                (target < 0.89)
companion_rmse_bias_baseline    the cohort bias baseline on the same split
companion_ndcg10                picks (training window only) against held-out 4+ ratings; the
                                score's popularity exponent chosen on the validation slice
companion_ndcg10_popularity     most-rated films of the training window
companion_ndcg10_itemknn        item-kNN over the same neighbours the picks use
companion_ece_holdout           confidence P(rating >= 4) on the holdout, target < 0.05
companion_train_s               one fit of the chosen model on the training window, target < 120
extractor_precision/recall      offline extractor on tests/companion/fixtures/utterances.csv
"""

from __future__ import annotations

from pathlib import Path

from ml.companion.conversation import offline
from ml.companion.conversation.quality import read_vocabularies, score
from ml.companion.inputs import demo_inputs
from ml.companion.report import evaluate_companion

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "companion" / "fixtures"


def run() -> dict[str, float]:
    m = evaluate_companion(demo_inputs()).metrics
    people, films = read_vocabularies(FIXTURES / "vocabulary.csv")
    vocabulary = offline.Vocabulary.build(people, films)
    quality = score(FIXTURES / "utterances.csv", lambda t, f: offline.extract(t, vocabulary, f))
    figures = {
        "companion_rmse_holdout": m["rmse_holdout"],
        "companion_mae_holdout": m["mae_holdout"],
        "companion_rmse_bias_baseline": m["rmse_bias_baseline"],
        "companion_rmse_histogram": m["rmse_histogram"],
        "companion_rmse_global_mean": m["rmse_global_mean"],
        "companion_ece_holdout": m["ece_holdout"],
        "companion_train_s": m["train_s"],
        "companion_rank": m["rank"],
        "companion_popularity_exponent": m["popularity_exponent"],
        "extractor_precision": quality["precision"],
        "extractor_recall": quality["recall"],
    }
    for name, suffix in (("picks", ""), ("popularity", "_popularity"), ("itemknn", "_itemknn")):
        figures[f"companion_ndcg10{suffix}"] = m[f"{name}_ndcg_at_10"]
        figures[f"companion_precision10{suffix}"] = m[f"{name}_precision_at_10"]
        figures[f"companion_recall10{suffix}"] = m[f"{name}_recall_at_10"]
    return {k: round(float(v), 4) for k, v in figures.items()}
