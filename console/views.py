"""What each console page reads, as plain functions of a connection (no Streamlit here): the
pages show their results, and `bench/console.py` times the same calls.

Every read goes through the serving API (`serving`); nothing here writes or runs SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ml.metrics import metric as scores_metric
from ml.metrics import metric_definitions
from serving import cohorts, companion, people
from serving import metrics as scores

DEFAULT_PROFILE = "balanced"
# The Films page's default floor on available coverage: none, since the leaderboard ranks by
# the coverage-shrunk ranked score (films scored on one metric do not top it).
DEFAULT_MIN_COVERAGE = 0.0


@dataclass
class FilmsView:
    board: pd.DataFrame


def films(conn, profile: str, limit: int, min_coverage: float) -> FilmsView:
    board = scores.leaderboard(conn, profile, limit, min_available_coverage=min_coverage)
    return FilmsView(pd.DataFrame(board.rows))


def explained(conn, film: int | str, profile: str) -> scores.FilmScore:
    return scores.calculate_movie_score(conn, film, profile)


@dataclass
class MetricsAdminView:
    definitions: pd.DataFrame
    profiles: list[str]
    coverage: pd.DataFrame
    coverage_by_source: pd.DataFrame
    coverage_trend: pd.DataFrame


def definitions_frame() -> pd.DataFrame:
    """The registry's definitions as rows (from the seeds; no database)."""
    return pd.DataFrame(
        [
            {
                "code": d.code,
                "name": d.name,
                "category": d.category,
                "source": d.source,
                "unit": d.raw_unit or "",
                "normalization": d.normalization_type,
                "reliability": d.source_reliability,
                "weight": d.normalized_weight,
                "active": d.active,
            }
            for d in metric_definitions().values()
        ]
    )


def metrics_admin(conn) -> MetricsAdminView:
    return MetricsAdminView(
        definitions=definitions_frame(),
        profiles=scores.list_profiles(conn),
        coverage=pd.DataFrame(scores.latest_coverage(conn, "metric")),
        coverage_by_source=pd.DataFrame(scores.latest_coverage(conn, "metric_source")),
        coverage_trend=scores.coverage_history(conn, "category"),
    )


@dataclass
class GravitasView:
    films: pd.DataFrame
    line: pd.DataFrame
    fit: dict


def gravitas(conn) -> GravitasView:
    """The gravitas-vs-outcome picture (the same for every role, so read apart)."""
    return GravitasView(*people.gravitas_fit(conn))


def cohort_choices(conn) -> tuple[list[str], list[str]]:
    """(cohort names, ranking strategies) for the page's filters."""
    return cohorts.cohorts(conn)["cohort"].tolist(), cohorts.strategies(conn)


@dataclass
class CohortsView:
    rankings: pd.DataFrame
    consensus: pd.DataFrame
    overlap: pd.DataFrame
    divergences: pd.DataFrame


def cohorts_page(
    conn,
    cohort: str,
    strategy: str,
    top: int,
    released_from: int | None = None,
    released_to: int | None = None,
) -> CohortsView:
    return CohortsView(
        rankings=cohorts.rankings(
            conn, cohort, strategy, top, released_from=released_from, released_to=released_to
        ),
        consensus=cohorts.consensus_labels(conn, cohort),
        overlap=cohorts.overlap(conn, strategy),
        divergences=cohorts.divergences(conn, cohort) if cohort != "all" else pd.DataFrame(),
    )


@dataclass
class PicksView:
    picks: companion.Picks
    taste: pd.DataFrame


def pick_users(conn) -> list[int]:
    return companion.users_with_picks(conn)


def picks_page(conn, user_id: int) -> PicksView:
    return PicksView(companion.picks(conn, user_id), companion.taste_summary(conn, user_id))


def curve(code: str, low: float | None = None, high: float | None = None, points: int = 101):
    """The metric's normalisation curve sampled over its raw scale (or [low, high] when the
    scale is open on a side, e.g. the observed minimum and maximum), as (raw, normalized)."""
    definition = scores_metric(code)
    start = next((v for v in (definition.raw_scale_min, low) if pd.notna(v)), 0.0)
    stop = next((v for v in (definition.raw_scale_max, high) if pd.notna(v)), 1.0)
    stop = stop if stop > start else start + 1.0
    raws = [start + (stop - start) * i / (points - 1) for i in range(points)]
    return pd.DataFrame(
        {"raw": raws, "normalized": [definition.normalize(raw).value for raw in raws]}
    )
