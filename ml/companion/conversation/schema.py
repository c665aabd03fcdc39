"""The shape every extractor returns (and the LLM's JSON answer is validated against)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Dimension = Literal[
    "genre", "mood", "pacing", "visual_style", "tone", "theme", "era", "context", "person", "film"
]
ConversationType = Literal[
    "loved_it", "hated_it", "want_more_like_this", "mood_request", "general_preference"
]


class Preference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dimension: Dimension
    value: str = Field(min_length=1, max_length=200)
    polarity: Literal[-1, 1]
    weight: float = Field(ge=0, le=1)
    ref_id: int | None = None  # film_id or person_id for film and person preferences
    evidence: str = ""


class Extraction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_type: ConversationType
    preferences: list[Preference]
    significance: float = Field(ge=0, le=1)

    def triples(self) -> set[tuple[str, str, int]]:
        """(dimension, value, polarity): what the labelled set compares."""
        return {(p.dimension, p.value.lower(), p.polarity) for p in self.preferences}
