"""Training: feature contract, calibration and its collapse guard, flip guard, determinism,
baselines and the optional person-quality feature."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from ml.casting.calibration import (
    METHODS,
    expected_calibration_error,
    fit_display_calibration,
)
from ml.casting.dataset import prepare
from ml.casting.evaluate import FlippedHeadError
from ml.casting.features import PQS_FEATURE, actor_contract
from ml.casting.person_quality import person_quality_frame
from ml.casting.train import train
from tests.support.casting import FAST


def test_contract_adds_missing_columns_drops_extras_and_fixes_order(demo_data):
    contract = actor_contract(demo_data.era, with_pqs=True)
    rows = demo_data.actor_rows.head(5)
    shuffled = rows[list(reversed(rows.columns))].assign(extra=1.0)
    frame, added = contract.enforce(shuffled)
    assert list(frame.columns) == list(contract.columns)
    assert added == [PQS_FEATURE] and frame[PQS_FEATURE].isna().all()
    np.testing.assert_array_equal(frame["atr3"].to_numpy(), rows["atr3"].to_numpy())


def test_model_scores_a_frame_missing_a_contract_column(demo_model, demo_data):
    rows = demo_data.actor_rows.head(20)
    p = demo_model.p_base(rows.drop(columns=["genre_fit"]))
    assert p.shape == (20,) and np.all((p >= 0) & (p <= 1))
    # Same columns in another order score identically: order is fixed by the contract.
    np.testing.assert_array_equal(
        demo_model.p_base(rows[rows.columns[::-1]]), demo_model.p_base(rows)
    )


def _calibration_case(seed=0, n=1500):
    """Base probabilities far too extreme: the truth is 0.25 + p / 2."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.01, 0.99, n)
    return (rng.uniform(size=n) < 0.25 + p / 2).astype(int), p


@pytest.mark.nodb
def test_calibration_picks_the_lowest_cross_fitted_ece_and_keeps_all_three():
    y, p = _calibration_case()
    calibrator = fit_display_calibration(y, p, min_isotonic_levels=6, seed=0)
    assert set(calibrator.ece) == set(METHODS)
    assert calibrator.method == min(calibrator.ece, key=calibrator.ece.get)
    # The raw probabilities are badly off, so doing nothing is not chosen.
    assert calibrator.method != "none" and calibrator.ece["none"] > 0.1
    assert calibrator.summary()["ece_calibration_slice"] == calibrator.ece


@pytest.mark.nodb
def test_a_collapsed_isotonic_is_not_a_candidate_and_says_why():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.2, 0.8, 300)
    y = rng.integers(0, 2, 300)  # p says nothing: isotonic collapses to a few steps
    calibrator = fit_display_calibration(y, p, min_isotonic_levels=10, seed=0)
    assert calibrator.isotonic_levels < 10 and "collapsed" in calibrator.excluded["isotonic"]
    assert calibrator.method in ("none", "platt")


@pytest.mark.nodb
def test_a_displayed_probability_is_never_certain_and_carries_its_support():
    y = np.r_[np.zeros(200), np.ones(200)].astype(int)
    p = np.r_[np.linspace(0.0, 0.4, 200), np.linspace(0.6, 1.0, 200)]  # perfectly separable
    calibrator = fit_display_calibration(y, p, min_isotonic_levels=2, seed=0)
    shown = calibrator.predict(np.array([0.0, 1.0]))
    assert shown.round(2).tolist() == [0.01, 0.99]
    assert sum(calibrator.bin_support) == 400
    np.testing.assert_array_equal(
        calibrator.support(shown), [calibrator.bin_support[0], calibrator.bin_support[-1]]
    )


@pytest.mark.nodb
def test_a_probability_beyond_the_calibration_rows_is_shown_at_their_edge():
    y, p = _calibration_case()
    calibrator = fit_display_calibration(y[p < 0.5], p[p < 0.5], min_isotonic_levels=6, seed=0)
    low, high = calibrator.levels[0], calibrator.levels[-1]
    shown = calibrator.predict(np.array([0.0, 0.3, 0.95]))
    assert shown[0] == low and shown[2] == high and low < shown[1] < high
    assert (calibrator.support(shown) > 0).all()


@pytest.mark.nodb
def test_a_probability_in_a_tenth_without_calibration_rows_moves_to_the_nearest_level():
    y = np.r_[np.zeros(100), np.ones(100)].astype(int)
    p = np.r_[np.full(100, 0.2), np.full(100, 0.8)]  # isotonic steps 0.2 -> 0.8, nothing between
    calibrator = fit_display_calibration(y, p, min_isotonic_levels=1, seed=0)
    shown = calibrator.predict(np.array([0.35, 0.5, 0.65]))
    assert (calibrator.support(shown) > 0).all()
    assert set(shown.round(6)) <= set(np.round(calibrator.levels, 6))


@pytest.mark.nodb
def test_expected_calibration_error():
    y = np.array([1, 0, 1, 1])
    assert expected_calibration_error(y, np.array([1.0, 0.0, 1.0, 1.0])) == 0.0
    # Everything at 0.5 while 3 of 4 happen: off by 0.25.
    assert expected_calibration_error(y, np.full(4, 0.5)) == pytest.approx(0.25)


def test_metrics_sit_next_to_two_baselines(demo_model):
    metrics = demo_model.metrics
    assert set(metrics["baselines"]) == {"prior_rate", "logistic"}
    for scorer in (metrics["holdout"], *metrics["baselines"].values()):
        assert 0 <= scorer["ece"] <= 1 and 0 < scorer["auroc"] < 1
    assert metrics["holdout"]["auroc"] > metrics["best_baseline_auroc"]
    assert metrics["holdout"]["ece"] < 0.1
    assert set(metrics["per_year_pr_auc"]) == {str(y) for y in range(2011, 2021)}
    assert metrics["actor_head"] in metrics["actor_head_candidates"]
    assert isinstance(metrics["synergy"]["helps"], bool)


def test_manifest_traces_the_run(demo_model):
    manifest = demo_model.manifest()
    assert manifest["params"]["train_cutoff_year"] == 2010
    assert manifest["actor_feature_contract"] == list(demo_model.actor_contract.columns)
    assert len(manifest["data"]["sha256"]) == 64
    assert {"scikit-learn", "pandas", "numpy", "python"} <= set(manifest["versions"])


def test_a_full_build_twice_gives_the_same_model(demo_long, demo_people, demo_model):
    long, report = demo_long
    again = train(prepare(long, FAST, report=report, people=demo_people))
    assert again.actor_head_name == demo_model.actor_head_name
    assert again.metrics == demo_model.metrics
    assert again.calibrator.summary() == demo_model.calibrator.summary()
    np.testing.assert_array_equal(again.holdout["p_cal"], demo_model.holdout["p_cal"])
    # The seed is what makes it so: another seed grows other forests.
    reseeded = train(replace(again.data, params=replace(FAST, seed=FAST.seed + 1)))
    candidates = reseeded.metrics["actor_head_candidates"]["random_forest"]
    assert candidates != demo_model.metrics["actor_head_candidates"]["random_forest"]


@pytest.mark.nodb
def test_every_model_seed_is_the_one_setting(monkeypatch):
    from orchestration.settings import load_settings, settings

    monkeypatch.setenv("CINEGRAPH_MODEL_SEED", "7")
    assert load_settings().model_seed == 7
    from orchestration.defs.casting import CastingModelConfig
    from orchestration.defs.cohorts import ClusterConfig

    for config in (CastingModelConfig, ClusterConfig):
        assert config.model_fields["seed"].default == settings().model_seed


def test_a_flipped_head_fails_loudly(demo_data):
    flipped = replace(demo_data, actor_rows=demo_data.actor_rows.copy())
    holdout = flipped.actor_rows["split"] == "holdout"
    flipped.actor_rows.loc[holdout, "resonance"] = 1 - flipped.actor_rows.loc[holdout, "resonance"]
    with pytest.raises(FlippedHeadError, match="actor head has holdout AUROC"):
        train(flipped)


def test_person_quality_is_a_feature_when_given_and_read_strictly_before(demo_long):
    long, report = demo_long
    actors = long["actor_id"].drop_duplicates()
    # Rows shaped like ml.person_quality_asof (`year`: known on 1 January of it), whose
    # quality is the last year they count: a film of year Y must see Y - 1 at most.
    rows = pd.DataFrame(
        [(a, y, float(y - 1)) for a in actors.head(300) for y in range(1985, 2022)],
        columns=["person_id", "year", "total_pqs"],
    )
    pqs = person_quality_frame(rows)
    data = prepare(long, FAST, pqs=pqs, report={**report, "person_quality_asof": "used: test"})
    assert PQS_FEATURE in actor_contract(data.era, with_pqs=True).columns
    seen = data.actor_rows.dropna(subset=[PQS_FEATURE])
    assert len(seen) > 0 and (seen[PQS_FEATURE] == seen["year"] - 1).all()
