"""The metrics registry's query API: plain functions over a psycopg2 connection.

normalize_value needs no database (it reads the registry seeds); every other function takes
the connection first. All SQL is parameterised: user values travel as query parameters,
and the few identifiers (category score columns) come from the registry, never from input.
"""

from ml.metrics import normalize_value
from ml.metrics.coverage import below_threshold, latest_coverage, lost_data
from ml.metrics.profiles import (
    ProfileWeights,
    SystemProfileError,
    create_profile,
    delete_profile,
    get_profile,
    list_profiles,
    update_profile_weight,
)
from serving.metrics.board import coverage_history, metric_history, profile_history
from serving.metrics.scores import (
    FilmScore,
    MetricContribution,
    calculate_movie_score,
    resolve_film,
)
from serving.metrics.search import SearchResult, leaderboard, search_movies

__all__ = [
    "FilmScore",
    "MetricContribution",
    "ProfileWeights",
    "SearchResult",
    "SystemProfileError",
    "below_threshold",
    "calculate_movie_score",
    "coverage_history",
    "create_profile",
    "delete_profile",
    "get_profile",
    "latest_coverage",
    "leaderboard",
    "list_profiles",
    "lost_data",
    "metric_history",
    "normalize_value",
    "profile_history",
    "resolve_film",
    "search_movies",
    "update_profile_weight",
]
