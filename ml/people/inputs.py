"""What person quality is computed from: five frames read from the `int_people__*` models.

The frames keep every row with its time (release_year, known_year); the scores cut them
per as-of year (`ml.people.quality`), so the current scores and every as-of year read the
same inputs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from psycopg2 import sql

# Each frame: its dbt model and its columns' dtypes. Years are float64 (NaN for an undated
# film) and ids int64, which pandas groups and compares far faster than nullable integers;
# "bool" columns arrive as t/f, and genres (a text array) as a list.
FRAMES = {
    "credits": (
        "int_people__credits",
        {
            "film_id": "int64",
            "person_id": "int64",
            "credit_role": "str",
            "pqs_role": "str",
            "release_year": "float64",
            "known_year": "float64",
        },
    ),
    "films": (
        "int_people__film_outcomes",
        {
            "film_id": "int64",
            "release_year": "float64",
            "genres": "genres",
            "imdb_rating": "float64",
            "imdb_votes": "float64",
            "worldwide_gross_usd": "float64",
            "budget_usd": "float64",
            "film_score": "float64",
        },
    ),
    "recognition": (
        "int_people__film_recognition",
        {
            "film_id": "int64",
            "kind": "str",
            "metric_code": "str",
            "raw_value": "float64",
            "normalized_value": "float64",
            "known_year": "float64",
            "is_prize": "bool",
        },
    ),
    "nominations": (
        "int_people__nominations",
        {
            "person_id": "int64",
            "pqs_role": "str",
            "nomination_id": "str",
            "film_id": "Int64",
            "weight": "float64",
            "award_year": "float64",
            "known_year": "float64",
            "is_winner": "bool",
        },
    ),
    "pairs": (
        "int_people__collaboration_films",
        {
            "person_a_id": "int64",
            "person_b_id": "int64",
            "film_id": "int64",
            "release_year": "float64",
            "known_year": "float64",
        },
    ),
}
GENRE_SEPARATOR = "|"


@dataclass(frozen=True)
class PeopleInputs:
    credits: pd.DataFrame  # film_id, person_id, credit_role, pqs_role, release_year, known_year
    films: (
        pd.DataFrame
    )  # film_id, release_year, genres, imdb_rating, imdb_votes, gross, budget, film_score
    recognition: (
        pd.DataFrame
    )  # film_id, kind, metric_code, raw/normalized_value, known_year, is_prize
    nominations: (
        pd.DataFrame
    )  # person_id, pqs_role, nomination_id, film_id, weight, award_year, known_year, is_winner
    pairs: pd.DataFrame  # person_a_id, person_b_id, film_id, release_year, known_year

    def for_people(self, person_ids) -> PeopleInputs:
        """Only what the scores of `person_ids` read: their credits, films, nominations and
        collaborations (the peer graph needs everyone and is computed before)."""
        credits = self.credits[self.credits["person_id"].isin(person_ids)]
        films = credits["film_id"].unique()
        return PeopleInputs(
            credits=credits,
            films=self.films[self.films["film_id"].isin(films)],
            recognition=self.recognition[self.recognition["film_id"].isin(films)],
            nominations=self.nominations[self.nominations["person_id"].isin(person_ids)],
            pairs=self.pairs[
                self.pairs["person_a_id"].isin(person_ids)
                | self.pairs["person_b_id"].isin(person_ids)
            ],
        )


def _frame(conn, model: str, dtypes: dict[str, str]) -> pd.DataFrame:
    """The model's columns through COPY and pandas' CSV parser (several times faster than
    fetching rows for the tens of thousands of rows read on every refresh)."""
    columns = [
        sql.SQL("array_to_string({}, {})").format(sql.Identifier(c), sql.Literal(GENRE_SEPARATOR))
        if kind == "genres"
        else sql.Identifier(c)
        for c, kind in dtypes.items()
    ]
    query = sql.SQL("copy (select {} from {}) to stdout with (format csv, header)").format(
        sql.SQL(", ").join(columns), sql.Identifier("intermediate", model)
    )
    buffer = io.StringIO()
    with conn.cursor() as cur:
        cur.copy_expert(query.as_string(cur), buffer)
    buffer.seek(0)
    frame = pd.read_csv(
        buffer,
        names=list(dtypes),
        header=0,
        true_values=["t"],
        false_values=["f"],
        dtype={c: kind for c, kind in dtypes.items() if kind not in ("genres", "bool")},
        keep_default_na=False,
        na_values=[""],
    )
    for column, kind in dtypes.items():
        if kind == "genres":
            frame[column] = (
                frame[column]
                .fillna("")
                .str.split(GENRE_SEPARATOR)
                .map(lambda genres: [g for g in genres if g])
            )
        elif kind == "bool":
            frame[column] = frame[column].astype(bool)
    return frame


def read_inputs(conn) -> PeopleInputs:
    return PeopleInputs(**{name: _frame(conn, *spec) for name, spec in FRAMES.items()})
