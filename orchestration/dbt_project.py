"""The dbt project handle, importable without building any asset.

`@dbt_assets` reads the manifest at import time, so the CLI and the tests call
`prepare_manifest()` before they import the definitions; `dbt parse` never runs on import.
"""

import re
import shutil
import sys
from collections.abc import Callable
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.dbt_project import using_dagster_dev
from packaging.version import Version

from orchestration.settings import DBT_PROJECT_DIR, settings

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

# The dbt installed beside this interpreter, whatever else PATH holds.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

# What dbt writes into the project folder, as opposed to what it parses (`.user.yml` is its
# usage-tracking id, written into the profiles folder, which is this one).
DBT_OUTPUTS = ("target", "logs", "dbt_packages", ".user.yml")


# dagster-dbt gives every dbt command a folder of its own under target/ (`<op>-<run>-<id>`, or
# `<id>` outside a run) holding a copy of the manifest, the compiled SQL, the run results and
# the log: up to 22 MB a command, so a day of schedules or one test suite fills gigabytes.
INVOCATION_FOLDER = re.compile(r"(?:.+-[0-9a-f]{7}-)?[0-9a-f]{7}")
KEPT_INVOCATIONS = 10


def prune_invocations(target: Path, keep: int = KEPT_INVOCATIONS) -> None:
    """Remove all but the `keep` newest dbt command folders in `target`; dbt's own files
    (manifest, partial-parse state) stay."""
    folders = [
        path
        for path in target.glob("*")
        if path.is_dir() and INVOCATION_FOLDER.fullmatch(path.name)
    ]
    folders.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in folders[keep:]:
        shutil.rmtree(stale, ignore_errors=True)


class DbtResource(DbtCliResource):
    """The dbt CLI of this interpreter's environment, keeping the newest command folders.

    dagster-dbt asks the executable for its version (`dbt --version`, 3 s of imports) once per
    run; the executable is the one installed beside this interpreter, so the installed
    dbt-core's version is the answer.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def cli(self, args, **kwargs):
        prune_invocations(DBT_PROJECT_DIR / dbt_project.target_path)  # relative to the project
        return super().cli(args, **kwargs)


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target=settings().dbt_target)


def dbt_resource() -> DbtResource:
    # The parse and every run start dbt alike (same project, --target, profiles and
    # executable): dbt re-parses the whole project when they differ.
    return DbtResource(
        project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE
    )


def window_env(start: str, end: str) -> dict[str, str]:
    """A monthly run's half-open partition window [start, end), as the environment dbt reads
    it from (dbt_project/macros/month_window.sql: --vars would cost a full re-parse a month)."""
    return {"CINEGRAPH_WINDOW_START": start, "CINEGRAPH_WINDOW_END": end}


def _parse_stamp() -> Path:
    return dbt_project.manifest_path.with_name("cinegraph_parsed_for")


def _parsed_for() -> str:
    # dbt keeps its partial-parse state only for the connection it was parsed for (host, port,
    # user, database; not the password): on any other, every command parses from scratch.
    config = settings()
    conn = config.warehouse
    return f"{config.dbt_target} {conn.user}@{conn.host}:{conn.port}/{conn.database}"


def manifest_is_current() -> bool:
    """The manifest is newer than every file dbt parses, and was parsed for this target and
    connection."""
    manifest, stamp = dbt_project.manifest_path, _parse_stamp()
    if not (manifest.exists() and stamp.exists()) or stamp.read_text() != _parsed_for():
        return False
    parsed_at = manifest.stat().st_mtime
    parsed = (top for top in DBT_PROJECT_DIR.iterdir() if top.name not in DBT_OUTPUTS)
    files = (path for top in parsed for path in [top, *top.rglob("*")] if path.is_file())
    return all(path.stat().st_mtime < parsed_at for path in files)


def start_parse() -> Callable[[], None]:
    """Start `dbt parse` unless the manifest is current; what it returns waits for the parse.

    Not dagster-dbt's preparer: it also marks every seed as changed in dbt's partial-parse
    state, for a manifest parsed in one folder and run from another. This project is parsed
    where it runs, and that mark made every dbt command re-parse the seeds and the models that
    read them (4 s a command). A parse reads files and the connection's settings but never
    connects, so `cinegraph materialize` runs it while the warehouse starts.
    """
    if manifest_is_current():
        return lambda: None
    parsing = dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path)

    def finished() -> None:
        parsing.wait()
        _parse_stamp().write_text(_parsed_for())

    return finished


def prepare_manifest() -> None:
    """Write target/manifest.json with `dbt parse`, unless it is current: a parse costs
    every command about 12 s."""
    start_parse()()


def prepare_if_dev() -> None:
    """Under `dagster dev`, parse before the definitions read the manifest."""
    if using_dagster_dev():
        prepare_manifest()
