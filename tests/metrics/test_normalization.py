"""The Python normalisation curves and registry, without a database."""

from __future__ import annotations

import math

import pytest

from ml.metrics import categories, metric_definitions, normalize, normalize_value
from ml.metrics.normalization import CURVES

pytestmark = pytest.mark.nodb

# The design's inventory: 29 metrics, every one defined even when no source feeds it.
DESIGN_METRICS = {
    "tmdb_rating",
    "tmdb_vote_count",
    "imdb_rating",
    "imdb_vote_count",
    "metacritic_score",
    "rt_tomatometer",
    "rt_audience_score",
    "tmdb_budget",
    "tmdb_revenue",
    "omdb_box_office",
    "bom_domestic",
    "bom_worldwide",
    "oscar_nominations",
    "oscar_wins",
    "cannes_palme_dor",
    "cannes_selection",
    "venice_golden_lion",
    "venice_selection",
    "berlin_golden_bear",
    "sundance_grand_jury",
    "afi_top_100",
    "bfi_top_100",
    "sight_sound_rank",
    "criterion_collection",
    "1001_movies",
    "nfr_preserved",
    "tmdb_popularity",
    "tmdb_trending_rank",
    "twitter_mentions",
}
PERSON_QUALITY_METRICS = {
    "director_pqs",
    "director_festival_score",
    "director_canonical_score",
    "director_longevity_score",
    "director_peer_score",
    "lead_actor_pqs",
    "supporting_cast_pqs",
    "cast_awards_score",
    "cast_versatility_score",
    "movie_gravitas_score",
}


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        ("metacritic_score", 85, 0.85),
        ("afi_top_100", 25, 0.777),
        ("oscar_wins", 2, 0.8),
        ("oscar_wins", 7, 1.0),
        ("oscar_nominations", 1, 0.5),
        # The design's worked example says 0.67; its own formula gives log(1e8+1)/log(1e9+1).
        ("bom_domestic", 100_000_000, 0.889),
        ("imdb_rating", 7.5, 0.75),
        ("cannes_selection", 1, 0.3),
        ("sight_sound_rank", 125, 0.5),
        ("director_longevity_score", 15, 0.5),
    ],
)
def test_design_examples_follow_the_formulas(code, raw, expected):
    assert normalize_value(code, raw).value == pytest.approx(expected, abs=5e-4)


def test_log_example_is_the_formula_not_the_designs_rounding():
    value = normalize_value("omdb_box_office", 1e8).value
    assert value == pytest.approx(math.log(1e8 + 1) / math.log(1e9 + 1), abs=1e-15)
    assert abs(value - 0.67) > 0.2


def test_null_stays_null_and_is_not_clamped():
    for code in ("imdb_rating", "oscar_wins", "cannes_palme_dor", "afi_top_100"):
        result = normalize_value(code, None)
        assert result.value is None and not result.clamped
    assert normalize_value("imdb_rating", float("nan")).value is None


def test_out_of_scale_values_are_clamped_and_flagged():
    high = normalize_value("imdb_rating", 12)
    assert high.value == 1.0 and high.clamped
    low = normalize_value("afi_top_100", 0)  # rank 0 is read as rank 1, the scale's top
    assert low.clamped and low.value == pytest.approx(normalize_value("afi_top_100", 1).value)
    inside = normalize_value("imdb_rating", 10)
    assert inside.value == 1.0 and not inside.clamped


def test_a_logarithmic_curve_saturates_at_one_above_its_threshold():
    result = normalize_value("bom_worldwide", 5e9)
    assert result.value == 1.0 and not result.clamped


def test_the_sigmoid_never_overflows():
    assert normalize_value("tmdb_trending_rank", 1e9).value == pytest.approx(0.0, abs=1e-300)
    assert normalize(1e9, "sigmoid", {"k": -1, "midpoint": 0}).value == 1.0


def test_steps_and_booleans():
    steps = {"steps": [[0, 0.0], [1, 0.6], [2, 0.8], [3, 1.0]]}
    assert [normalize(x, "step", steps).value for x in (0, 0.5, 1, 2.9, 3, 40)] == [
        0,
        0,
        0.6,
        0.8,
        1.0,
        1.0,
    ]
    assert normalize(-1, "step", steps).value == 0.0
    assert normalize(0, "boolean", {"true_value": 0.7}).value == 0.0
    assert normalize(1, "boolean", {"true_value": 0.7}).value == 0.7


def test_unknown_metric_lists_the_valid_ones():
    with pytest.raises(LookupError, match="valid metrics: .*imdb_rating"):
        normalize_value("imdb_ratin", 7)


def test_unknown_curve_is_an_error():
    with pytest.raises(ValueError, match="valid: linear"):
        normalize(1, "custom", {})


def test_registry_defines_the_design_and_person_quality_metrics():
    codes = set(metric_definitions())
    assert codes >= DESIGN_METRICS
    assert codes >= PERSON_QUALITY_METRICS
    assert {d.category for d in metric_definitions().values()} == set(categories())
    assert {d.normalization_type for d in metric_definitions().values()} == set(CURVES)
    assert {metric_definitions()[c].category for c in PERSON_QUALITY_METRICS} == {"person_quality"}


def test_every_active_metric_normalises_its_whole_scale_into_zero_one():
    for definition in metric_definitions().values():
        low = definition.raw_scale_min
        high = definition.raw_scale_max if definition.raw_scale_max is not None else 1e12
        for raw in (low, (low + high) / 2, high):
            value = definition.normalize(raw).value
            assert 0.0 <= value <= 1.0, (definition.code, raw, value)
