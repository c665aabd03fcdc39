"""The sources file and the environment decide which connectors run; secrets stay secret."""

from __future__ import annotations

import pytest

from ingest.config import load_sources_config
from orchestration.cli.sources import describe


@pytest.mark.nodb
def test_no_file_and_no_environment_turn_every_connector_off(tmp_path):
    sources = load_sources_config(tmp_path / "absent.yaml", {})
    assert not (
        sources.tmdb.active or sources.imdb_datasets.active or sources.movielens_archive.active
    )


@pytest.mark.nodb
def test_the_environment_turns_connectors_on_and_wins_over_the_file(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "imdb_datasets:\n  location: /data/imdb\n  title_types: [movie, tvMovie]\n"
        "tmdb:\n  discover_years: [2023, 2024]\n"
    )
    env = {"TMDB_API_KEY": "k-123", "CINEGRAPH_IMDB_DATASETS": "https://example.org/imdb"}
    sources = load_sources_config(path, env)
    assert sources.tmdb.active and sources.tmdb.discover_years == (2023, 2024)
    assert sources.imdb_datasets.location == "https://example.org/imdb"
    assert sources.imdb_datasets.title_types == ("movie", "tvMovie")
    assert not sources.movielens_archive.active


@pytest.mark.nodb
def test_enabled_false_switches_a_connector_off_despite_credentials(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("tmdb:\n  enabled: false\n")
    assert not load_sources_config(path, {"TMDB_API_TOKEN": "t-1"}).tmdb.active


@pytest.mark.nodb
@pytest.mark.parametrize(
    "text, message",
    [
        ("tmdb:\n  requests_per_secnd: 5\n", "requests_per_secnd"),
        ("tmdb:\n  api_key: k-123\n", "TMDB_API_KEY / TMDB_API_TOKEN, not in the sources file"),
        ("tmdb:\n  trending_windows: [month]\n", "trending_windows"),
        ("- tmdb\n", "expected a mapping"),
    ],
)
def test_a_wrong_file_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_sources_config(path, {})


@pytest.mark.nodb
def test_secrets_never_print(tmp_path):
    sources = load_sources_config(
        None,
        {
            "TMDB_API_KEY": "k-secret-123",
            "CINEGRAPH_MOVIELENS_ARCHIVE": "https://u:pw@example.org/ml.zip?token=t0k",
        },
    )
    shown = repr(sources) + str(sources) + "\n".join(describe(sources).values())
    assert "k-secret-123" not in shown
    assert "TMDB_API_KEY set" in describe(sources)["tmdb"]
    assert "pw" not in describe(sources)["movielens_archive"]
    assert "t0k" not in describe(sources)["movielens_archive"]


@pytest.mark.nodb
def test_the_shipped_sources_file_is_valid():
    from orchestration.settings import PROJECT_ROOT

    sources = load_sources_config(PROJECT_ROOT / "config" / "sources.yaml", {})
    assert sources.tmdb.trending_windows == ("day", "week")
    assert not sources.tmdb.active


def test_cinegraph_sources_shows_each_table_and_its_last_load(clean_tables, capsys):
    from orchestration.cli import main

    with clean_tables.cursor() as cur:
        cur.execute(
            "insert into raw.movielens_archive__links values "
            "(1, 'tt0114709', 862, now(), 'ml-latest-small.zip#links.csv', null)"
        )
    clean_tables.commit()
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "tmdb               off: set TMDB_API_KEY or TMDB_API_TOKEN" in out
    links = next(
        line for line in out.splitlines() if line.startswith("raw.movielens_archive__links")
    )
    assert links.split()[1] == "1" and "never" not in links
    assert "raw.tmdb__movies" in out and "never" in out
