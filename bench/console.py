"""Console figures: each page's data calls on its default view, with a warm connection as
the console's own role, uncached (what a page costs when Streamlit's cache is cold).

console_<page>_p95_ms   p95 over REPEATS runs of the page's reads (target < 200 ms)
console_page_p95_ms     the worst page's p95

The calls are `console.views` (and, for the casting page, one slate from the loaded model),
the same functions the pages call. Loading the casting model happens once per model run (a
cached resource), not per page view, so it is left out.
"""

from __future__ import annotations

import statistics

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse, timed

REPEATS = 30
WARMUP = 3


def page_calls(conn) -> dict:
    """page -> a call reading what that page shows on its default view."""
    from console import views
    from serving import metrics, people
    from serving.casting import Brief, latest_model, recommend
    from serving.cohorts import film_histograms

    model, run = latest_model(conn)
    era = model.data.era
    brief = Brief(era.last_year + 1, 40.0, (era.known_genres[0],))

    def films():
        view = views.films(conn, views.DEFAULT_PROFILE, 50, views.DEFAULT_MIN_COVERAGE)
        first = int(view.board["film_id"].iloc[0])
        views.explained(conn, first, views.DEFAULT_PROFILE)
        metrics.metric_history(conn, first)

    def metrics_admin():
        views.metrics_admin(conn)
        top = views.films(conn, views.DEFAULT_PROFILE, 50, views.DEFAULT_MIN_COVERAGE).board
        metrics.get_profile(conn, views.DEFAULT_PROFILE)
        metrics.profile_history(conn, views.DEFAULT_PROFILE)
        views.explained(conn, int(top["film_id"].iloc[0]), views.DEFAULT_PROFILE)

    def people_page():
        top = people.top_people(conn, "director", 20)
        people.person_profile(conn, int(top["person_id"].iloc[0]))
        views.gravitas(conn)

    def cohorts():
        views.cohort_choices(conn)
        view = views.cohorts_page(conn, "all", "bayesian", 50, 1900, 2030)
        film_histograms(conn, int(view.rankings["film_id"].iloc[0]))

    return {
        "films": films,
        "metrics": metrics_admin,
        "people": people_page,
        "cohorts": cohorts,
        "casting": lambda: recommend(model, brief, run["run_id"]),
        "picks": lambda: views.picks_page(conn, views.pick_users(conn)[0]),
    }


def p95_ms(call, conn) -> float:
    timings = []
    for index in range(WARMUP + REPEATS):
        seconds, _ = timed(call)
        conn.rollback()  # as the console returns a connection to its pool
        if index >= WARMUP:
            timings.append(seconds * 1000)
    return statistics.quantiles(timings, n=20)[-1]


def run() -> dict[str, float]:
    from orchestration import warehouse
    from orchestration.settings import settings

    started_warehouse(needs="marts.film_scores").close()
    conn = warehouse.connect(settings().console_app)
    try:
        figures = {
            f"console_{page}_p95_ms": round(p95_ms(call, conn), 1)
            for page, call in page_calls(conn).items()
        }
    finally:
        conn.close()
    figures["console_page_p95_ms"] = max(figures.values())
    return figures
