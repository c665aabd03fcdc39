"""Candidate sources: where a pick can come from, each with the anchor its reason names.

Every source returns rows of CANDIDATE_COLUMNS: the user, the film, the source, a strength
in [0, 1] (how strongly this signal points at the film), the anchor ids and the reason text.
Films the user already rated are removed later, once, by the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.companion.inputs import CompanionInputs

CANDIDATE_COLUMNS = [
    "user_id",
    "film_id",
    "source",
    "strength",
    "anchor_film_id",
    "anchor_person_id",
    "anchor_user_id",
    "anchor_conversation_id",
    "reason",
]
ROLE_PHRASES = {
    "director": ("directed by", "same director"),
    "lead_actor": ("starring", "same lead"),
}
LOVED = 4.0


@dataclass(frozen=True)
class SourceParams:
    anchors_per_user: int = 10  # loved films that seed similar_to_rated
    trending_weeks: int = 4
    trending_size: int = 30
    friend_min_rating: float = 4.5
    person_min_films: int = 2
    person_min_mean: float = 4.0
    cohort_min_raters: int = 5
    cohort_size: int = 30
    mood_size: int = 40


def _frame(rows: pd.DataFrame, source: str) -> pd.DataFrame:
    out = rows.assign(source=source)
    for column in (
        "anchor_film_id",
        "anchor_person_id",
        "anchor_user_id",
        "anchor_conversation_id",
    ):
        out[column] = (
            out[column].astype("Int64") if column in out else pd.array([pd.NA] * len(out), "Int64")
        )
    return out[CANDIDATE_COLUMNS].reset_index(drop=True)


def stars(rating: float) -> str:
    return f"{rating:g} star" + ("" if rating == 1 else "s")


def _titles(inputs: CompanionInputs) -> dict[int, str]:
    """film_id -> "Title (year)"; a dict because a reason is written per candidate row and
    a Series lookup per row cost seconds per call."""
    films = inputs.films.set_index("film_id")
    year = films["year"].map(lambda y: "" if y is None or pd.isna(y) else f" ({int(y)})")
    return (films["title"].fillna("an untitled film") + year).to_dict()


def loved_anchors(ratings: pd.DataFrame, per_user: int) -> pd.DataFrame:
    """Each user's best-rated films (4+), highest then latest first."""
    loved = ratings[ratings["rating"] >= LOVED].sort_values(
        ["user_id", "rating", "rated_at"], ascending=[True, False, False]
    )
    return loved.groupby("user_id").head(per_user)


def similar_to_rated(
    inputs: CompanionInputs, neighbours: pd.DataFrame, params: SourceParams
) -> pd.DataFrame:
    """Neighbours of each loved film, by ratings and by a shared director or lead."""
    titles = _titles(inputs)
    anchors = loved_anchors(inputs.ratings, params.anchors_per_user)
    by_ratings = anchors.merge(neighbours, on="film_id").rename(
        columns={"film_id": "anchor_film_id", "neighbour_id": "film_id"}
    )
    by_ratings["strength"] = by_ratings["similarity"].clip(0, 1) * by_ratings["rating"] / 5
    by_ratings["reason"] = [
        f"Because you rated {titles.get(a, 'a film')} {stars(r)}: "
        "people who loved it rate this alike"
        for a, r in zip(by_ratings["anchor_film_id"], by_ratings["rating"], strict=True)
    ]
    credits = inputs.credits
    shared = anchors.merge(credits, on="film_id").merge(
        credits[["film_id", "person_id"]], on="person_id", suffixes=("_anchor", "")
    )
    shared = shared[shared["film_id"] != shared["film_id_anchor"]].rename(
        columns={"film_id_anchor": "anchor_film_id", "person_id": "anchor_person_id"}
    )
    shared["strength"] = np.where(shared["role"] == "director", 0.9, 0.7) * shared["rating"] / 5
    shared["reason"] = [
        f"Because you rated {titles.get(a, 'a film')} {stars(r)}: {ROLE_PHRASES[role][1]}, {name}"
        for a, r, role, name in zip(
            shared["anchor_film_id"], shared["rating"], shared["role"], shared["name"], strict=True
        )
    ]
    return _frame(pd.concat([by_ratings, shared], ignore_index=True), "similar_to_rated")


def people_you_love(inputs: CompanionInputs, params: SourceParams) -> pd.DataFrame:
    """Other films of the directors and leads whose films the user rates highly."""
    rated = inputs.ratings.merge(inputs.credits, on="film_id")
    per_person = rated.groupby(["user_id", "person_id", "name", "role"], as_index=False).agg(
        films=("film_id", "nunique"), mean=("rating", "mean")
    )
    loved = per_person[
        (per_person["films"] >= params.person_min_films)
        & (per_person["mean"] >= params.person_min_mean)
    ]
    rows = loved.merge(inputs.credits[["film_id", "person_id", "role"]], on=["person_id", "role"])
    rows = rows.rename(columns={"person_id": "anchor_person_id"})
    rows["strength"] = ((rows["mean"] - 3) / 2).clip(0, 1) * np.minimum(rows["films"] / 3, 1)
    rows["reason"] = [
        f"You rated {n} films {ROLE_PHRASES[role][0]} {name} {m:.1f} stars on average"
        for n, role, name, m in zip(
            rows["films"], rows["role"], rows["name"], rows["mean"], strict=True
        )
    ]
    return _frame(rows, "people_you_love")


def friends_loved(inputs: CompanionInputs, params: SourceParams) -> pd.DataFrame:
    """Films the people a user follows rated `friend_min_rating` or more."""
    loved = inputs.ratings[inputs.ratings["rating"] >= params.friend_min_rating]
    rows = inputs.follows.merge(
        loved, left_on="followee_id", right_on="user_id", suffixes=("", "_r")
    )
    rows = rows.drop(columns="user_id").rename(
        columns={"follower_id": "user_id", "followee_id": "anchor_user_id"}
    )
    rows["strength"] = rows["rating"] / 5
    rows["reason"] = [
        f"User {f}, whom you follow, rated it {stars(r)}"
        for f, r in zip(rows["anchor_user_id"], rows["rating"], strict=True)
    ]
    return _frame(rows, "friends_loved")


def trending(
    inputs: CompanionInputs, users: pd.Index, params: SourceParams, tmdb: pd.DataFrame | None = None
) -> pd.DataFrame:
    """TMDb's trending films (`tmdb`: film_id, rank) when given; offline, the most-rated films
    of the data's last `trending_weeks` weeks, and the reason says which."""
    if tmdb is not None and not tmdb.empty:
        films = tmdb.sort_values("rank").head(params.trending_size)
        films = films.assign(
            strength=1 - (films["rank"] - 1) / max(len(films), 1),
            reason=[f"Trending on TMDb this week (#{int(r)})" for r in films["rank"]],
        )
    else:
        ratings = inputs.ratings
        since = ratings["rated_at"].max() - pd.Timedelta(weeks=params.trending_weeks)
        counts = (
            ratings[ratings["rated_at"] > since]["film_id"]
            .value_counts()
            .head(params.trending_size)
        )
        films = pd.DataFrame({"film_id": counts.index, "count": counts.to_numpy()})
        films["strength"] = films["count"] / max(films["count"].max(), 1) if len(films) else []
        films["reason"] = [
            f"Trending here: rated {c} times in the data's last {params.trending_weeks} weeks "
            "(most-rated recently; not TMDb)"
            for c in films["count"]
        ]
    rows = pd.DataFrame({"user_id": users}).merge(films, how="cross")
    return _frame(rows, "trending")


def cohort_top(inputs: CompanionInputs, users: pd.Index, params: SourceParams) -> pd.DataFrame:
    """The best-rated films of each user's taste cluster; everyone's for unclustered users.
    Means are shrunk toward the global mean by `cohort_min_raters` pseudo-ratings."""
    ratings = inputs.ratings
    clusters = inputs.clusters[["user_id", "cluster"]]
    grouped = ratings.merge(clusters, on="user_id", how="left").fillna({"cluster": -1})
    everyone = ratings.assign(cluster=-1)
    pooled = pd.concat([grouped[grouped["cluster"] >= 0], everyone])
    prior, k = ratings["rating"].mean(), params.cohort_min_raters
    stats = pooled.groupby(["cluster", "film_id"], as_index=False).agg(
        raters=("user_id", "nunique"), total=("rating", "sum")
    )
    stats = stats[stats["raters"] >= k]
    stats["score"] = (stats["total"] + k * prior) / (stats["raters"] + k)
    top = stats.sort_values("score", ascending=False).groupby("cluster").head(params.cohort_size)
    who = pd.DataFrame({"user_id": users}).merge(clusters, on="user_id", how="left")
    who["cluster"] = who["cluster"].fillna(-1)
    rows = who.merge(top, on="cluster")
    rows["strength"] = ((rows["score"] - 3) / 2).clip(0, 1)
    rows["reason"] = [
        (
            f"Among the best-rated by your taste cluster {int(c)}"
            if c >= 0
            else "Among the best-rated by everyone"
        )
        + f" ({s:.1f} stars from {n} raters)"
        for c, s, n in zip(rows["cluster"], rows["score"], rows["raters"], strict=True)
    ]
    return _frame(rows, "cohort_top")


def mood_match(
    inputs: CompanionInputs, preferences: pd.DataFrame, params: SourceParams
) -> pd.DataFrame:
    """Films matching what users said (`preferences`: user_id, dimension, value, polarity,
    weight, genres, person_id, conversation_id, said). A preference reaches films through
    the genres the lexicon maps it to, or through a named person's credits; disliked genres
    subtract. Among matching films the most-rated come first (a mood fits many films)."""
    popularity = inputs.ratings["film_id"].value_counts().rename("raters")
    by_genre = preferences.explode("genres").dropna(subset=["genres"])
    film_genres = inputs.films[["film_id", "genres"]].explode("genres").dropna()
    genre_rows = by_genre.merge(film_genres, on="genres")
    people = preferences.dropna(subset=["person_id"]).astype({"person_id": "int64"})
    person_rows = people.merge(inputs.credits[["film_id", "person_id"]], on="person_id")
    rows = pd.concat([genre_rows, person_rows], ignore_index=True)
    if rows.empty:
        return _frame(rows.assign(strength=[], reason=[]), "mood_match")
    rows["signed"] = rows["polarity"] * rows["weight"]
    totals = rows.groupby(["user_id", "film_id"], as_index=False)["signed"].sum()
    totals = totals[totals["signed"] > 0]
    # the anchor: the strongest positive preference that reached the film
    anchor = rows[rows["signed"] > 0].sort_values("signed", ascending=False)
    anchor = anchor.drop_duplicates(["user_id", "film_id"])[
        ["user_id", "film_id", "conversation_id", "said", "value", "person_id"]
    ]
    scored = totals.merge(anchor, on=["user_id", "film_id"]).join(popularity, on="film_id")
    scored = scored.sort_values(["user_id", "signed", "raters"], ascending=[True, False, False])
    scored = scored.groupby("user_id").head(params.mood_size)
    scored["strength"] = (
        scored["signed"] / scored.groupby("user_id")["signed"].transform("max")
    ).clip(0, 1)
    scored = scored.rename(
        columns={"conversation_id": "anchor_conversation_id", "person_id": "anchor_person_id"}
    )
    scored["reason"] = [
        f'You said "{s}": {v}' for s, v in zip(scored["said"], scored["value"], strict=True)
    ]
    return _frame(scored, "mood_match")
