"""IMDb dataset files in their real format, from a folder and over HTTP, into the warehouse."""

from __future__ import annotations

import gzip

import pytest

from ingest.http import DownloadError
from ingest.live.imdb_datasets.loading import load_imdb_datasets
from ingest.schema import SourceFormatError
from tests.support.files import write_gzip_tsv

BASICS = (
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear"
    "\truntimeMinutes\tgenres"
)
BASICS_ROWS = [
    "tt0120338\tmovie\tTitanic\tTitanic\t0\t1997\t\\N\t194\tDrama,Romance",
    "tt0046435\tmovie\tTitanic\tTitanic\t0\t1953\t\\N\t98\tDrama,History",
    "tt0000001\tshort\tCarmencita\tCarmencita\t0\t1894\t\\N\t1\tDocumentary,Short",
    (
        'tt0111161\tmovie\tThe "Shawshank" Redemption\t'
        "The Shawshank Redemption\t0\t1994\t\\N\t142\tDrama"
    ),
    "tt9999999\tmovie\tA Year Of Nonsense\tX\t0\tsoon\t\\N\t\\N\t\\N",
    "tt8888888\tmovie\tCut short",
]
FILES = {
    "title.basics": (BASICS, BASICS_ROWS),
    "title.ratings": (
        "tconst\taverageRating\tnumVotes",
        ["tt0120338\t7.9\t1300000", "tt0000001\t5.7\t2100", "tt0111161\t9.3\t3000000"],
    ),
    "title.principals": (
        "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
        [
            'tt0120338\t1\tnm0000138\tactor\t\\N\t["Jack Dawson"]',
            'tt0120338\t2\tnm0000701\tactress\t\\N\t["Rose DeWitt Bukater"]',
            "tt0120338\t3\tnm0000116\tdirector\t\\N\t\\N",
            "tt0000001\t1\tnm0001234\tself\t\\N\t\\N",
        ],
    ),
    "title.crew": (
        "tconst\tdirectors\twriters",
        [
            "tt0120338\tnm0000116\tnm0000116",
            "tt0046435\tnm0617588\tnm0002253,nm0093319",
            "tt0000001\tnm0005690\t\\N",
        ],
    ),
    "name.basics": (
        "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
        [
            "nm0000138\tLeonardo DiCaprio\t1974\t\\N\tactor,producer,writer\ttt0120338,tt1375666",
            "nm0000701\tKate Winslet\t1975\t\\N\tactress,producer\ttt0120338",
            "nm0000116\tJames Cameron\t1954\t\\N\twriter,director,producer\ttt0120338",
            "nm0617588\tJean Negulesco\t1900\t1993\tdirector,writer\ttt0046435",
            "nm0005690\tWilliam K.L. Dickson\t1860\t1935\tdirector\ttt0000001",
            "nm0001234\tSomeone Only In Shorts\t\\N\t\\N\t\\N\t\\N",
        ],
    ),
}


@pytest.fixture
def dump(tmp_path):
    folder = tmp_path / "imdb"
    folder.mkdir()
    for name, (header, rows) in FILES.items():
        write_gzip_tsv(folder / f"{name}.tsv.gz", header, rows)
    return folder


def _rows(db, query: str) -> list[tuple]:
    with db.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def test_the_five_files_load_filtered_to_movies(clean_tables, dump):
    db = clean_tables
    loads = {load.file: load for load in load_imdb_datasets(db, dump)}
    assert loads["title.basics"].records_read == 6
    assert _rows(
        db,
        "select tconst, primary_title, start_year, end_year, genres "
        "from raw.imdb__title_basics order by tconst",
    ) == [
        ("tt0046435", "Titanic", 1953, None, ["Drama", "History"]),
        ("tt0111161", 'The "Shawshank" Redemption', 1994, None, ["Drama"]),
        ("tt0120338", "Titanic", 1997, None, ["Drama", "Romance"]),
    ]
    # The short (tt0000001) is not a movie: its rating, credits and people are not kept.
    assert _rows(db, "select tconst from raw.imdb__title_ratings order by 1") == [
        ("tt0111161",),
        ("tt0120338",),
    ]
    assert _rows(db, "select count(*) from raw.imdb__title_principals") == [(3,)]
    assert _rows(
        db, "select directors, writers from raw.imdb__title_crew where tconst = 'tt0046435'"
    ) == [(["nm0617588"], ["nm0002253", "nm0093319"])]
    assert _rows(db, "select nconst from raw.imdb__name_basics order by 1") == [
        ("nm0000116",),
        ("nm0000138",),
        ("nm0000701",),
        ("nm0617588",),
    ]
    assert _rows(
        db,
        "select death_year, primary_profession from raw.imdb__name_basics "
        "where nconst = 'nm0617588'",
    ) == [(1993, ["director", "writer"])]
    # Lineage on every streamed row, from the COPY's transient column defaults.
    assert _rows(
        db,
        "select count(*), count(_loaded_at), min(_source_file) from raw.imdb__title_principals",
    ) == [(3, 3, str(dump / "title.principals.tsv.gz"))]


def test_bad_records_become_rejects_with_their_reason(clean_tables, dump):
    db = clean_tables
    list(load_imdb_datasets(db, dump))
    assert _rows(
        db,
        "select row_number, reason from raw._rejects "
        "where source = 'imdb__title_basics' order by 1",
    ) == [
        (5, "startYear is not a number: 'soon'"),
        (6, "originalTitle is empty, expected a value or '\\N' (a short line?)"),
    ]


def test_chunk_size_does_not_change_the_result(clean_tables, dump):
    db = clean_tables
    list(load_imdb_datasets(db, dump, chunk_rows=1000))
    big_chunks = _rows(db, "select * from raw.imdb__title_principals order by 1, 2")
    list(load_imdb_datasets(db, dump, chunk_rows=1))
    assert [
        row[:6] for row in _rows(db, "select * from raw.imdb__title_principals order by 1, 2")
    ] == [row[:6] for row in big_chunks]


def test_loading_from_a_url_streams_the_same_rows(clean_tables, dump, file_server):
    db = clean_tables
    loads = list(load_imdb_datasets(db, file_server(dump)))
    assert [load.result.rows for load in loads] == [3, 2, 2, 3, 4]
    assert loads[0].result.table == "imdb__title_basics"


@pytest.mark.parametrize(
    "damage, message",
    [
        ("truncate", "gzip stream ends early"),
        ("html", "expected a gzipped TSV but this is an HTML page"),
        ("header", "required column 'primaryTitle' is missing"),
    ],
)
def test_a_broken_file_fails_clearly_and_keeps_the_previous_table(
    clean_tables, dump, damage, message
):
    db = clean_tables
    list(load_imdb_datasets(db, dump))
    before = _rows(db, "select * from raw.imdb__title_basics order by tconst")
    path = dump / "title.basics.tsv.gz"
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:-30])
    elif damage == "html":
        path.write_text("<!DOCTYPE html><html><body>503 Service Unavailable</body></html>")
    else:
        write_gzip_tsv(path, BASICS.replace("primaryTitle", "title"), BASICS_ROWS)
    with pytest.raises(SourceFormatError, match=message):
        list(load_imdb_datasets(db, dump))
    assert _rows(db, "select * from raw.imdb__title_basics order by tconst") == before


def test_a_truncation_found_after_many_chunks_still_loads_nothing(clean_tables, tmp_path):
    db = clean_tables
    rows = [
        f"tt{i:07d}\tmovie\tFilm {i}\tFilm {i}\t0\t2000\t\\N\t90\tDrama" for i in range(1, 20001)
    ]
    path = write_gzip_tsv(tmp_path / "title.basics.tsv.gz", BASICS, rows)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(SourceFormatError, match="ends early"):
        list(load_imdb_datasets(db, tmp_path, chunk_rows=1000))
    assert _rows(db, "select count(*) from raw.imdb__title_basics") == [(0,)]


def test_an_error_page_from_the_server_is_refused(clean_tables, tmp_path, file_server):
    with pytest.raises(DownloadError, match="HTTP 404"):
        list(load_imdb_datasets(clean_tables, file_server(tmp_path)))


def test_a_repeated_key_is_a_reject_within_a_chunk_and_an_error_across_chunks(clean_tables, dump):
    header, rows = FILES["title.basics"]
    write_gzip_tsv(dump / "title.basics.tsv.gz", header, rows[:1] * 2)
    list(load_imdb_datasets(clean_tables, dump))
    assert _rows(
        clean_tables,
        "select row_number, reason from raw._rejects where source = 'imdb__title_basics'",
    ) == [(2, "repeats the key (tconst) of an earlier row")]
    with pytest.raises(SourceFormatError, match=r"appears twice: Key \(tconst\)=\(tt0120338\)"):
        list(load_imdb_datasets(clean_tables, dump, chunk_rows=1))


def test_missing_file_is_named(clean_tables, dump):
    (dump / "title.ratings.tsv.gz").unlink()
    with pytest.raises(FileNotFoundError, match="title.ratings.tsv.gz"):
        list(load_imdb_datasets(clean_tables, dump))


def test_a_gzip_with_several_members_is_read_whole(clean_tables, dump):
    """`cat a.gz b.gz` is valid gzip: the second member's rows load too."""
    appended = gzip.compress(b"tt7777777\tmovie\tAppended\tAppended\t0\t2001\t\\N\t90\tDrama\n")
    with open(dump / "title.basics.tsv.gz", "ab") as out:
        out.write(appended)
    list(load_imdb_datasets(clean_tables, dump))
    assert _rows(clean_tables, "select count(*) from raw.imdb__title_basics") == [(4,)]


def test_the_five_tables_are_replaced_together_or_not_at_all(clean_tables, dump):
    db = clean_tables
    list(load_imdb_datasets(db, dump))
    tables = ["title_basics", "title_ratings", "title_crew", "title_principals", "name_basics"]
    before = {table: _rows(db, f"select * from raw.imdb__{table} order by 1") for table in tables}

    # New titles, then a title.principals that fails: nothing may be replaced.
    header, rows = FILES["title.basics"]
    write_gzip_tsv(
        dump / "title.basics.tsv.gz",
        header,
        [*rows, "tt7777777\tmovie\tNew\tNew\t0\t2001\t\\N\t90\tDrama"],
    )
    (dump / "title.principals.tsv.gz").write_text("<html>503</html>")
    with pytest.raises(SourceFormatError, match="title.principals"):
        list(load_imdb_datasets(db, dump))
    after = {table: _rows(db, f"select * from raw.imdb__{table} order by 1") for table in tables}
    assert after == before


def test_a_bom_before_the_header_is_not_part_of_the_first_column(clean_tables, dump):
    header, rows = FILES["title.ratings"]
    write_gzip_tsv(dump / "title.ratings.tsv.gz", "\ufeff" + header, rows)
    list(load_imdb_datasets(clean_tables, dump))
    assert _rows(clean_tables, "select count(*) from raw.imdb__title_ratings") == [(2,)]
