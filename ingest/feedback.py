"""Feedback on films: what users did with a film or a pick, in `app.feedback_events`.

Written by the CLI (`cinegraph feedback`), the companion and the console, all through
`record_feedback`. A batch is checked whole before anything is written: one bad row is a
`ValueError` naming the row and what is wrong with it, and nothing of the batch lands. Ratings
and likes loaded into `app.rating_events` are feedback too; the view `app.feedback` reads
both tables (the catalogue's `0010_learning.sql`), so they are never copied.

`context` says where the feedback came from: the surface, the weight profile or pick
strategy that showed the film, and the experiment and arm when one was running.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from psycopg2.extras import Json, execute_values

KINDS = ("rated", "liked", "disliked", "pick_clicked", "pick_dismissed", "watched")
CONTEXT_KEYS = ("surface", "profile", "strategy", "experiment", "arm")


@dataclass(frozen=True)
class Feedback:
    user_id: int
    film_id: int
    kind: str
    value: float | None = None
    context: Mapping[str, str] = field(default_factory=dict)
    at: datetime | None = None


def _problems(event: Feedback):
    for name in ("user_id", "film_id"):
        value = getattr(event, name)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            yield f"{name} must be a positive integer, got {value!r}"
    if event.kind not in KINDS:
        yield f"kind must be one of {', '.join(KINDS)}, got {event.kind!r}"
    if event.value is not None and not (
        isinstance(event.value, int | float) and math.isfinite(event.value)
    ):
        yield f"value must be a finite number, got {event.value!r}"
    elif event.kind == "rated" and not (
        event.value is not None and 0.5 <= event.value <= 5 and (event.value * 2).is_integer()
    ):
        yield f"a rating is 0.5 to 5 stars in halves, got {event.value!r}"
    unknown = set(event.context) - set(CONTEXT_KEYS)
    if unknown:
        yield f"unknown context keys {sorted(unknown)}; known: {', '.join(CONTEXT_KEYS)}"
    if any(not isinstance(v, str) for v in event.context.values()):
        yield "context values are text"
    if event.at is not None and event.at.tzinfo is None:
        yield "at must be timezone-aware"


def validate(events: Iterable[Feedback]) -> list[Feedback]:
    """The events, or a ValueError listing every bad row (numbered from 1)."""
    events = list(events)
    errors = [
        f"row {row}: {problem}"
        for row, event in enumerate(events, start=1)
        for problem in _problems(event)
    ]
    if errors:
        raise ValueError("feedback not recorded, nothing written: " + "; ".join(errors))
    return events


def record_feedback(conn, events: Iterable[Feedback]) -> int:
    """Validate the batch, then insert it in one transaction; return the rows written."""
    events = validate(events)
    now = datetime.now(UTC)
    with conn, conn.cursor() as cur:
        execute_values(
            cur,
            "insert into app.feedback_events (user_id, film_id, kind, value, context, at) "
            "values %s",
            [
                (e.user_id, e.film_id, e.kind, e.value, Json(dict(e.context)), e.at or now)
                for e in events
            ],
        )
    return len(events)
