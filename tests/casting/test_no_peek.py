"""No-peek guards: a row sees only films released before it, and nothing fitted moves when
films after the training cutoff change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.casting.dataset import prepare
from ml.casting.train import train
from tests.support.casting import FAST

KEYS = ["film_id", "actor_id"]


def features_of(data, year):
    rows = data.actor_rows[data.actor_rows["year"] == year]
    columns = list(
        data.actor_rows.columns.drop(["title", "actor_name", "director_name", "split", "resonance"])
    )
    return rows[columns].sort_values(KEYS).reset_index(drop=True)


def tamper_outcomes(long, years, seed=1):
    """Shuffle IMDb score and votes among the films of `years`: new labels, same films."""
    rng = np.random.default_rng(seed)
    films = long.drop_duplicates("film_id").set_index("film_id")
    chosen = films.index[films["year"].isin(years)]
    shuffled = films.loc[chosen, ["score", "votes"]].sample(
        frac=1, random_state=rng.integers(1 << 31)
    )
    shuffled.index = chosen
    out = long.set_index("film_id")
    out.update(shuffled)
    return out.reset_index()[long.columns]


def test_features_for_a_year_use_only_films_released_before_it(demo_long, demo_data):
    long, report = demo_long
    year = 2015  # after the cutoff, so the train-era fit cannot move either
    tampered = prepare(tamper_outcomes(long, range(year, 2021)), FAST, report=report)
    assert tampered.era == demo_data.era
    pd.testing.assert_frame_equal(features_of(tampered, year), features_of(demo_data, year))
    # The same tampering is visible a year later: the guard is not vacuous.
    changed = features_of(tampered, year + 1)["atr3"].ne(features_of(demo_data, year + 1)["atr3"])
    assert changed.sum() > 0


def test_same_year_films_are_invisible(demo_data):
    """Two films of one actor in one year see the same history, neither sees the other."""
    rows = demo_data.actor_rows
    same_year = rows[rows.duplicated(["actor_id", "year"], keep=False)]
    assert len(same_year) > 0
    spread = same_year.groupby(["actor_id", "year"])[
        ["atr3", "prior_roles", "release_density"]
    ].nunique(dropna=False)
    assert (spread == 1).all().all()


def test_post_cutoff_changes_move_no_bin_threshold_or_model(demo_long, demo_data, demo_model):
    long, report = demo_long
    cutoff = demo_data.params.train_cutoff_year
    later = long["year"] > cutoff
    # New outcomes for the first five years after the cutoff (shuffling every later year would
    # leave a holdout of random labels, on which the flip guard rightly refuses to ship), and
    # doubled budgets and swapped genres for every film after the cutoff.
    changed = tamper_outcomes(long, range(cutoff + 1, cutoff + 6))
    changed.loc[later, "budget"] = changed.loc[later, "budget"] * 2
    changed.loc[later, "genres"] = changed.loc[later, "genres"].map(
        lambda g: ["Drama"] if g != ["Drama"] else ["Comedy"]
    )
    data = prepare(changed, FAST, report=report)
    assert data.era.resonance_threshold == demo_data.era.resonance_threshold
    assert data.era.budget_edges == demo_data.era.budget_edges
    assert data.era.genres == demo_data.era.genres
    assert data.histories.actor_prior == demo_data.histories.actor_prior
    assert data.histories.director_prior == demo_data.histories.director_prior
    model = train(data)
    train_rows = demo_data.actor_rows[demo_data.actor_rows["split"] != "holdout"]
    np.testing.assert_array_equal(model.p_base(train_rows), demo_model.p_base(train_rows))
    assert model.actor_head_name == demo_model.actor_head_name
    assert model.calibrator.summary() == demo_model.calibrator.summary()
    # ...while the holdout it is judged on did change.
    assert model.metrics["holdout"]["auroc"] != demo_model.metrics["holdout"]["auroc"]


def test_cutoff_must_leave_films_on_both_sides(demo_long):
    long, _ = demo_long
    from dataclasses import replace

    with pytest.raises(ValueError, match="must leave films on both sides"):
        prepare(long, replace(FAST, train_cutoff_year=2020))
