"""The console in a real browser: `cinegraph console` as a subprocess against the test
warehouse, every page opened in headless system Chromium, no Streamlit exception block, and
a screenshot per page under tests/artifacts/console/ (gitignored)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from console.browser import CHROMIUM, PAGES, visit_pages
from orchestration.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "console"
START_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, "cinegraph console exited"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the console did not answer at {url} in {START_TIMEOUT_S} s")


@pytest.fixture
def console_url(materialized, tmp_path):
    port = free_port()
    log = (tmp_path / "console.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "cinegraph"), "console", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs the system chromium package")
def test_every_page_renders_in_chromium(console_url):
    visits = visit_pages(console_url, ARTIFACTS)
    assert [visit.page for visit in visits] == list(PAGES)
    for visit in visits:
        assert not visit.exceptions, (visit.page, visit.exceptions)
        assert not visit.errors, (visit.page, visit.errors)
        assert visit.screenshot.stat().st_size > 20_000  # a blank page is a few kB
