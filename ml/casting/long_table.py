"""The film-actor long table: one row per (film, actor), with the film's year, budget, genres,
director and the IMDb score and votes its resonance label is computed from.

Rows come from two sources, as in the credits bridge:
- the Movie Industry data set's lead star of every film (`origin = 'credit'`, bill order 1);
- Oscar acting nominations, matched to those films on normalised title and year (within one
  year, nearest wins, a tie at the nearest year is left unmatched), adding leading (1) and
  supporting (2) billing (`origin = 'nomination'`).

Nomination rows exist *because* a performance was nominated, an outcome that follows the
film's reception; they feed actors' histories but are not training or evaluation targets
(see `features.TARGET_ORIGIN`), otherwise "billed second" would simply mean "nominated".

Until the identity layer's `marts.bridge_film_people` is materialisable this reads the raw
tables (or the vendored demo files) directly; the frame contract below is what the rest of
the package relies on, whichever source fills it.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

# The long table's contract: every later step reads only these columns.
LONG_TABLE_COLUMNS = [
    "film_id",
    "title",
    "year",
    "budget",
    "genres",
    "director",
    "score",
    "votes",
    "actor",
    "actor_name",
    "bill_order",
    "origin",
]
MOVIE_COLUMNS = [
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
NOMINATION_COLUMNS = ["class", "canonical_category", "award_year", "film_title", "nominee_name"]
# Placeholder values of the Movie Industry `director` column that are not people.
JUNK_NAMES = {"directors"}
BILLING = {"LEADING": 1, "SUPPORTING": 2}

RAW_MOVIES_SQL = f"select {', '.join(MOVIE_COLUMNS)} from raw.movie_industry__movies"
RAW_NOMINATIONS_SQL = (
    f"select {', '.join(NOMINATION_COLUMNS)} from raw.oscars__nominations where class = 'Acting'"
)


def normalize(values: pd.Series) -> pd.Series:
    """Accent-free, lower-case, punctuation as spaces: the key names and titles match on."""

    def one(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return " ".join("".join(c if c.isalnum() else " " for c in folded.lower()).split())

    return values.astype("string").map(one, na_action="ignore")


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks columns {missing}; it needs {columns}")


def _films(movies: pd.DataFrame) -> pd.DataFrame:
    director = movies["director"].astype("string")
    return pd.DataFrame(
        {
            "film_id": "movie_industry:" + movies["source_row"].astype(str),
            "title": movies["name"].astype("string"),
            "title_key": normalize(movies["name"]),
            "year": pd.to_numeric(movies["year"]).astype("Int64"),
            "budget": pd.to_numeric(movies["budget"]).astype(float),
            "genres": movies["genre"].map(lambda g: [g] if isinstance(g, str) else []),
            "director": director.mask(normalize(director).isin(JUNK_NAMES)),
            "score": pd.to_numeric(movies["score"]).astype(float),
            "votes": pd.to_numeric(movies["votes"]).astype(float),
        }
    )


def _match_nominations(films: pd.DataFrame, nominations: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Acting nominations joined to films on title and year (+-1, nearest, no ties)."""
    noms = nominations.assign(
        title_key=normalize(nominations["film_title"]),
        nom_year=pd.to_numeric(nominations["award_year"]).astype("Int64"),
        bill_order=nominations["canonical_category"]
        .str.extract(r"(LEADING|SUPPORTING)")[0]
        .map(BILLING),
    )[["title_key", "nom_year", "nominee_name", "bill_order"]]
    # Only nominations the films' years could match count as matched or unmatched.
    in_range = noms["nom_year"].between(films["year"].min() - 1, films["year"].max() + 1)
    noms = noms[in_range].dropna(subset=["title_key", "nominee_name", "bill_order"])
    noms = noms.reset_index(drop=True)
    pairs = noms.reset_index(names="nomination").merge(
        films[["film_id", "title_key", "year"]], on="title_key"
    )
    pairs["gap"] = (pairs["year"] - pairs["nom_year"]).abs()
    pairs = pairs[pairs["gap"] <= 1]
    nearest = pairs[pairs["gap"] == pairs.groupby("nomination")["gap"].transform("min")]
    ties = nearest.groupby("nomination")["film_id"].transform("size") > 1
    matched = nearest[~ties]
    report = {
        "acting_nominations_in_year_range": len(noms),
        "nominations_matched": int(matched["nomination"].nunique()),
        "nominations_ambiguous": int(nearest.loc[ties, "nomination"].nunique()),
    }
    report["nominations_unmatched"] = (
        report["acting_nominations_in_year_range"]
        - report["nominations_matched"]
        - report["nominations_ambiguous"]
    )
    rows = matched.assign(actor_name=matched["nominee_name"].astype("string"), origin="nomination")
    return rows[["film_id", "actor_name", "bill_order", "origin"]], report


def build_long_table(movies: pd.DataFrame, nominations: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The long table from the Movie Industry films and the Oscar acting nominations.

    Returns the table and a report of what was kept and dropped (and why), for the manifest.
    """
    require_columns(movies, MOVIE_COLUMNS, "the movies frame")
    require_columns(nominations, NOMINATION_COLUMNS, "the nominations frame")
    films = _films(movies)
    unlabelled = films["score"].isna() | films["votes"].isna() | films["year"].isna()
    films = films[~unlabelled]
    credits = pd.DataFrame(
        {
            "film_id": films["film_id"],
            "actor_name": movies.loc[films.index, "star"].astype("string"),
            "bill_order": 1,
            "origin": "credit",
        }
    ).dropna(subset=["actor_name"])
    acting = nominations[nominations["class"] == "Acting"]
    nominated, report = _match_nominations(films, acting)
    rows = pd.concat([credits, nominated], ignore_index=True)
    rows["actor"] = normalize(rows["actor_name"])
    # A star who was also nominated for the film keeps one row: the credit, best billing.
    rows = (
        rows.sort_values(["film_id", "actor", "origin", "bill_order"])
        .groupby(["film_id", "actor"], as_index=False)
        .agg(
            actor_name=("actor_name", "first"),
            bill_order=("bill_order", "min"),
            origin=("origin", "first"),
        )
    )
    table = rows.merge(films.drop(columns="title_key"), on="film_id")
    table["bill_order"] = table["bill_order"].astype(np.int64)
    table["year"] = table["year"].astype(np.int64)
    report.update(
        films=len(films),
        films_dropped_without_score_votes_or_year=int(unlabelled.sum()),
        rows=len(table),
        credit_rows=int((table["origin"] == "credit").sum()),
        nomination_rows=int((table["origin"] == "nomination").sum()),
    )
    return table[LONG_TABLE_COLUMNS].sort_values(
        ["year", "film_id", "actor"], ignore_index=True
    ), report


def demo_long_table() -> tuple[pd.DataFrame, dict]:
    """The long table from the vendored demo files, through the same parsers as ingest."""
    from ingest import movie_industry, oscars

    movies = movie_industry.parse()[0].frame
    nominations = oscars.parse()[0].frame
    return build_long_table(movies, nominations)


def read_long_table(conn) -> tuple[pd.DataFrame, dict]:
    """The long table from the warehouse's raw tables (loaded by the ingest assets)."""
    return build_long_table(read_frame(conn, RAW_MOVIES_SQL), read_frame(conn, RAW_NOMINATIONS_SQL))


def read_frame(conn, query: str, params: tuple | None = None) -> pd.DataFrame:
    """A query's rows as a DataFrame, through a plain psycopg2 cursor."""
    with conn.cursor() as cur:
        cur.execute(query, params)
        return pd.DataFrame(cur.fetchall(), columns=[c.name for c in cur.description])
