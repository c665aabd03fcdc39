"""MovieLens archives (ml-latest-small / ml-25m layout) from a zip, a folder and a URL,
and the connector assets in Dagster, monthly ratings partitions included."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import dagster as dg
import pytest

from ingest.config import MovielensArchiveConfig, SourcesConfig
from ingest.live.movielens_archive.archive import open_archive
from ingest.live.movielens_archive.loading import load_ratings, load_snapshot_tables
from ingest.loader import Slice
from ingest.schema import SourceFormatError

# 1996-03-29, 1996-04-02, 2005-04-02 (unix seconds)
ARCHIVE = {
    "ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0,828000000\n1,2,3.5,828400000\n"
    "2,1,5.0,1112400000\n2,2,4.3,1112400000\n",
    "movies.csv": "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children\n"
    '2,"City of Lost Children, The (Cité des enfants perdus, La) (1995)",Drama|Mystery\n'
    "3,Babylon 5,Sci-Fi\n",
    "links.csv": "movieId,imdbId,tmdbId\n1,0114709,862\n2,0112682,902\n3,0105946,\n",
    "tags.csv": (
        'userId,movieId,tag,timestamp\n2,1,pixar,1112400100\n2,2,"dark, surreal",1112400200\n'
    ),
}


@pytest.fixture
def archive_zip(tmp_path):
    path = tmp_path / "ml-latest-small.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        for name, text in ARCHIVE.items():
            bundle.writestr(f"ml-latest-small/{name}", text)
    return path


def _rows(db, query: str) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def test_movies_links_and_tags_load_from_a_zip(clean_tables, archive_zip):
    db = clean_tables
    with open_archive(archive_zip) as archive:
        results = load_snapshot_tables(db, archive)
    assert [(r.table, r.rows) for r in results] == [
        ("movielens_archive__movies", 3),
        ("movielens_archive__links", 3),
        ("movielens_archive__tags", 2),
    ]
    assert _rows(
        db, "select movie_id, title, year from raw.movielens_archive__movies order by 1"
    ) == [
        (1, "Toy Story", 1995),
        (2, "City of Lost Children, The (Cité des enfants perdus, La)", 1995),
        (3, "Babylon 5", None),
    ]
    assert _rows(
        db, "select movie_id, imdb_id, tmdb_id from raw.movielens_archive__links order by 1"
    ) == [(1, "tt0114709", 862), (2, "tt0112682", 902), (3, "tt0105946", None)]
    assert _rows(db, "select tag from raw.movielens_archive__tags order by 1") == [
        ("dark, surreal",),
        ("pixar",),
    ]


def test_ratings_load_one_month_at_a_time_and_keep_rejects(clean_tables, archive_zip):
    db = clean_tables
    april_1996 = Slice(
        "rated_at",
        datetime(1996, 4, 1, tzinfo=UTC),
        datetime(1996, 5, 1, tzinfo=UTC),
    )
    with open_archive(archive_zip) as archive:
        result = load_ratings(db, archive, april_1996, chunk_rows=1)
        load_ratings(db, archive, None)  # everything
        again = load_ratings(db, archive, april_1996)  # a rerun replaces only its month
    assert (result.rows, again.rows, again.deleted) == (1, 1, 1)
    assert _rows(
        db, "select user_id, movie_id, rating from raw.movielens_archive__ratings order by 1, 2"
    ) == [(1, 1, 4.0), (1, 2, 3.5), (2, 1, 5.0)]
    assert _rows(
        db,
        "select row_number, reason from raw._rejects where source = 'movielens_archive__ratings'",
    ) == [(4, "rating is not a whole or half star: 4.3")]


def test_an_unpacked_folder_and_a_url_read_the_same(
    clean_tables, archive_zip, tmp_path, file_server
):
    db = clean_tables
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(archive_zip).extractall(folder)
    with open_archive(folder / "ml-latest-small") as archive:
        from_folder = [r.rows for r in load_snapshot_tables(db, archive)]
    with open_archive(f"{file_server(tmp_path)}/ml-latest-small.zip") as archive:
        from_url = [r.rows for r in load_snapshot_tables(db, archive)]
    assert from_folder == from_url == [3, 3, 2]


def test_an_archive_without_a_file_names_it(clean_tables, tmp_path):
    path = tmp_path / "partial.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("ml/movies.csv", ARCHIVE["movies.csv"])
    with open_archive(path) as archive, pytest.raises(SourceFormatError, match="has no links.csv"):
        load_snapshot_tables(clean_tables, archive)


def test_the_connector_assets_materialise_configured_or_not(clean_tables, archive_zip, materialize):
    def load(sources: SourcesConfig, key: dg.AssetKey, partition: str | None = None):
        selection = dg.AssetSelection.assets(key).required_multi_asset_neighbors()
        return materialize(selection, partition_key=partition, resources={"sources": sources})

    demo = load(SourcesConfig(), dg.AssetKey(["raw", "movielens_archive__links"]))
    assert all(
        "not configured" in event.materialization.metadata["status"].value
        for event in demo.get_asset_materialization_events()
    )

    configured = SourcesConfig(movielens_archive=MovielensArchiveConfig(location=str(archive_zip)))
    load(configured, dg.AssetKey(["raw", "movielens_archive__links"]))
    ratings = load(
        configured, dg.AssetKey(["raw", "movielens_archive__ratings"]), partition="2005-04-01"
    )
    metadata = ratings.get_asset_materialization_events()[0].materialization.metadata
    assert (metadata["rows"].value, metadata["rejects"].value) == (1, 1)
    assert _rows(clean_tables, "select user_id from raw.movielens_archive__ratings") == [(2,)]


def test_the_snapshot_tables_are_replaced_together_or_not_at_all(clean_tables, tmp_path):
    db = clean_tables
    folder = tmp_path / "ml"
    folder.mkdir()
    for name, text in ARCHIVE.items():
        (folder / name).write_text(text)
    with open_archive(folder) as archive:
        load_snapshot_tables(db, archive)
    tables = ["movies", "links", "tags"]
    query = "select * from raw.movielens_archive__{} order by movie_id"
    before = {table: _rows(db, query.format(table)) for table in tables}

    # A new movies.csv, then a links.csv that fails: movies must not be replaced alone.
    (folder / "movies.csv").write_text(ARCHIVE["movies.csv"] + "4,Heat (1995),Crime\n")
    (folder / "links.csv").write_text("movieId,imdb\n1,0114709\n")
    with open_archive(folder) as archive, pytest.raises(SourceFormatError, match="links.csv"):
        load_snapshot_tables(db, archive)
    assert {table: _rows(db, query.format(table)) for table in tables} == before
