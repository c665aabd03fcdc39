"""The long table's contract: lead credits plus matched Oscar acting nominations."""

from __future__ import annotations

import pandas as pd
import pytest

from ml.casting.long_table import LONG_TABLE_COLUMNS, build_long_table


def movies(rows):
    columns = [
        "source_row",
        "name",
        "genre",
        "year",
        "score",
        "votes",
        "director",
        "star",
        "budget",
    ]
    return pd.DataFrame(rows, columns=columns)


def nominations(rows):
    return pd.DataFrame(
        rows, columns=["class", "canonical_category", "award_year", "film_title", "nominee_name"]
    )


def test_nominations_add_billing_and_match_on_title_and_nearest_year():
    films = movies(
        [
            (1, "The Piano", "Drama", 1993, 7.6, 80000, "Jane Campion", "Holly Hunter", 7e6),
            (2, "Crash", "Drama", 2004, 7.7, 400000, "Paul Haggis", "Sandra Bullock", 6.5e6),
            (3, "Crash", "Thriller", 1996, 6.3, 60000, "Directors", "James Spader", 1e7),
        ]
    )
    noms = nominations(
        [
            ("Acting", "ACTRESS IN A LEADING ROLE", 1993, "The Piano", "Holly Hunter"),
            ("Acting", "ACTRESS IN A SUPPORTING ROLE", 1993, "The Piano", "Anna Paquin"),
            ("Acting", "ACTOR IN A SUPPORTING ROLE", 2005, "Crash", "Matt Dillon"),
            ("Acting", "ACTOR IN A LEADING ROLE", 1994, "Nell", "Someone Else"),
        ]
    )
    table, report = build_long_table(films, noms)
    assert list(table.columns) == LONG_TABLE_COLUMNS
    rows = table.set_index("actor")
    # The nominated star keeps one row, as a credit, billed first.
    assert (
        rows.loc["holly hunter", "origin"] == "credit"
        and rows.loc["holly hunter", "bill_order"] == 1
    )
    assert rows.loc["anna paquin", ["origin", "bill_order"]].tolist() == ["nomination", 2]
    # 2005 is one year from the 2004 Crash and nine from the 1996 one.
    assert rows.loc["matt dillon", "film_id"] == "movie_industry:2"
    assert report["nominations_matched"] == 3 and report["nominations_unmatched"] == 1
    # 'Directors' is a placeholder, not a person.
    assert table.loc[table["film_id"] == "movie_industry:3", "director"].isna().all()


def test_films_without_an_outcome_are_dropped_and_counted():
    films = movies(
        [
            (1, "A", "Drama", 2001, None, 10, "D", "X", 1e6),
            (2, "B", "Drama", 2001, 6.0, 10, "D", "Y", 1e6),
        ]
    )
    table, report = build_long_table(films, nominations([]))
    assert table["actor"].tolist() == ["y"]
    assert report["films_dropped_without_score_votes_or_year"] == 1


def test_a_missing_column_is_a_clear_error():
    with pytest.raises(ValueError, match=r"lacks columns \['star'\]"):
        build_long_table(movies([]).drop(columns="star"), nominations([]))
