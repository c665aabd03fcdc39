"""The casting group on a real warehouse: Dagster assets and checks, the run registry, the
person-quality switch and `cinegraph slate`."""

from __future__ import annotations

import dagster as dg
import pytest
from psycopg2 import sql

RAW_KEYS = [["raw", "movie_industry__movies"], ["raw", "oscars__nominations"]]
SMALL_MODEL = {"rf_n_estimators": 60, "hgb_max_iter": 80}


def test_person_quality_is_skipped_when_absent_and_checked_when_present(db, monkeypatch):
    from ml.casting import person_quality

    schema = "casting_test_pqs"
    monkeypatch.setattr(person_quality, "SCHEMAS", (schema,))
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
        with pytest.raises(ValueError, match=r"lacks columns \['as_of_year', 'pqs'\]"):
            person_quality.read_person_quality(db)
    finally:
        db.rollback()
        with db.cursor() as cur:
            cur.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(schema)))
        db.commit()


@pytest.fixture(scope="module")
def casting_run(warehouse, instance):
    """Raw Movie Industry and Oscar tables loaded, then the casting group materialised."""
    from orchestration.defs import casting, ingest
    from orchestration.resources import warehouse_resource
    from orchestration.settings import settings

    assets = [*ingest.defs.assets, *casting.defs.assets]
    selection = dg.AssetSelection.assets(*RAW_KEYS) | dg.AssetSelection.groups("casting")
    return dg.materialize(
        assets,
        selection=selection,
        instance=instance,
        resources={"warehouse": warehouse_resource(settings()), **casting.defs.resources},
        run_config={"ops": {"ml__casting_model": {"config": SMALL_MODEL}}},
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
    assert params["rf_n_estimators"] == 60 and params["train_cutoff_year"] == 2010
    assert manifest["person_quality_asof"].startswith(("skipped", "used"))
    assert manifest["artifact"]["artifact"].endswith("model.joblib")
    assert metrics["holdout"]["auroc"] > metrics["best_baseline_auroc"]


@pytest.mark.slow
def test_cli_slate_from_the_recorded_model(casting_run, capsys, tmp_path):
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

    assert main(["slate", "--year", "2019", "--budget", "40", "--genres", "Space Opera"]) == 2
    assert "valid genres: Action" in capsys.readouterr().err


@pytest.mark.slow
def test_full_materialisation_trains_on_person_quality(materialized, db):
    """With issue 5's as-of table built first, the casting model uses the actors' PQS."""
    from ml.casting.person_quality import read_person_quality

    frame, status = read_person_quality(db)
    assert status.startswith("used: marts.person_quality_asof") and len(frame) > 0
    with db.cursor() as cur:
        cur.execute(
            "select metrics, manifest from ml.model_runs where model_name = 'casting' "
            "order by created_at desc limit 1"
        )
        metrics, manifest = cur.fetchone()
    assert manifest["person_quality_asof"].startswith("used")
    assert "pqs_asof" in manifest["actor_feature_contract"] and metrics["uses_person_quality"]
