"""A second embedded server, made the way earlier versions made it (trust for everyone, a
fixed BI password), to check what `cinegraph up` does with old, stale or broken folders."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest

from orchestration import warehouse as server
from orchestration.cli import main
from orchestration.cli import warehouse as cli_warehouse
from orchestration.settings import BI_ROLE, Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def folder_settings(data_dir: Path, port: int | None = None) -> Settings:
    return Settings(
        data_dir=data_dir,
        port=port or free_port(),
        external_url=None,
        dbt_target="dev",
        ratings_inbox=data_dir / "inbox",
    )


@pytest.fixture(scope="module")
def home():
    base = Path(tempfile.mkdtemp(prefix="cinegraph-lifecycle-"))
    base.chmod(0o711)  # the server's OS user passes through, as under the test session's home
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def trusting(home):
    """A running server whose folder trusts every local login, with the old BI password."""
    config = folder_settings(home / "old")
    config.data_dir.mkdir(mode=0o711)
    server._prepare_dir(config.pgdata)
    done = server._run_as_postgres(
        [server._bin("initdb"), "-D", str(config.pgdata), "-U", "postgres", "--auth=trust"]
    )
    assert done.returncode == 0, done.stderr
    server._start_embedded(config)
    admin = server.connect(config.warehouse.with_database("postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"create role {BI_ROLE} login password '{BI_ROLE}'")
    admin.close()
    yield config
    server.stop(config)


def test_up_moves_a_trusting_folder_to_passwords(trusting):
    assert not trusting.superuser_password_file.exists()
    server.start(trusting)
    assert (trusting.pgdata / "pg_hba.conf").read_text() == server.PG_HBA
    assert stat.S_IMODE(trusting.superuser_password_file.stat().st_mode) == 0o600
    conn = trusting.warehouse
    for wrong in ("", "postgres"):
        with pytest.raises(psycopg2.OperationalError):
            server.connect(dataclasses.replace(conn, password=wrong), connect_timeout=5)
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        server.connect(dataclasses.replace(trusting.bi_reader, password=BI_ROLE))
    server.connect(trusting.bi_reader).close()
    server.connect(conn).close()
    server.start(trusting)  # a second start finds nothing to migrate
    server.connect(conn).close()


def test_a_stale_pid_file_naming_a_live_process_is_not_a_server(trusting):
    server.start(trusting)
    server.stop(trusting)
    # An unrelated process of the server's own OS user, whose PID the old file names.
    user = {"user": server.PG_SYSTEM_USER} if os.geteuid() == 0 else {}
    unrelated = subprocess.Popen(["sleep", "120"], **user)
    try:
        (trusting.pgdata / "postmaster.pid").write_text(f"{unrelated.pid}\n{trusting.pgdata}\n")
        assert not server.is_running(trusting)
        began = time.monotonic()
        server.start(trusting)
        assert time.monotonic() - began < 25
        assert server.is_running(trusting)
        assert unrelated.poll() is None
    finally:
        unrelated.kill()
        unrelated.wait()


def test_a_busy_port_is_one_clear_line(trusting, monkeypatch, capsys):
    server.stop(trusting)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        busy = dataclasses.replace(trusting, port=squatter.getsockname()[1])
        with pytest.raises(server.WarehouseError, match=r"^port \d+ on 127.0.0.1 is in use") as exc:
            server.start(busy)
        assert "\n" not in str(exc.value)
        monkeypatch.setattr(cli_warehouse, "settings", lambda: busy)
        assert main(["up"]) == 2
    assert capsys.readouterr().err == f"cinegraph: {exc.value}\n"


def test_an_unwritable_data_folder_is_one_clear_line(home):
    blocker = home / "not-a-folder"
    blocker.write_text("")
    config = folder_settings(blocker / "data")
    with pytest.raises(server.WarehouseError, match="cannot write the data folder") as exc:
        server.start(config)
    assert "\n" not in str(exc.value) and str(config.data_dir) in str(exc.value)


def test_parent_folders_are_never_widened(home):
    if os.geteuid() != 0:
        pytest.skip("the server runs as another OS user only when we are root")
    private = home / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    config = folder_settings(private / "data")
    with pytest.raises(server.WarehouseError, match=f"cannot enter {private} ") as exc:
        server.start(config)
    assert "x" in str(exc.value) and server.PG_SYSTEM_USER in str(exc.value)
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert stat.S_IMODE(home.stat().st_mode) == 0o711
