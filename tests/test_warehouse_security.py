"""The embedded warehouse proves every login: generated passwords in 0600 files, a BI role
that reads the warehouse only, a socket other OS users cannot reach, and Dagster runs that
`cinegraph down` will not kill and that a startup sweep closes when their process is gone."""

from __future__ import annotations

import dataclasses
import json
import os
import pwd
import shutil
import stat
import subprocess
import uuid

import dagster as dg
import psycopg2
import pytest
from dagster._core.events import EngineEventData

from orchestration import warehouse as server
from orchestration.cli import main
from orchestration.cli.warehouse import start_platform
from orchestration.settings import DAGSTER_DATABASE

PROBE_USER = "cinegraph_probe"


def refused(conn) -> bool:
    try:
        server.connect(conn, connect_timeout=5).close()
    except psycopg2.OperationalError:
        return True
    return False


def test_password_files_are_private(settings, warehouse):
    for path in (settings.superuser_password_file, settings.bi_password_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.stat().st_uid == os.geteuid()
        assert len(path.read_text().strip()) >= 24
    assert settings.warehouse.password == settings.superuser_password_file.read_text().strip()


def test_wrong_or_missing_password_is_refused_over_tcp(settings, warehouse):
    assert refused(dataclasses.replace(warehouse, password="wrong"))
    assert refused(dataclasses.replace(warehouse, password=""))
    assert refused(dataclasses.replace(settings.bi_reader, password="bi_reader"))
    assert not refused(settings.bi_reader)


def test_bi_reader_is_kept_to_the_warehouse(settings, warehouse):
    for database in (DAGSTER_DATABASE, "postgres"):
        with pytest.raises(psycopg2.OperationalError, match="CONNECT privilege"):
            server.connect(settings.bi_reader.with_database(database))
    conn = server.connect(settings.bi_reader)
    try:
        with conn.cursor() as cur:
            cur.execute("show statement_timeout")
            assert cur.fetchone() == (server.BI_STATEMENT_TIMEOUT,)
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("create temp table probe (x int)")
    finally:
        conn.close()


def probe(attempts: dict, port: int, settings) -> dict[str, str]:
    outcome = {}
    for name, where in attempts.items():
        try:
            psycopg2.connect(port=port, user="postgres", dbname="postgres", **where).close()
            outcome[name] = "connected"
        except psycopg2.OperationalError as exc:
            outcome[name] = str(exc).strip()
    try:
        settings.superuser_password_file.read_text()
        outcome["password_file"] = "read"
    except OSError as exc:
        outcome["password_file"] = exc.strerror
    return outcome


def as_os_user(name: str, call) -> dict:
    """`call()` in a forked child that has become OS user `name` (this interpreter may live
    where that user cannot read, so no new interpreter); its result comes back as JSON."""
    entry = pwd.getpwnam(name)
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        code = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            os.write(write_end, json.dumps(call()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        result = pipe.read()
    os.waitpid(child, 0)
    return json.loads(result)


def test_another_os_user_cannot_log_in_as_superuser(settings, warehouse):
    if os.geteuid() != 0:
        pytest.skip("needs root to create a second OS user and run the probe as it")
    if shutil.which("useradd") is None:
        pytest.skip("no useradd on this machine")
    try:
        pwd.getpwnam(PROBE_USER)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", PROBE_USER], check=True)
    attempts = {
        "socket": {"host": str(server.socket_dir(settings))},
        "tcp": {"host": "127.0.0.1"},
        "tcp_guess": {"host": "127.0.0.1", "password": "postgres"},
    }
    outcome = as_os_user(PROBE_USER, lambda: probe(attempts, warehouse.port, settings))
    assert "connected" not in outcome.values(), outcome
    assert "Permission denied" in outcome["socket"]
    assert outcome["password_file"] == "Permission denied"


def test_status_prints_the_bi_password_and_never_the_superuser_one(settings, warehouse, capsys):
    main(["status"])
    out = capsys.readouterr().out
    assert settings.bi_reader.password in out
    assert settings.warehouse.password not in out


def test_rotating_the_bi_password(settings, warehouse, capsys):
    before = settings.bi_reader
    assert main(["bi-password", "--rotate"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == settings.bi_reader.password != before.password
    assert refused(before)
    assert not refused(settings.bi_reader)


def _run_with_process(instance: dg.DagsterInstance, pid: int) -> dg.DagsterRun:
    """A run as an executor leaves it mid-way: STARTED, with the PID of its process logged."""
    run = instance.add_run(
        dg.DagsterRun(
            job_name="probe_job", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED
        )
    )
    instance.report_engine_event(
        f"Executing steps in process (pid: {pid})", run, EngineEventData.in_process(pid)
    )
    return run


def test_down_refuses_while_a_run_is_in_progress(settings, warehouse, instance, capsys):
    run = _run_with_process(instance, os.getpid())
    try:
        assert main(["down"]) == 1
        assert run.run_id in capsys.readouterr().err
        assert server.is_running(settings)
    finally:
        instance.delete_run(run.run_id)


def test_startup_marks_runs_of_dead_processes_failed(settings, warehouse, instance):
    gone = subprocess.Popen(["true"])
    gone.wait()
    orphan = _run_with_process(instance, gone.pid)
    live = _run_with_process(instance, os.getpid())
    try:
        swept = start_platform(settings)
        assert orphan.run_id in swept and live.run_id not in swept
        assert instance.get_run_by_id(orphan.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(live.run_id).status == dg.DagsterRunStatus.STARTED
        failure = instance.get_records_for_run(
            orphan.run_id, of_type=dg.DagsterEventType.RUN_FAILURE
        ).records
        assert f"pid {gone.pid}" in failure[0].event_log_entry.dagster_event.message
    finally:
        instance.delete_run(orphan.run_id)
        instance.delete_run(live.run_id)
