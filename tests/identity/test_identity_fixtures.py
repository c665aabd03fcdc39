"""Identity on hand-written source rows (fixtures/*.csv), one case per famous mistake:
films split by their names, merged despite their directors, people split by the way
their names are written or merged when co-credited."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # builds the identity models with dbt (about a minute)


def rows(conn, query: str, params=()) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(query, params or None)
        return cur.fetchall()


def film(conn, source: str, key: str) -> tuple:
    """(film_key, match_rule) of one source row; an Oscar row's key is its nomination id."""
    source_key = f"{key}:1" if source == "oscars" else key
    found = rows(
        conn,
        "select film_key, match_rule from intermediate.int_film_identity "
        "where source = %s and source_key = %s",
        (source, source_key),
    )
    assert len(found) == 1, (source, key)
    return found[0]


def films_of_case(conn, pairs: list[tuple[str, str]]) -> set[str]:
    return {film(conn, source, key)[0] for source, key in pairs}


def test_the_et_trio_is_one_film_under_its_imdb_id(identity_db):
    case = [
        ("oscars", "101"),
        ("canonical_lists", "101"),
        ("movie_industry", "101"),
        ("movielens", "101"),
        ("imdb_histograms", "101"),
        ("box_office", "101"),
    ]
    assert films_of_case(identity_db, case) == {"imdb:tt0083866"}
    # 'ET: The Extra-Terrestrial' shares no name: the fuzzy pass takes it, on Spielberg
    assert film(identity_db, "box_office", "101")[1] == "director_fuzzy"
    title, year = rows(
        identity_db, "select title, release_year from marts.dim_films where imdb_id = 'tt0083866'"
    )[0]
    assert (title.lower(), year) == ("e.t. the extra-terrestrial", 1982)


@pytest.mark.parametrize(
    ("case", "imdb_id"),
    [
        (
            [
                ("oscars", "102"),
                ("movielens", "102"),
                ("movie_industry", "102"),
                ("box_office", "102"),
            ],
            "tt0114369",
        ),  # Se7en, through MovieLens' 'a.k.a. Se7en'
        ([("oscars", "103"), ("imdb_histograms", "103"), ("box_office", "103")], "tt0076759"),
        ([("oscars", "104"), ("movie_industry", "104"), ("movielens", "104")], "tt0082971"),
        (
            [("canonical_lists", "105"), ("movielens", "105"), ("imdb_histograms", "105")],
            "tt0047478",
        ),  # Seven Samurai by its original title
        ([("canonical_lists", "106"), ("movielens", "106")], "tt0028950"),  # by alternate title
    ],
    ids=["se7en", "star_wars", "raiders", "seven_samurai", "grand_illusion"],
)
def test_every_name_of_a_film_reaches_its_imdb_id(identity_db, case, imdb_id):
    assert films_of_case(identity_db, case) == {f"imdb:{imdb_id}"}


def test_there_will_be_blood_keeps_its_year_despite_one_wrong_list(identity_db):
    case = [
        ("canonical_lists", "107"),
        ("oscars", "107"),
        ("movielens", "107"),
        ("movie_industry", "107"),
    ]
    assert films_of_case(identity_db, case) == {"imdb:tt0469494"}
    assert rows(
        identity_db, "select release_year from marts.dim_films where imdb_id = 'tt0469494'"
    ) == [(2007,)]
    issue = rows(
        identity_db,
        "select reason from marts.film_identity_issues where source = 'several' "
        "and source_key = 'tt0469494'",
    )
    assert issue and "2002 (canonical_lists)" in issue[0][0] and "2007 (oscars)" in issue[0][0]


@pytest.mark.parametrize(
    ("source", "key", "wrong_film"),
    [
        ("movie_industry", "109", "imdb:tt6597824"),  # Mother! is not the short 'Madre'
        ("movie_industry", "110", "imdb:tt0104033"),  # The Crush (Shapiro) is not Crush
        ("movielens", "110", "imdb:tt0104033"),  # ... nor is MovieLens' The Crush (1993)
        ("movie_industry", "111", "imdb:tt2326612"),  # Captive is not The Captive
    ],
    ids=["mother", "the_crush", "the_crush_movielens", "captive"],
)
def test_a_film_of_another_director_is_never_matched(identity_db, source, key, wrong_film):
    film_key, rule = film(identity_db, source, key)
    assert film_key != wrong_film
    assert rule == "cluster"


def test_the_director_check_is_reported(identity_db):
    reasons = rows(
        identity_db,
        "select reason from marts.film_identity_issues "
        "where source = 'movie_industry' and source_key in ('109', '110', '111')",
    )
    assert len(reasons) == 3
    assert all("no director in common" in reason for (reason,) in reasons)


def test_high_society_resolves_by_its_director(identity_db):
    assert film(identity_db, "movie_industry", "112") == ("imdb:tt0049314", "title_year")


def person(conn, name: str) -> list[tuple]:
    """(person_key, film_count) of every person some credit names `name`."""
    return rows(
        conn,
        """
        select distinct people.person_key, people.film_count
        from intermediate.int_person_identity as identity
        join marts.dim_people as people using (person_id)
        where identity.person_name = %s
        """,
        (name,),
    )


@pytest.mark.parametrize(
    ("names", "person_key", "films"),
    [
        (["Charles Chaplin", "Charlie Chaplin"], "imdb:nm0000122", 2),
        (["Mizoguchi Kenji", "Kenji Mizoguchi"], "name:kenji mizoguchi", 2),
        (["Wong Kar Wai", "Kar-Wai Wong", "Wong Kar-wai"], "name:kar wai wong", 3),
        (["Park Chan-Wook", "Park Chan-wook", "Chan-wook Park"], "name:chan park wook", 3),
        (["Richard Attenborough", "Sir Richard Attenborough"], "imdb:nm0000277", 1),
        (["Terrence Malick", "Terence Malick"], "imdb:nm0000517", 2),
        (["Robert Flaherty", "Robert J. Flaherty"], "imdb:nm0280904", 2),
    ],
    ids=[
        "chaplin",
        "mizoguchi",
        "wong_kar_wai",
        "park_chan_wook",
        "attenborough",
        "malick",
        "flaherty",
    ],
)
def test_one_person_however_the_name_is_written(identity_db, names, person_key, films):
    found = {entry for name in names for entry in person(identity_db, name)}
    assert found == {(person_key, films)}


def test_powell_and_pressburger_are_two_people_with_six_shared_films(identity_db):
    shared = rows(
        identity_db,
        """
        select count(*)
        from marts.bridge_film_people as powell
        join marts.bridge_film_people as pressburger using (film_id)
        join marts.dim_people as powell_person on powell.person_id = powell_person.person_id
        join marts.dim_people as pressburger_person
            on pressburger.person_id = pressburger_person.person_id
        where powell_person.imdb_person_id = 'nm0003836'
            and pressburger_person.imdb_person_id = 'nm0696247'
            and powell.role = 'director' and pressburger.role = 'director'
        """,
    )
    assert shared == [(6,)]
    assert rows(
        identity_db,
        "select count(*) from marts.dim_people where name like '%/%' "
        "or name like '% & %' or name like '% and %'",
    ) == [(0,)]


def test_a_film_title_in_the_director_column_is_not_a_person(identity_db):
    assert person(identity_db, "Killer of Sheep") == []
    assert rows(
        identity_db,
        "select mention from marts.film_identity_issues where reason like '%own title%'",
    ) == [("Killer of Sheep",)]


def test_bad_input_is_listed_never_dropped(identity_db):
    issues = dict(
        rows(
            identity_db,
            "select source_key, reason from marts.film_identity_issues "
            "where source_key like '%140%' and source <> 'movie_industry'",
        )
    )
    assert "outside the years a film can have" in issues["140"]  # MovieLens, year 3000
    assert "longer than 300 characters" in issues["canonical_lists/director:140:1"]
    assert rows(
        identity_db,
        "select reason from marts.film_identity_issues "
        "where source = 'movie_industry' and source_key = '140'",
    ) == [("no IMDb id and no title",)]
    assert rows(identity_db, "select count(*) from marts.dim_people where length(name) > 300") == [
        (0,)
    ]


def test_a_rebuild_gives_the_same_ids(identity_db, rebuild_identity):
    query = "select source, source_key, film_id from marts.bridge_film_sources order by 1, 2"
    before = rows(identity_db, query)
    rebuild_identity()
    assert rows(identity_db, query) == before
