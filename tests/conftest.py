"""Test session: a real embedded PostgreSQL in a temporary folder, real dbt, real Dagster.

The environment is set before any project module is imported, so `orchestration.settings`
(the one place settings are read) points the whole project at the test server. Set
CINEGRAPH_DATABASE_URL to run the suite against an external server instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_TEST_HOME = Path(tempfile.mkdtemp(prefix="cinegraph-test-"))
# The server runs as its own OS user when we are root: it must be able to pass through.
_TEST_HOME.chmod(0o711)
os.environ["CINEGRAPH_DATA_DIR"] = str(_TEST_HOME / "data")
os.environ["CINEGRAPH_PG_PORT"] = str(_free_port())
os.environ["DAGSTER_HOME"] = str(_TEST_HOME / "dagster_home")
os.environ["CINEGRAPH_RATINGS_INBOX"] = str(_TEST_HOME / "inbox")


@pytest.hookimpl(trylast=True)  # after pytest's own, which tears the session fixtures down
def pytest_sessionfinish(session, exitstatus):
    """The session's server has stopped with its fixture: its 2 GB of data go with it."""
    shutil.rmtree(_TEST_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def settings():
    from orchestration.settings import settings as current

    return current()


@pytest.fixture(scope="session")
def warehouse(settings):
    """The started, bootstrapped warehouse; stopped at the end of the session."""
    from orchestration import warehouse as server
    from orchestration.cli.warehouse import start_platform

    start_platform(settings)
    yield settings.warehouse
    server.stop(settings)


@pytest.fixture
def db(warehouse):
    """A psycopg2 connection to the warehouse database."""
    from orchestration.warehouse import connect

    conn = connect(warehouse)
    yield conn
    conn.rollback()
    conn.close()


@pytest.fixture(scope="session")
def dbt_manifest(warehouse):
    from orchestration.dbt_project import dbt_project, prepare_manifest

    prepare_manifest()
    return dbt_project.manifest_path


@pytest.fixture(scope="session")
def defs(dbt_manifest):
    from orchestration.definitions import defs as definitions

    return definitions


@pytest.fixture(scope="session")
def instance(warehouse):
    """The Dagster instance on PostgreSQL storage (dagster-postgres), as `cinegraph` uses it."""
    from orchestration.materialize_all import build_instance

    with build_instance() as dagster_instance:
        yield dagster_instance


@pytest.fixture(scope="session")
def materialize(defs, instance):
    """`materialize(selection, partition_key=..., run_config=..., resources=...)`: one
    in-process run of a selection of the project's assets and checks, the way a job runs it,
    on the session's instance; `resources` replace the project's by key. Asserts success,
    naming the failed steps, unless `check=False`; returns the run's result."""
    import dagster as dg

    def run(selection, *, partition_key=None, run_config=None, resources=None, check=True):
        if not isinstance(selection, dg.AssetSelection):
            selection = dg.AssetSelection.assets(*selection)
        result = dg.materialize(
            [*defs.assets, *(defs.asset_checks or [])],
            selection=selection,
            resources={**defs.resources, **(resources or {})},
            instance=instance,
            partition_key=partition_key,
            run_config=run_config,
            raise_on_error=False,
        )
        if check:
            assert result.success, [
                f"{event.step_key}: {event.event_specific_data.error.message}"
                for event in result.all_events
                if event.is_step_failure
            ]
        return result

    return run


@pytest.fixture(scope="session")
def materialized(defs, instance, warehouse):
    """Every asset materialised once, from an empty warehouse, for the tests that read marts."""
    from orchestration import warehouse as server
    from orchestration.materialize_all import materialize_all
    from orchestration.settings import SCHEMAS

    conn = server.connect(warehouse)
    with conn, conn.cursor() as cur:
        for schema in SCHEMAS:
            cur.execute(f'drop schema if exists "{schema}" cascade')
    conn.close()
    server.bootstrap(warehouse)
    stages = materialize_all(defs, instance)
    failures = [f for stage in stages for f in stage.failures]
    assert all(stage.success for stage in stages), "\n".join(failures)
    return stages
