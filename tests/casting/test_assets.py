"""The casting group on a real warehouse: Dagster assets and checks, the run registry, the
person-quality switch and `cinegraph slate`."""

from __future__ import annotations

import dagster as dg
import pytest
from psycopg2 import sql

from tests.support.casting import FAST, FAST_SETTINGS


def test_features_depend_on_the_dbt_models_they_read(defs):
    from orchestration.defs.casting import casting_features

    graph = defs.resolve_asset_graph()
    parent_keys = graph.get(casting_features.key).parent_keys
    assert {key.to_user_string() for key in parent_keys} == {
        "marts/fct_casting_credits",
        "marts/dim_casting_people",
        "ml/person_quality_asof",
    }
    people = graph.get(dg.AssetKey(["marts", "dim_casting_people"])).parent_keys
    assert {key.to_user_string() for key in people} == {
        "marts/bridge_film_people",
        "marts/dim_people",
        "marts/fct_casting_credits",
        "staging/stg_imdb_datasets__names",
    }
    credits = graph.get(dg.AssetKey(["marts", "fct_casting_credits"])).parent_keys
    assert {key.to_user_string() for key in credits} == {
        "marts/bridge_film_people",
        "marts/bridge_film_sources",
        "marts/dim_films",
        "marts/dim_people",
        "staging/stg_movie_industry__movies",
    }
    # Each is an asset of the project (a misspelt key would be an unbuilt external asset).
    assert all(graph.get(key).is_materializable for key in parent_keys)


def test_person_quality_is_skipped_when_absent_and_checked_when_present(db, monkeypatch):
    from ml.casting import person_quality
    from ml.casting.features import PQS_FEATURE

    schema = "casting_test_pqs"
    monkeypatch.setattr(person_quality, "SCHEMA", schema)
    with db.cursor() as cur:
        cur.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
        cur.execute(sql.SQL("create schema {}").format(sql.Identifier(schema)))
    db.commit()
    try:
        frame, status = person_quality.read_person_quality(db)
        assert frame is None and status.startswith("skipped: no person_quality_asof table")
        with db.cursor() as cur:
            cur.execute(
                sql.SQL("create table {} (person_id bigint, year int)").format(
                    sql.Identifier(schema, "person_quality_asof")
                )
            )
        db.commit()
        with pytest.raises(ValueError, match=r"lacks columns \['role', 'total_pqs'\]"):
            person_quality.read_person_quality(db)
        with db.cursor() as cur:
            cur.execute(
                sql.SQL("alter table {} add column role text, add column total_pqs float8").format(
                    sql.Identifier(schema, "person_quality_asof")
                )
            )
        db.commit()
        # The catalogue creates the table empty: no scores yet is a skip, not a feature of NaNs.
        frame, status = person_quality.read_person_quality(db)
        assert frame is None and status.endswith("holds no actor scores yet")
        with db.cursor() as cur:
            cur.execute(
                sql.SQL(
                    "insert into {} values (7, 2001, 'actor', 0.5), (7, 2001, 'director', 0.9)"
                ).format(sql.Identifier(schema, "person_quality_asof"))
            )
        db.commit()
        frame, status = person_quality.read_person_quality(db)
        # The acting score only; known on 1 January 2001, so it is the state after 2000.
        assert frame.values.tolist() == [[7, 2000, 0.5]]
        assert list(frame.columns) == ["actor_id", "year", PQS_FEATURE]
        assert status == f"used: {schema}.person_quality_asof (1 rows)"
    finally:
        db.rollback()
        with db.cursor() as cur:
            cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(schema)))
        db.commit()


@pytest.fixture(scope="module")
def casting_run(long_table_inputs, materialize):
    """The identity marts built, then the casting group materialised."""
    from orchestration.defs import casting

    return materialize(
        dg.AssetSelection.assets(*casting.defs.assets),
        run_config={"ops": {"ml__casting_model": {"config": FAST_SETTINGS}}},
    )


@pytest.mark.slow
def test_casting_group_materialises_with_passing_checks(casting_run, db):
    assert casting_run.success
    checks = {e.check_name: e.passed for e in casting_run.get_asset_check_evaluations()}
    assert checks == {
        "auroc_beats_best_baseline": True,
        "ece_below_limit": True,
        "flip_guard": True,
    }
    with db.cursor() as cur:
        cur.execute("select split, count(*) from ml.casting_features group by split order by split")
        assert [s for s, _ in cur.fetchall()] == ["calibration", "fit", "holdout"]
        cur.execute(
            "select params, metrics, manifest from ml.model_runs where model_name = 'casting' "
            "order by created_at desc limit 1"
        )
        params, metrics, manifest = cur.fetchone()
        cur.execute("select count(*) from ml.casting_evaluation where scorer = 'baseline_logistic'")
        assert cur.fetchone()[0] >= 4
    assert params["rf_n_estimators"] == FAST.rf_n_estimators and params["train_cutoff_year"] == 2010
    assert manifest["person_quality_asof"].startswith(("skipped", "used"))
    assert manifest["artifact"]["artifact"].endswith("model.joblib")
    assert metrics["holdout"]["auroc"] > metrics["best_baseline_auroc"]
    # The artifact's plots show in the UI, inlined in the model's materialisation.
    (model,) = [
        m
        for m in casting_run.get_asset_materialization_events()
        if m.asset_key == dg.AssetKey(["ml", "casting_model"])
    ]
    shown = model.materialization.metadata
    for plot in ("plot_pr_curve", "plot_per_year_pr_auc", "plot_permutation_importance"):
        assert "](data:image/png;base64," in shown[plot].value, plot


def casting_run_id(db) -> str:
    with db.cursor() as cur:
        cur.execute(
            "select run_id from ml.model_runs where model_name = 'casting' "
            "order by created_at desc limit 1"
        )
        return cur.fetchone()[0]


@pytest.mark.slow
def test_cli_slate_from_the_recorded_model(casting_run, capsys, tmp_path, db):
    from orchestration.cli import main

    out = tmp_path / "slate"
    code = main(
        [
            "slate",
            "--year",
            "2019",
            "--budget",
            "40",
            "--genres",
            "Drama,Crime",
            "--bill-order",
            "1",
            "-n",
            "5",
            "--director",
            "Martin Scorsese",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "if not" in printed and "director outlook (Martin Scorsese)" in printed
    assert (out / "slate.csv").read_text().count("\n") == 6  # header and five actors
    with db.cursor() as cur:  # and stored, for marts.casting_slates
        cur.execute(
            "select count(*), min(model_run_id) from app.casting_slates "
            "where computed_at = (select max(computed_at) from app.casting_slates)"
        )
        assert cur.fetchone() == (5, casting_run_id(db))

    assert main(["slate", "--year", "2019", "--budget", "40", "--genres", "Space Opera"]) == 2
    assert "valid genres: Action" in capsys.readouterr().err


@pytest.mark.slow
def test_full_materialisation_trains_on_person_quality(materialized, db):
    """With the people as-of table built first, the casting model uses the actors' PQS."""
    from ml.casting.person_quality import read_person_quality

    frame, status = read_person_quality(db)
    assert status.startswith("used: ml.person_quality_asof") and len(frame) > 0
    with db.cursor() as cur:
        cur.execute(
            "select metrics, manifest from ml.model_runs where model_name = 'casting' "
            "order by created_at desc limit 1"
        )
        metrics, manifest = cur.fetchone()
        # A film of year Y reads the score known on 1 January Y (as of the end of Y - 1).
        cur.execute(
            "select count(*), count(*) filter (where abs("
            "(features.feature_values ->> 'pqs_asof')::float8 - quality.total_pqs) < 1e-9) "
            "from ml.casting_features as features "
            "inner join ml.person_quality_asof as quality on quality.role = 'actor' "
            "and quality.person_id = features.actor_id and quality.year = features.year"
        )
        rows, equal = cur.fetchone()
    assert rows > 0 and equal == rows
    assert manifest["person_quality_asof"].startswith("used")
    assert "pqs_asof" in manifest["actor_feature_contract"] and metrics["uses_person_quality"]
