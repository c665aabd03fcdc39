"""Ranking quality of the picks on the holdout, next to two baselines.

A user's relevant films are their held-out ratings of 4 stars or more; every list is built
from the training window and excludes films rated there. Baselines: popularity (the most
rated films of the training window) and item-kNN (each film scored by its similarity to
the user's rated films, weighted by how far above their mean the user rated them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.companion.confidence import LIKED

K = 10


def ranking_metrics(
    recommended: pd.DataFrame, relevant: pd.DataFrame, k: int = K
) -> dict[str, float]:
    """Mean precision@k, recall@k and NDCG@k (binary gains) over users with a relevant film.
    `recommended`: user_id, film_id, rank (1 = first); `relevant`: user_id, film_id."""
    top = recommended[recommended["rank"] <= k]
    hits = top.merge(relevant.drop_duplicates(["user_id", "film_id"]), on=["user_id", "film_id"])
    per_user = relevant.groupby("user_id")["film_id"].nunique().rename("relevant").to_frame()
    per_user["hits"] = hits.groupby("user_id").size()
    per_user["dcg"] = (
        hits.assign(gain=1 / np.log2(hits["rank"] + 1)).groupby("user_id")["gain"].sum()
    )
    per_user = per_user.fillna(0)
    discounts = 1 / np.log2(np.arange(2, k + 2))
    ideal = per_user["relevant"].clip(upper=k).astype(int).map(lambda n: discounts[:n].sum())
    return {
        f"precision_at_{k}": float((per_user["hits"] / k).mean()),
        f"recall_at_{k}": float((per_user["hits"] / per_user["relevant"]).mean()),
        f"ndcg_at_{k}": float((per_user["dcg"] / ideal).mean()),
        "users": len(per_user),
    }


def relevant_films(test: pd.DataFrame) -> pd.DataFrame:
    return test[test["rating"] >= LIKED][["user_id", "film_id"]]


def _top_unrated(scores: pd.DataFrame, train: pd.DataFrame, k: int) -> pd.DataFrame:
    """The k best-scored films per user that the user did not rate in `train`."""
    rated = train[["user_id", "film_id"]].drop_duplicates().assign(rated=True)
    scores = scores.merge(rated, on=["user_id", "film_id"], how="left")
    scores = scores[scores["rated"].isna()].sort_values(
        ["user_id", "score"], ascending=[True, False]
    )
    top = scores.groupby("user_id").head(k).copy()
    top["rank"] = top.groupby("user_id").cumcount() + 1
    return top[["user_id", "film_id", "rank"]]


def popularity_lists(train: pd.DataFrame, users, k: int = K) -> pd.DataFrame:
    counts = train["film_id"].value_counts()
    # enough films that k remain after removing any user's rated ones
    pool = counts.head(k + int(train.groupby("user_id").size().max()))
    scores = pd.DataFrame({"user_id": users}).merge(
        pd.DataFrame({"film_id": pool.index, "score": pool.to_numpy()}), how="cross"
    )
    return _top_unrated(scores, train, k)


def itemknn_lists(train: pd.DataFrame, neighbours: pd.DataFrame, k: int = K) -> pd.DataFrame:
    centred = train.assign(
        weight=train["rating"] - train.groupby("user_id")["rating"].transform("mean")
    )
    pairs = centred[["user_id", "film_id", "weight"]].merge(neighbours, on="film_id")
    pairs["score"] = pairs["weight"] * pairs["similarity"]
    scores = pairs.groupby(["user_id", "neighbour_id"], as_index=False)["score"].sum()
    return _top_unrated(scores.rename(columns={"neighbour_id": "film_id"}), train, k)
