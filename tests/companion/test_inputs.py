"""The demo inputs: the same frames the warehouse path gives, from the parsed files."""

from __future__ import annotations

import pytest

from ml.companion.inputs import demo_inputs, title_key

pytestmark = pytest.mark.nodb


def test_title_key_moves_the_movielens_article():
    assert title_key("Deer Hunter, The", 1978.0) == title_key("The Deer Hunter", 1978)
    assert title_key("Heat", 1995) != title_key("Heat", 1986)


def test_demo_inputs_have_ratings_films_and_directors():
    inputs = demo_inputs()
    assert len(inputs.ratings) == 100_004
    assert set(inputs.ratings["film_id"]) <= set(inputs.films["film_id"])
    nolan = inputs.credits[
        (inputs.credits["name"] == "Christopher Nolan") & (inputs.credits["role"] == "director")
    ]
    inception = inputs.films[inputs.films["title"] == "Inception"]["film_id"]
    assert set(inception) <= set(nolan["film_id"])
