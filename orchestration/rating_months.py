"""The last month that holds ratings, where `cinegraph materialize` ends the monthly stage.

The monthly partitions run to the current month, because the app's own ratings (the inbox,
Letterboxd exports) arrive now. The demo's ratings end in October 2016, so building every
month up to today would mark ten empty years as materialised: the main command builds the
months up to the latest rating any source holds, and later months stay unmaterialised until
a rating arrives in them (the inbox sensor then runs that month).
"""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime

from ingest.files import movielens
from orchestration import warehouse
from orchestration.settings import settings, sources_from_settings


def month_start(moment: datetime) -> str:
    """The monthly partition key ('YYYY-MM-01') of a moment."""
    return f"{moment:%Y-%m}-01"


def last_rating_month() -> str:
    """The partition key of the latest month with a rating: the vendored ratings' last month,
    or a later one of the app's rating events (inbox, Letterboxd); the current month when a
    MovieLens archive is configured (its months are known only once it is read)."""
    if sources_from_settings().movielens_archive.active:
        return month_start(datetime.now(UTC))
    latest = movielens.last_rating_time().to_pydatetime()
    with closing(warehouse.connect(settings().warehouse)) as conn, conn.cursor() as cur:
        cur.execute("select max(event_at) from app.rating_events")
        loaded = cur.fetchone()[0]
    return month_start(max(latest, loaded) if loaded else latest)
