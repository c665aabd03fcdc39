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


def test_a_manifest_parsed_for_another_server_is_parsed_again(dbt_manifest, monkeypatch):
    """dbt keeps its partial-parse state for one host, port, user and database only: a manifest
    parsed for another would make every dbt command parse the project from scratch."""
    import dataclasses

    from orchestration import dbt_project

    assert manifest_is_current()
    config = dbt_project.settings()
    elsewhere = dataclasses.replace(config, port=config.port + 1, external_url=None)
    monkeypatch.setattr(dbt_project, "settings", lambda: elsewhere)
    assert not manifest_is_current()


def test_the_resource_knows_the_dbt_version_without_asking_dbt():
    import re
    import subprocess

    from orchestration.dbt_project import DBT_EXECUTABLE, dbt_resource

    said = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True).stdout
    assert str(dbt_resource()._cli_version) == re.search(r"(\d+\.\d+\.\d+)", said)[1]


def test_only_the_newest_dbt_command_folders_are_kept(tmp_path):
    """Every dbt command leaves a folder of up to 22 MB under target/; dbt's own files stay."""
    from orchestration.dbt_project import prune_invocations

    commands = [f"dbt_models-{run:07x}-{run + 1:07x}" for run in range(6)] + ["a1b2c3d"]
    for age, name in enumerate(reversed(commands)):
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (1_000_000 + age, 1_000_000 + age))
    for own in ("compiled", "run"):
        (tmp_path / own).mkdir()
    (tmp_path / "manifest.json").write_text("{}")

    prune_invocations(tmp_path, keep=3)

    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == sorted([*commands[:3], "compiled", "run", "manifest.json"])


def test_the_dbt_resource_prunes_the_projects_command_folders(dbt_manifest):
    from orchestration.dbt_project import KEPT_INVOCATIONS, dbt_resource

    target = dbt_manifest.parent
    for run in range(KEPT_INVOCATIONS + 1):
        (target / f"test_prune-{run:07x}-{run:07x}").mkdir(exist_ok=True)
        os.utime(target / f"test_prune-{run:07x}-{run:07x}", (1_000_000 + run, 1_000_000 + run))
    try:
        dbt_resource().cli(["list", "--select", "dim_films", "--quiet"]).wait()
        assert not (target / "test_prune-0000000-0000000").exists()  # the oldest of 11
    finally:
        for fake in target.glob("test_prune-*"):
            fake.rmdir()
