"""`cinegraph metrics`, `cinegraph score` and `cinegraph search`."""

from __future__ import annotations

import pytest

from orchestration.cli import main


@pytest.mark.nodb
def test_normalize_prints_the_warehouse_value(capsys):
    assert main(["metrics", "normalize", "afi_top_100", "25"]) == 0
    assert "afi_top_100 25 -> 0.7773" in capsys.readouterr().out
    assert main(["metrics", "normalize", "imdb_rating", "12"]) == 0
    out = capsys.readouterr().out
    assert "-> 1 " in out and "clamped" in out


@pytest.mark.nodb
def test_unknown_metric_exits_2_listing_the_valid_ones(capsys):
    assert main(["metrics", "normalize", "imdb_ratin", "7"]) == 2
    assert "valid metrics: tmdb_rating" in capsys.readouterr().err


@pytest.mark.nodb
def test_list_filters_by_category(capsys):
    assert main(["metrics", "list", "--category", "cultural"]) == 0
    out = capsys.readouterr().out
    assert "afi_top_100" in out and "imdb_rating" not in out
    assert main(["metrics", "list", "--category", "culture"]) == 2


@pytest.mark.slow
def test_score_search_and_coverage_commands(materialized, capsys):
    assert main(["score", "tt0120338", "--profile", "award_seeker", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "Titanic (1997)" in out and "oscar_wins" in out and "weight coverage" in out
    assert "ranked score" in out and "available cov." in out
    assert main(["top", "--profile", "critics_choice", "--limit", "3"]) == 0
    board = capsys.readouterr().out
    assert "ranked_score" in board and "available_coverage" in board and "imdb:" not in board
    assert (
        main(["search", "--min", "rating=0.8", "--min-raw", "rt_tomatometer=90", "--limit", "5"])
        == 0
    )
    assert "scores from marts.film_scores" in capsys.readouterr().out
    assert main(["search", "--min", "popularity=x"]) == 2
    assert main(["metrics", "coverage", "--level", "category"]) == 0
    assert "person_quality" in capsys.readouterr().out
