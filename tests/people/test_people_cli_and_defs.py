"""The `people` group's wiring, and `cinegraph pqs top`, `person` and `gravitas`."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.cli import main
from orchestration.defs.people import GRAVITAS, GRAVITAS_ASOF, GRAVITAS_MODEL, PQS, PQS_ASOF


def test_the_people_group_feeds_the_registry_from_its_own_tables(defs):
    graph = defs.resolve_asset_graph()
    group = {key for key in graph.get_all_asset_keys() if graph.get(key).group_name == "people"}
    assert {PQS, GRAVITAS, PQS_ASOF, GRAVITAS_ASOF, GRAVITAS_MODEL} <= group
    assert dg.AssetKey(["marts", "person_collaborations"]) in group
    feed = graph.get(dg.AssetKey(["intermediate", "int_metrics__people"]))
    # the registry takes as-of scores; the current gravitas rides along, labelled
    staged = {
        dg.AssetKey(["staging", f"stg_ml__{key.path[-1]}"])
        for key in (PQS_ASOF, GRAVITAS_ASOF, GRAVITAS)
    }
    assert staged <= feed.parent_keys
    assert dg.AssetKey(["staging", f"stg_ml__{PQS.path[-1]}"]) not in feed.parent_keys
    assert {PQS_ASOF, GRAVITAS_ASOF, GRAVITAS} == {
        parent for key in staged for parent in graph.get(key).parent_keys
    }
    assert (
        feed.key in graph.get(dg.AssetKey(["intermediate", "int_metric_observations"])).parent_keys
    )
    assert GRAVITAS_ASOF in graph.get(GRAVITAS_MODEL).parent_keys
    assert (
        GRAVITAS not in graph.get(GRAVITAS_MODEL).parent_keys
    )  # the model reads as-of gravitas only
    defs.resolve_implicit_global_asset_job_def()  # the dbt <-> Python round trip resolves


@pytest.mark.slow
def test_people_commands(materialized, capsys):
    assert main(["pqs", "top", "--role", "director", "-n", "10"]) == 0
    out = capsys.readouterr().out
    assert "top 10 directors" in out and "Steven Spielberg" in out and "festival" in out
    assert main(["person", "Kathryn Bigelow"]) == 0
    out = capsys.readouterr().out
    assert "career trajectory" in out and "PQS as of each year" in out and "director" in out
    assert main(["person", "Steve McQueen"]) == 0
    assert "different people are named 'Steve McQueen'" in capsys.readouterr().out
    assert main(["gravitas", "The Hurt Locker"]) == 0
    out = capsys.readouterr().out
    assert "current gravitas" in out and "gravitas as of release" in out
    assert "Kathryn Bigelow" in out
    assert "95% interval" in out


@pytest.mark.slow
def test_people_commands_reject_bad_input(materialized, capsys):
    assert main(["person", "Nobody Atall"]) == 2
    assert "no person matches" in capsys.readouterr().err
    assert main(["pqs", "top", "--role", "producer"]) == 2
    assert "unknown role 'producer'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["pqs", "top", "-n", "0"])
    assert exited.value.code == 2
    assert "argument -n: value must be between 1 and" in capsys.readouterr().err
