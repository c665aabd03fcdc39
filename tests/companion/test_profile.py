"""Taste profiles: weights and the evidence behind them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ml.companion.conversation.offline import Vocabulary, extract
from ml.companion.profile import taste_profile, taste_profiles

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


@pytest.fixture(scope="module")
def demo():
    from ml.companion.inputs import demo_inputs

    return demo_inputs()


def test_batch_profiles_equal_each_users_own(demo):
    """One pass over every user gives each user the profile their ratings alone give: no
    mean, weight or evidence leaks across users, and equal weights keep their order."""
    ratings = demo.ratings
    users = ratings["user_id"].value_counts().index  # heaviest raters first
    sample = sorted({*users[:20], *users[::25]})
    said = {int(sample[0]): [(5, extract("I hate gore", Vocabulary.build()))]}
    batch = taste_profiles(ratings, demo.films, demo.credits, said, [*sample, -1])
    ties = 0
    for user in sample:
        own = ratings[ratings["user_id"] == user].drop(columns="user_id")
        alone = taste_profile(own, demo.films, demo.credits, said.get(int(user), []))
        assert batch[int(user)] == alone, user
        people = [p["weight"] for p in alone["rated"]["people"]]
        ties += len(people) - len(set(people))
    assert ties > 0  # the sample exercises the order of equal weights
    assert batch[-1] == {"rated": {}, "said": {}}  # a user with no ratings and no words
    assert batch[int(sample[0])]["said"]["visual_style"][0]["value"] == "gory"
