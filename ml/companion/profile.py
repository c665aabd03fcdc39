"""Taste profiles: learned preferences with weights and the evidence behind each.

From ratings: genres and people (directors, leads) scored by how far above the user's own
mean they rate them, shrunk by `shrinkage` pseudo-ratings at 0, with the rated film ids as
evidence. From conversations: every extracted preference, its weight summed over messages
(signed by polarity) with the conversation ids as evidence. The profile is a JSON-ready
dict, `app.taste_profiles.preferences`; `conversation_preferences` flattens conversations
for the mood_match source.
"""

from __future__ import annotations

import pandas as pd

from ml.companion.conversation.offline import Vocabulary
from ml.companion.conversation.schema import Extraction

TOP_PER_DIMENSION = 10


def _strongest(magnitudes: pd.Series) -> pd.Series:
    """One user's TOP_PER_DIMENSION largest |weight|s (`magnitudes` in value order)."""
    # equal weights keep the order sort_values' default (unstable) quicksort gives them, as
    # when each user was computed alone: stored profiles do not change
    return magnitudes.sort_values(ascending=False).head(TOP_PER_DIMENSION)


def _rated_affinities(deviations: pd.DataFrame, key: str, shrinkage: float) -> dict[int, list]:
    """user_id -> that user's strongest `key` values; one groupby for every user."""
    grouped = deviations.groupby(["user_id", key])["deviation"].agg(["sum", "size"])
    weights = grouped["sum"] / (grouped["size"] + shrinkage)
    top = weights.abs().groupby(level="user_id", group_keys=False).apply(_strongest).index
    # evidence lists only for the values shown: listing every (user, value) cost seconds
    shown = pd.MultiIndex.from_frame(deviations[["user_id", key]]).isin(top)
    films = deviations[shown].groupby(["user_id", key])["film_id"].agg(list)
    affinities: dict[int, list] = {}
    for (user, value), weight, rated in zip(top, weights[top], films[top], strict=True):
        affinities.setdefault(int(user), []).append(
            {
                "value": str(value),
                "weight": round(float(weight), 3),
                "evidence": {"rated_film_ids": rated[:20]},
            }
        )
    return affinities


def rated_profiles(
    ratings: pd.DataFrame, films: pd.DataFrame, credits: pd.DataFrame, shrinkage: float = 3.0
) -> dict[int, dict]:
    """user_id -> rated preferences, for every user in `ratings`, in one merge per dimension
    (per user, the merges over every film and credit dominated a refresh)."""
    mean = ratings.groupby("user_id")["rating"].transform("mean")
    deviations = ratings.assign(deviation=ratings["rating"] - mean)
    genres = (
        deviations.merge(films[["film_id", "genres"]], on="film_id")
        .explode("genres")
        .dropna(subset=["genres"])
    )
    people = deviations.merge(credits, on="film_id")
    people = people.assign(person=people["name"] + " (" + people["role"] + ")")
    by_genre = _rated_affinities(genres, "genres", shrinkage)
    by_person = _rated_affinities(people, "person", shrinkage)
    return {
        int(user): {"genres": by_genre.get(user, []), "people": by_person.get(user, [])}
        for user in ratings["user_id"].unique()
    }


def profile_from_conversations(extractions: list[tuple[int, Extraction]]) -> dict:
    """Learned preferences per dimension from (conversation_id, extraction) pairs."""
    learned: dict[tuple[str, str], dict] = {}
    for conversation_id, extraction in extractions:
        for p in extraction.preferences:
            entry = learned.setdefault(
                (p.dimension, p.value),
                {
                    "value": p.value,
                    "weight": 0.0,
                    "ref_id": p.ref_id,
                    "evidence": {"conversation_ids": []},
                },
            )
            entry["weight"] = round(entry["weight"] + p.polarity * p.weight, 3)
            entry["evidence"]["conversation_ids"].append(conversation_id)
    profile: dict[str, list] = {}
    for (dimension, _), entry in learned.items():
        profile.setdefault(dimension, []).append(entry)
    return profile


def taste_profiles(
    ratings: pd.DataFrame,
    films: pd.DataFrame,
    credits: pd.DataFrame,
    said: dict[int, list[tuple[int, Extraction]]],
    users,
) -> dict[int, dict]:
    """Each of `users`' `app.taste_profiles.preferences`: what their ratings (`ratings`:
    user_id, film_id, rating) and their words (`said`: user -> extractions) say."""
    rated = rated_profiles(ratings, films, credits)
    return {
        int(user): {
            "rated": rated.get(int(user), {}),
            "said": profile_from_conversations(said.get(user, [])),
        }
        for user in users
    }


def taste_profile(
    ratings: pd.DataFrame,
    films: pd.DataFrame,
    credits: pd.DataFrame,
    extractions: list[tuple[int, Extraction]],
) -> dict:
    """One user's profile (`ratings` of that user only, with or without user_id)."""
    return taste_profiles(ratings.assign(user_id=0), films, credits, {0: extractions}, [0])[0]


def conversation_preferences(conversations: pd.DataFrame, vocabulary: Vocabulary) -> pd.DataFrame:
    """The mood_match input from conversations (user_id, conversation_id, said, extraction):
    one row per preference with the genres its lexicon value maps to and any person id."""
    rows = []
    for c in conversations.itertuples(index=False):
        for p in c.extraction.preferences:
            rows.append(
                {
                    "user_id": c.user_id,
                    "conversation_id": c.conversation_id,
                    "said": c.said,
                    "dimension": p.dimension,
                    "value": p.value,
                    "polarity": p.polarity,
                    "weight": p.weight,
                    "genres": list(vocabulary.genres_of(p.dimension, p.value)) or None,
                    "person_id": p.ref_id if p.dimension == "person" else None,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "user_id",
            "conversation_id",
            "said",
            "dimension",
            "value",
            "polarity",
            "weight",
            "genres",
            "person_id",
        ],
    )
