"""The suite's own layout: every file runs alone and in any company. `.ci/run` also collects
each test file in a process of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

TESTS = Path(__file__).resolve().parent
MODULES = sorted(TESTS.rglob("*.py"))


def test_every_folder_of_the_suite_is_a_package():
    """Otherwise pytest imports its modules by file name, and two `test_api.py` or two
    conftests in different folders collide."""
    folders = {path.parent for path in MODULES if "fixtures" not in path.parts}
    assert (
        sorted(str(f.relative_to(TESTS)) for f in folders if not (f / "__init__.py").exists()) == []
    )


def test_no_module_imports_a_conftest():
    """`from conftest import X` reads whichever conftest was imported last: shared values
    belong in tests/support."""
    offenders = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [
                f"{path.relative_to(TESTS)}: {name}"
                for name in names
                if name.split(".")[-1] == "conftest"
            ]
    assert offenders == []
