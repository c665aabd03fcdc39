"""The layers stay apart: importing the serving API, the CLI or a domain package loads no
Dagster, so the console and `cinegraph` start without it (each import runs in a fresh
interpreter, because this test session may have loaded Dagster itself), and no module imports
a layer it must not (read from the source, so a lazy import counts too)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_ROOT

pytestmark = pytest.mark.nodb

DAGSTER = {"dagster", "dagster_dbt"}
# Every module of a package, not only its __init__, which may import nothing.
EVERY_MODULE = """
import importlib, pkgutil, {package}
for module in pkgutil.walk_packages({package}.__path__, "{package}."):
    importlib.import_module(module.name)
"""


def loaded_packages(statement: str) -> set[str]:
    """The top-level packages in `sys.modules` after running `statement` in a new interpreter."""
    script = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return {name.split(".")[0] for name in json.loads(output.splitlines()[-1])}


def test_serving_package_loads_no_dagster():
    loaded = loaded_packages("import serving")
    assert "serving" in loaded
    assert not loaded & DAGSTER


@pytest.mark.parametrize("package", ["serving", "ml", "ingest"])
def test_no_module_of_the_package_loads_dagster(package):
    loaded = loaded_packages(EVERY_MODULE.format(package=package))
    assert package in loaded
    assert not loaded & DAGSTER


def test_cli_loads_no_dagster_and_no_heavy_packages_until_a_command_runs():
    # `cinegraph --help` and `status` start in well under a second only while these stay out.
    loaded = loaded_packages("import orchestration.cli")
    assert "orchestration" in loaded
    heavy = {"sklearn", "statsmodels", "pandas", "pydantic", "myfm", "streamlit"}
    assert not loaded & {*DAGSTER, *heavy}


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Each module under `folder` (by path) and the absolute module names it imports."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(PROJECT_ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("orchestration/defs", {"serving"}),
        ("ml", {"serving", "orchestration", *DAGSTER}),
        ("ingest", {"serving", "orchestration", "ml", *DAGSTER}),
        ("serving", {"orchestration.defs", "orchestration.resources", *DAGSTER}),
        ("console", {"orchestration.defs", "orchestration.resources", *DAGSTER}),
        ("serving", {"console", "streamlit"}),
    ],
)
def test_imports_follow_the_layers(folder, forbidden):
    def is_forbidden(name: str) -> bool:
        return any(name == prefix or name.startswith(prefix + ".") for prefix in forbidden)

    breaches = {
        module: sorted(filter(is_forbidden, names))
        for module, names in imported_modules(PROJECT_ROOT / folder).items()
        if any(map(is_forbidden, names))
    }
    assert not breaches
