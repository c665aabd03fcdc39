"""The Dagster-free side stays Dagster-free: importing the serving API, the CLI or a domain
package loads no Dagster, so the console and `cinegraph` start without it. Each import runs in
a fresh interpreter, because this test session may have loaded Dagster itself."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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


def test_cli_loads_no_dagster_and_no_model_packages_until_a_command_runs():
    loaded = loaded_packages("import orchestration.cli")
    assert "orchestration" in loaded
    assert not loaded & {*DAGSTER, "sklearn", "statsmodels"}
