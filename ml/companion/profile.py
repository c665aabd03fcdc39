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


def _rated_affinities(deviations: pd.DataFrame, key: str, shrinkage: float) -> list[dict]:
    grouped = deviations.groupby(key).agg(
        total=("deviation", "sum"), n=("deviation", "size"), films=("film_id", list)
    )
    grouped["weight"] = grouped["total"] / (grouped["n"] + shrinkage)
    grouped = grouped.reindex(grouped["weight"].abs().sort_values(ascending=False).index)
    return [
        {
            "value": str(value),
            "weight": round(float(row.weight), 3),
            "evidence": {"rated_film_ids": row.films[:20]},
        }
        for value, row in grouped.head(TOP_PER_DIMENSION).iterrows()
    ]


def profile_from_ratings(
    ratings: pd.DataFrame, films: pd.DataFrame, credits: pd.DataFrame, shrinkage: float = 3.0
) -> dict:
    """One user's rated preferences (`ratings` of that user only)."""
    deviations = ratings.assign(deviation=ratings["rating"] - ratings["rating"].mean())
    genres = (
        deviations.merge(films[["film_id", "genres"]], on="film_id")
        .explode("genres")
        .dropna(subset=["genres"])
    )
    people = deviations.merge(credits, on="film_id")
    return {
        "genres": _rated_affinities(genres, "genres", shrinkage),
        "people": _rated_affinities(
            people.assign(person=people["name"] + " (" + people["role"] + ")"), "person", shrinkage
        ),
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


def taste_profile(
    ratings: pd.DataFrame,
    films: pd.DataFrame,
    credits: pd.DataFrame,
    extractions: list[tuple[int, Extraction]],
) -> dict:
    """One user's `app.taste_profiles.preferences`: what their ratings and their words say."""
    return {
        "rated": profile_from_ratings(ratings, films, credits) if len(ratings) else {},
        "said": profile_from_conversations(extractions),
    }


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
