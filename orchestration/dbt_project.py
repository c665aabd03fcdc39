"""The dbt project handle, importable without building any asset.

`@dbt_assets` reads the manifest at import time, so the CLI and the tests call
`prepare_manifest()` before they import the definitions; `dbt parse` never runs on import.
"""

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR, settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target=settings().dbt_target)


def prepare_manifest() -> None:
    """Write target/manifest.json (runs `dbt parse`)."""
    dbt_project.preparer.prepare(dbt_project)
