"""The optional LLM extractor: an OpenAI-compatible chat-completions endpoint over requests.

The caller passes the endpoint (`LLMConfig`, built from settings; nothing here reads the
environment). The answer's message content must be JSON matching `Extraction`; any failure
(connection, timeout, HTTP status, invalid JSON, schema mismatch) falls back to the offline
extractor and records why in `Outcome.fallback_reason`. The API key goes only into the
Authorization header: reasons carry the exception type or status code, never a request,
header or response body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import requests
from pydantic import ValidationError

from ml.companion.conversation import offline
from ml.companion.conversation.schema import Extraction

VERSION = "llm-1"
PROMPT = (
    "Extract the movie preferences in the user's message as JSON with keys "
    "conversation_type (one of loved_it, hated_it, want_more_like_this, mood_request, "
    "general_preference), preferences (a list of objects with dimension (genre, mood, pacing, "
    "visual_style, tone, theme, era, context, person, film), value, polarity (1 or -1), "
    "weight (0-1), evidence) and significance (0-1). Answer with the JSON object only."
)


@dataclass(frozen=True)
class LLMConfig:
    url: str  # the API base, e.g. https://host/v1; the client posts to <url>/chat/completions
    model: str
    api_key: str = field(repr=False)
    timeout_s: float = 10.0


@dataclass
class Outcome:
    extraction: Extraction
    extractor: str  # "llm" or "offline"
    version: str
    fallback_reason: str | None = None


def _ask(text: str, config: LLMConfig) -> Extraction:
    response = requests.post(
        config.url.rstrip("/") + "/chat/completions",
        headers={"Authorization": f"Bearer {config.api_key}"},
        json={
            "model": config.model,
            "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}],
            "response_format": {"type": "json_object"},
            "temperature": 0,
        },
        timeout=config.timeout_s,
    )
    response.raise_for_status()
    content = response.json()["choices"][0]["message"]["content"]
    return Extraction.model_validate(json.loads(content))


def _reason(error: Exception) -> str:
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"http status {error.response.status_code}"
    if isinstance(error, requests.Timeout):
        return "timeout"
    if isinstance(error, requests.ConnectionError):
        return "connection failed"
    if isinstance(error, ValidationError):
        return f"answer does not match the schema ({error.error_count()} errors)"
    if isinstance(error, (ValueError, KeyError, IndexError, TypeError)):
        return f"answer is not the expected JSON ({type(error).__name__})"
    return type(error).__name__


def extract(
    text: str, vocabulary: offline.Vocabulary, config: LLMConfig | None, film_given: bool = False
) -> Outcome:
    """The LLM's extraction when configured and well-formed, else the offline one and why."""
    if config is None:
        return Outcome(offline.extract(text, vocabulary, film_given), "offline", offline.VERSION)
    try:
        return Outcome(_ask(text, config), "llm", VERSION)
    except (requests.RequestException, ValueError, KeyError, IndexError, TypeError) as error:
        return Outcome(
            offline.extract(text, vocabulary, film_given),
            "offline",
            offline.VERSION,
            _reason(error),
        )
