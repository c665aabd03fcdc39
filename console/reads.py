"""The pages' reads, cached where a result is shared between sessions.

Cached results live for `TTL`, shorter than the most frequent refresh schedule (the
companion's quick refresh every 15 minutes), so a page is never older than one refresh.
What a page changes itself (a profile's weights, picks after feedback) is read uncached, or
its cache is cleared by the write.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from console import views
from console.connection import connection
from serving import casting

TTL = timedelta(minutes=5)


@st.cache_data(ttl=TTL, show_spinner=False)
def films(profile: str, limit: int, min_coverage: float) -> views.FilmsView:
    with connection() as conn:
        return views.films(conn, profile, limit, min_coverage)


@st.cache_data(ttl=TTL, show_spinner=False)
def metric_history(film_id: int):
    from serving.metrics import metric_history as history

    with connection() as conn:
        return history(conn, film_id)


def explained(film: int | str, profile: str):
    """Uncached: a profile edit must show in the explanation at once."""
    with connection() as conn:
        return views.explained(conn, film, profile)


@st.cache_data(ttl=TTL, show_spinner=False)
def metrics_admin() -> views.MetricsAdminView:
    with connection() as conn:
        return views.metrics_admin(conn)


@st.cache_data(ttl=TTL, show_spinner=False)
def top_people(role: str, n: int):
    from serving.people import top_people as top

    with connection() as conn:
        return top(conn, role, n)


@st.cache_data(ttl=TTL, show_spinner=False)
def gravitas() -> views.GravitasView:
    with connection() as conn:
        return views.gravitas(conn)


@st.cache_data(ttl=TTL, show_spinner=False)
def person(name: str):
    from serving.people import person_profile

    with connection() as conn:
        return person_profile(conn, name)


@st.cache_data(ttl=TTL, show_spinner=False)
def cohort_choices() -> tuple[list[str], list[str]]:
    with connection() as conn:
        return views.cohort_choices(conn)


@st.cache_data(ttl=TTL, show_spinner=False)
def cohorts(
    cohort: str, strategy: str, top: int, released_from: int | None, released_to: int | None
) -> views.CohortsView:
    with connection() as conn:
        return views.cohorts_page(conn, cohort, strategy, top, released_from, released_to)


@st.cache_data(ttl=TTL, show_spinner=False)
def film_histograms(film_id: int):
    from serving.cohorts import film_histograms as histograms

    with connection() as conn:
        return histograms(conn, film_id)


@st.cache_resource(ttl=TTL, show_spinner="Loading the casting model")
def casting_model():
    """(model, run row, reliability table) of the newest casting model, loaded once."""
    with connection() as conn:
        model, run = casting.latest_model(conn)
    return model, run, casting.reliability(model)


@st.cache_data(ttl=TTL, show_spinner=False)
def pick_users() -> list[int]:
    with connection() as conn:
        return views.pick_users(conn)


def picks(user_id: int) -> views.PicksView:
    """Uncached: feedback and "tell me" change what the page shows next."""
    with connection() as conn:
        return views.picks_page(conn, user_id)


def profiles() -> list[str]:
    """Uncached: a profile created on the admin page must be offered at once."""
    from serving.metrics import list_profiles

    with connection() as conn:
        return list_profiles(conn)


def profile_weights(profile: str):
    """Uncached: the sliders start from the weights as saved."""
    from serving.metrics import get_profile

    with connection() as conn:
        return get_profile(conn, profile)


def profile_history(profile: str):
    from serving.metrics import profile_history as history

    with connection() as conn:
        return history(conn, profile)
