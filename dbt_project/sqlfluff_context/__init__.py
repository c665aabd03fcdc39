"""dbt's context functions as sqlfluff's jinja templater should see them.

sqlfluff's own dbt builtins render every `var()` as the string "item", which breaks the
models that compute with a var's numeric default, and have no `env_var` or `run_started_at`.
These stand-ins render what `dbt build` renders without `--vars` or CINEGRAPH_* variables, so
linting needs neither a database nor a dbt parse.
"""

from pathlib import Path

import yaml

_PROJECT_VARS = yaml.safe_load((Path(__file__).parents[1] / "dbt_project.yml").read_text())["vars"]
_NO_DEFAULT = object()

run_started_at = "2000-01-01 00:00:00+00:00"


def var(name, default=_NO_DEFAULT):
    return _PROJECT_VARS[name] if default is _NO_DEFAULT else default


def env_var(name, default=""):
    return default
