"""What the companion reads: ratings, films, credits, follows and taste clusters.

`read_inputs` reads them from the warehouse; `demo_inputs` builds the same frames from the
parsed demo files (no warehouse), for development and the tests that need no database. In
the demo, film ids are MovieLens movie ids and credits come from the movie-industry file,
joined on title and year (a development stand-in for the identity marts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ml.cohorts.data import read_ratings
from warehouse.io import read_frame

FILMS_QUERY = """
select film_id, title, release_year as year, coalesce(genres, '{}') as genres
from marts.dim_films
"""
CREDITS_QUERY = """
select bridge.film_id, bridge.person_id, people.name, bridge.role
from marts.bridge_film_people as bridge
inner join marts.dim_people as people on people.person_id = bridge.person_id
where bridge.role in ('director', 'lead_actor')
"""
FOLLOWS_QUERY = "select follower_id, followee_id from app.follows"
CLUSTERS_QUERY = "select user_id, cluster from ml.user_clusters"


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in columns.items()})


@dataclass
class CompanionInputs:
    ratings: pd.DataFrame  # user_id, film_id, rating, rated_at
    films: pd.DataFrame  # film_id, title, year, genres (a list of genre names)
    credits: pd.DataFrame = field(  # film_id, person_id, name, role (director | lead_actor)
        default_factory=lambda: _empty(
            {"film_id": "int64", "person_id": "int64", "name": "str", "role": "str"}
        )
    )
    follows: pd.DataFrame = field(
        default_factory=lambda: _empty({"follower_id": "int64", "followee_id": "int64"})
    )
    clusters: pd.DataFrame = field(
        default_factory=lambda: _empty({"user_id": "int64", "cluster": "int64"})
    )

    def with_ratings(self, ratings: pd.DataFrame) -> CompanionInputs:
        """The same inputs over other ratings (a training window)."""
        return CompanionInputs(ratings, self.films, self.credits, self.follows, self.clusters)


def _optional(conn, query: str, columns: dict[str, str]) -> pd.DataFrame:
    """A table that may not exist yet (no follows, clusters not fitted): empty then."""
    relation = query.split(" from ")[-1].split()[0]
    with conn.cursor() as cur:
        cur.execute("select to_regclass(%s)", (relation,))
        exists = cur.fetchone()[0] is not None
    if not exists:
        return _empty(columns)
    return read_frame(conn, query).astype(columns)


def read_inputs(conn) -> CompanionInputs:
    """Every input from the warehouse (`marts.fct_ratings` and the core marts)."""
    films = read_frame(conn, FILMS_QUERY)
    films["genres"] = films["genres"].map(list)
    return CompanionInputs(
        ratings=read_ratings(conn),
        films=films.astype({"film_id": "int64"}),
        credits=read_frame(conn, CREDITS_QUERY).astype({"film_id": "int64", "person_id": "int64"}),
        follows=_optional(conn, FOLLOWS_QUERY, {"follower_id": "int64", "followee_id": "int64"}),
        clusters=_optional(conn, CLUSTERS_QUERY, {"user_id": "int64", "cluster": "int64"}),
    )


def title_key(title: str, year) -> str:
    """Lower-case alphanumerics with a trailing MovieLens article moved back to the front
    ('Deer Hunter, The' -> 'thedeerhunter'), plus the year."""
    text = str(title)
    moved = re.match(r"^(.*), (The|A|An)$", text)
    if moved:
        text = f"{moved.group(2)} {moved.group(1)}"
    year_text = "" if pd.isna(year) else str(int(year))
    return re.sub(r"[^a-z0-9]", "", text.lower()) + "|" + year_text


def _demo_credits(films: pd.DataFrame) -> pd.DataFrame:
    from ingest.files import movie_industry

    industry = movie_industry.parse()[0].frame
    keys = films.assign(key=[title_key(t, y) for t, y in zip(films["title"], films["year"])])
    industry = industry.assign(
        key=[title_key(t, y) for t, y in zip(industry["name"], industry["year"])]
    )
    joined = keys[["film_id", "key"]].merge(industry, on="key")
    long = pd.concat(
        [
            joined[["film_id", "director"]]
            .rename(columns={"director": "name"})
            .assign(role="director"),
            joined[["film_id", "star"]].rename(columns={"star": "name"}).assign(role="lead_actor"),
        ]
    ).dropna(subset=["name"])
    names = pd.Index(sorted(long["name"].unique()))
    long["person_id"] = names.get_indexer(long["name"]).astype("int64") + 1
    return long[["film_id", "person_id", "name", "role"]].drop_duplicates().reset_index(drop=True)


def demo_inputs(with_credits: bool = True) -> CompanionInputs:
    """The demo ratings and films from the parsed dslabs files (MovieLens ids as film ids)."""
    from ingest.files import movielens

    parsed = {p.table.name: p.frame for p in movielens.parse()}
    ratings = parsed["movielens__ratings"].rename(columns={"movie_id": "film_id"})
    ratings = ratings.astype({"user_id": "int64", "film_id": "int64", "rating": "float64"})
    films = parsed["movielens__movies"].rename(columns={"movie_id": "film_id"})
    films = films.astype({"film_id": "int64"})
    films["genres"] = [
        [] if not isinstance(g, str) or g.startswith("(") else g.split("|") for g in films["genres"]
    ]
    films["year"] = films["year"].astype("float64").replace({np.nan: None})
    inputs = CompanionInputs(ratings.reset_index(drop=True), films.reset_index(drop=True))
    if with_credits:
        inputs.credits = _demo_credits(films)
    return inputs
