"""The dbt project handle, importable without building any asset.

`@dbt_assets` reads the manifest at import time, so the CLI and the tests call
`prepare_manifest()` before they import the definitions; `dbt parse` never runs on import.
"""

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR, settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target=settings().dbt_target)

# Models that follow the monthly rating partitions (incrementals and the views they read).
MONTHLY_SELECTOR = "tag:monthly"

# What a new rating month changes outside its own partition: the cohort tables built from
# fct_ratings. Models that do not read the ratings (film lists, credits, IMDb) keep their
# rows, and views over incremental tables need no rebuild. `cohort_refresh_job` and
# bench/cohorts.py run exactly this selection, so the benchmark measures the product.
COHORT_REFRESH_SELECT = (
    "fct_ratings+,path:models/marts/cohorts fct_ratings+,path:models/intermediate/cohorts"
)
COHORT_REFRESH_EXCLUDE = f"{MONTHLY_SELECTOR} config.materialized:view"


def window_env(start: str, end: str) -> dict[str, str]:
    """A monthly run's half-open partition window [start, end), as the environment dbt reads
    it from (dbt_project/macros/month_window.sql: --vars would cost a full re-parse a month)."""
    return {"CINEGRAPH_WINDOW_START": start, "CINEGRAPH_WINDOW_END": end}


def prepare_manifest() -> None:
    """Write target/manifest.json (runs `dbt parse`)."""
    dbt_project.preparer.prepare(dbt_project)
