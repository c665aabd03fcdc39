"""The rules every user-supplied value passes before it reaches a query or a write.

Pure functions from text to a typed value; each raises ValueError with one line that says
what was expected and what was given. The CLI wraps them as argparse types
(`orchestration.cli.arguments`) and the console calls them directly, so both surfaces
refuse the same inputs with the same words.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# PostgreSQL `integer`: ids and counts bound into queries stay below it.
MAX_INT = 2**31 - 1
# A row limit beyond this is a typo, not a request; it also keeps LIMIT far from bigint.
MAX_ROWS = 100_000
MAX_TEXT = 200
STARS_MIN, STARS_MAX = 0.5, 5.0
# How far in the future a clock may be and an entered rating still count as "now".
CLOCK_SKEW = timedelta(days=1)
IMDB_TITLE_ID = re.compile(r"^tt\d{7,10}$")


def _shown(text: str) -> str:
    """`text` as a message quotes it: repr, cut short so a huge input stays one line."""
    return repr(text) if len(text) <= 40 else repr(text[:40]) + f"... ({len(text)} characters)"


def text(value: str, what: str = "value", max_length: int = MAX_TEXT) -> str:
    """Non-blank text without NUL or control characters, at most `max_length` characters."""
    if not value.strip():
        raise ValueError(f"{what} must not be empty")
    if len(value) > max_length:
        raise ValueError(f"{what} is at most {max_length} characters, got {len(value)}")
    if any(ord(character) < 32 for character in value):
        raise ValueError(f"{what} must not contain control characters, got {_shown(value)}")
    return value


def integer(value: str, what: str = "value", low: int = 1, high: int = MAX_INT) -> int:
    """A whole number in [low, high]."""
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"{what} must be a whole number, got {_shown(value)}") from None
    if not low <= number <= high:
        raise ValueError(f"{what} must be between {low} and {high}, got {_shown(value)}")
    return number


def limit(value: str, what: str = "value") -> int:
    """How many rows to show: 1 to MAX_ROWS."""
    return integer(value, what, 1, MAX_ROWS)


def number(value: str, what: str = "value", low: float = 0.0, high: float = 1e12) -> float:
    """A finite decimal number in [low, high] (no nan, no inf)."""
    try:
        parsed = float(value)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {_shown(value)}") from None
    if not math.isfinite(parsed) or not low <= parsed <= high:
        raise ValueError(f"{what} must be a number from {low:g} to {high:g}, got {_shown(value)}")
    return parsed


def rating(value: str) -> float:
    """Stars from 0.5 to 5 in half steps, as the ratings are stored."""
    stars = number(value, "rating", STARS_MIN, STARS_MAX)
    if stars * 2 != int(stars * 2):
        raise ValueError(f"rating must be in half stars (0.5, 1, ..., 5), got {_shown(value)}")
    return stars


def calendar_date(value: str, what: str = "date") -> date:
    """A real calendar day written YYYY-MM-DD (2016-02-30 is refused)."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{what} must be a calendar date YYYY-MM-DD, got {_shown(value)}"
        ) from None


def monday(value: str, what: str = "week") -> date:
    """The Monday that starts a week (the digests are keyed by it)."""
    day = calendar_date(value, what)
    if day.weekday() != 0:
        start = day - timedelta(days=day.weekday())
        raise ValueError(f"{what} is given by its Monday: {value} is in the week of {start}")
    return day


def rating_time(value: str, now: datetime | None = None) -> datetime:
    """When a rating was made: an ISO date or time (UTC unless it says otherwise), from the
    first ratings month to now; earlier ratings would fall before every monthly partition."""
    from ingest.app_events import RATINGS_START  # pandas: loaded only when a time is checked

    try:
        parsed = datetime.fromisoformat(text(value, "time", 40))
    except ValueError:
        raise ValueError(
            f"time must be an ISO date or time (2016-10-16 or 2016-10-16T20:15:00), "
            f"got {_shown(value)}"
        ) from None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    first = datetime.fromisoformat(RATINGS_START).replace(tzinfo=UTC)
    latest = (now or datetime.now(UTC)) + CLOCK_SKEW
    if not first <= parsed <= latest:
        raise ValueError(f"time must be from {RATINGS_START} to now, got {_shown(value)}")
    return parsed


def imdb_title_id(value: str) -> str:
    if not IMDB_TITLE_ID.match(value):
        raise ValueError(f"IMDb id must look like tt0113277, got {_shown(value)}")
    return value


def user_ids(value: str) -> list[int]:
    """Comma-separated user ids (at least one)."""
    parts = [part for part in text(value, "user ids", 100_000).split(",") if part.strip()]
    if not parts:
        raise ValueError(f"user ids must be comma-separated whole numbers, got {_shown(value)}")
    return [integer(part, "user id") for part in parts]


def existing_file(value: str, what: str = "file") -> Path:
    """A readable regular file."""
    path = Path(text(value, what, 4096))
    if not path.is_file():
        raise ValueError(f"{what} {value} does not exist or is not a file")
    return path
