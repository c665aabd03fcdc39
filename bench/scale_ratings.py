"""Scaled ratings (10x, 100x): the real MovieLens cohort resampled onto new user ids.

`scaled_ratings(ratings, factor)` keeps the real ratings and adds `factor - 1` synthetic
copies of the user base. Each synthetic user takes the complete history of a real user drawn
at random (with replacement): the same films, the same stars, the same rating times shifted
by one random offset of up to +-30 days (clipped to the real data's time span, so no rating
moves into the future or before MovieLens began). New ids are `user_id + copy * ID_STRIDE`,
which keeps them MovieLens-style users (real ids are below 1,000), disjoint from the real ones
and from app users (from 1,000,000 up) for factors up to 999.

So the scaled data keeps what matters for the cohort marts' cost: the distribution of
ratings per user and per film, the half-star histogram and the spread over rating months;
only the number of users (and so of ratings) grows. The seed makes it reproducible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ID_STRIDE = 1_000
MAX_FACTOR = 999
MAX_SHIFT_DAYS = 30


def scaled_ratings(ratings: pd.DataFrame, factor: int = 10, seed: int = 7) -> pd.DataFrame:
    """`ratings` (user_id, movie_id, rating, rated_at) plus factor - 1 resampled copies."""
    if ratings["user_id"].max() >= ID_STRIDE:
        raise ValueError(f"real user ids must stay below {ID_STRIDE} to keep scaled ids apart")
    if not 1 <= factor <= MAX_FACTOR:
        raise ValueError(
            f"factor must be 1..{MAX_FACTOR} (ids stay below the app users'), got {factor}"
        )
    rng = np.random.default_rng(seed)
    users = ratings["user_id"].unique()
    first, last = ratings["rated_at"].min(), ratings["rated_at"].max()
    copies = [ratings]
    for copy in range(1, factor):
        donors = pd.DataFrame(
            {
                "donor": rng.choice(users, size=len(users), replace=True),
                "user_id": np.sort(users) + copy * ID_STRIDE,
                "shift": pd.to_timedelta(
                    rng.integers(-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS + 1, len(users)), unit="D"
                ),
            }
        )
        history = donors.merge(ratings.rename(columns={"user_id": "donor"}), on="donor")
        history["rated_at"] = (history["rated_at"] + history["shift"]).clip(first, last)
        copies.append(history[ratings.columns])
    scaled = pd.concat(copies, ignore_index=True)
    # Clipping can make two ratings of one user and film coincide: keep one (the table's key).
    return scaled.drop_duplicates(["user_id", "movie_id", "rated_at"]).reset_index(drop=True)
