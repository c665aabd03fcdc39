"""Item neighbours from ratings: cosine similarity of films' user-centred rating vectors.

Only films with `min_raters` ratings take part (a film two people rated has no reliable
neighbours); each keeps its `k` most similar films with a positive similarity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sps
from sklearn.preprocessing import normalize


def item_neighbours(ratings: pd.DataFrame, k: int = 30, min_raters: int = 5) -> pd.DataFrame:
    """film_id, neighbour_id, similarity: each film's k nearest films."""
    counts = ratings["film_id"].value_counts()
    kept = ratings[ratings["film_id"].isin(counts.index[counts >= min_raters])]
    if kept.empty:
        return pd.DataFrame({"film_id": [], "neighbour_id": [], "similarity": []})
    centred = kept["rating"] - kept.groupby("user_id")["rating"].transform("mean")
    films = pd.Index(np.unique(kept["film_id"]))
    users = pd.Index(np.unique(kept["user_id"]))
    matrix = sps.csr_matrix(
        (
            centred.to_numpy(),
            (films.get_indexer(kept["film_id"]), users.get_indexer(kept["user_id"])),
        ),
        shape=(len(films), len(users)),
    )
    unit = normalize(matrix).astype(np.float32)
    similarity = (unit @ unit.T).toarray()
    np.fill_diagonal(similarity, -1)
    k = min(k, len(films) - 1)
    top = (
        np.argpartition(-similarity, k, axis=1)[:, :k] if k > 0 else np.empty((len(films), 0), int)
    )
    rows = np.repeat(np.arange(len(films)), top.shape[1])
    values = similarity[rows, top.ravel()]
    frame = pd.DataFrame(
        {"film_id": films[rows], "neighbour_id": films[top.ravel()], "similarity": values}
    )
    return frame[frame["similarity"] > 0].reset_index(drop=True)
