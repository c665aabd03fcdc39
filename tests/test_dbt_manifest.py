"""The manifest is parsed again only when a file dbt parses has changed."""

from __future__ import annotations

import os

from orchestration.dbt_project import manifest_is_current
from orchestration.settings import DBT_PROJECT_DIR


def test_a_parsed_manifest_is_reused_until_a_project_file_changes(dbt_manifest):
    assert manifest_is_current()
    model = next((DBT_PROJECT_DIR / "models").rglob("dim_films.sql"))
    kept = model.stat()
    later = dbt_manifest.stat().st_mtime_ns + 1_000_000_000
    try:
        os.utime(model, ns=(later, later))
        assert not manifest_is_current()
    finally:
        os.utime(model, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert manifest_is_current()


def test_what_dbt_writes_does_not_make_the_manifest_stale(dbt_manifest):
    later = dbt_manifest.stat().st_mtime_ns + 1_000_000_000
    for written in (DBT_PROJECT_DIR / "target" / "run_results.json", DBT_PROJECT_DIR / ".user.yml"):
        written.touch()
        os.utime(written, ns=(later, later))
    assert manifest_is_current()
