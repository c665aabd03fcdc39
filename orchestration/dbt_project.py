"""The dbt project handle, importable without building any asset.

`@dbt_assets` reads the manifest at import time, so the CLI and the tests call
`prepare_manifest()` before they import the definitions; `dbt parse` never runs on import.
"""

from pathlib import Path

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


# What dbt writes into the project folder, as opposed to what it parses (`.user.yml` is its
# usage-tracking id, written into the profiles folder, which is this one).
DBT_OUTPUTS = ("target", "logs", "dbt_packages", ".user.yml")


def _parse_stamp() -> Path:
    return dbt_project.manifest_path.with_name("cinegraph_parsed_for")


def _parsed_for() -> str:
    # Node names in the manifest carry the target's database; the host and the port do not.
    config = settings()
    return f"{config.dbt_target} {config.warehouse.database}"


def manifest_is_current() -> bool:
    """The manifest is newer than every file dbt parses, and was parsed for this target."""
    manifest, stamp = dbt_project.manifest_path, _parse_stamp()
    if not (manifest.exists() and stamp.exists()) or stamp.read_text() != _parsed_for():
        return False
    parsed_at = manifest.stat().st_mtime
    parsed = (top for top in DBT_PROJECT_DIR.iterdir() if top.name not in DBT_OUTPUTS)
    files = (path for top in parsed for path in [top, *top.rglob("*")] if path.is_file())
    return all(path.stat().st_mtime < parsed_at for path in files)


def prepare_manifest() -> None:
    """Write target/manifest.json with `dbt parse`, unless it is current: a parse costs
    every command about 12 s."""
    if manifest_is_current():
        return
    dbt_project.preparer.prepare(dbt_project)
    _parse_stamp().write_text(_parsed_for())
