"""Taste profiles: weights and the evidence behind them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ml.companion.conversation.offline import Vocabulary, extract
from ml.companion.profile import taste_profile

pytestmark = pytest.mark.nodb


def test_profile_weights_and_evidence():
    ratings = pd.DataFrame({"film_id": [1, 2, 3, 4], "rating": [5.0, 4.5, 1.0, 1.5]})
    films = pd.DataFrame(
        {"film_id": [1, 2, 3, 4], "genres": [["Comedy"], ["Comedy"], ["Horror"], ["Horror"]]}
    )
    credits = pd.DataFrame(
        {"film_id": [1, 2], "person_id": [9, 9], "name": "Ada Lane", "role": "director"}
    )
    vocabulary = Vocabulary.build()
    said = [
        (11, extract("I hate gore", vocabulary)),
        (12, extract("Gory films are awful", vocabulary)),
    ]
    profile = taste_profile(ratings, films, credits, said)
    genres = {g["value"]: g for g in profile["rated"]["genres"]}
    assert genres["Comedy"]["weight"] > 0 > genres["Horror"]["weight"]
    assert genres["Comedy"]["evidence"]["rated_film_ids"] == [1, 2]
    assert profile["rated"]["people"][0]["value"] == "Ada Lane (director)"
    gory = profile["said"]["visual_style"][0]
    assert gory["value"] == "gory" and gory["weight"] < 0
    assert gory["evidence"]["conversation_ids"] == [11, 12]
    json.dumps(profile)  # JSON-ready for the jsonb column
