"""HTTP plumbing the connectors share: retrying sessions, a rate limit, a response cache,
downloads, and keeping secrets out of logs.

Retries are urllib3's `Retry` mounted on a `requests.Session`: exponential backoff with
jitter on 5xx, connection errors and read timeouts, and on 429 it waits what `Retry-After`
asks. Other 4xx answers (401, 404) are never retried: asking again cannot fix them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

RETRY_STATUSES = (429, 500, 502, 503, 504)
USER_AGENT = "cinegraph-connectors/0.1"
DOWNLOAD_CHUNK = 1 << 20

# urllib3 logs request lines, query strings included, at DEBUG; so may our own loggers.
SECRET_LOGGERS = ("urllib3.connectionpool", "urllib3.util.retry", "ingest")


class DownloadError(RuntimeError):
    """A download answered with something that is not the data (an error page, a status)."""


def retrying_session(
    max_retries: int = 5, backoff_s: float = 0.5, backoff_max_s: float = 30.0
) -> requests.Session:
    """A session that retries idempotent requests on transient failures."""
    retry = Retry(
        total=max_retries,
        connect=max_retries,
        read=max_retries,
        status=max_retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=backoff_s,
        backoff_max=backoff_max_s,
        backoff_jitter=backoff_s,
        respect_retry_after_header=True,
        # After the last retry hand back the failing response, so the caller can name it.
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


class RateLimiter:
    """At most `per_second` calls per second: each call waits for its slot."""

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second
        self.next_slot = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            delay = self.next_slot - now
            self.next_slot = max(now, self.next_slot) + self.interval
        if delay > 0:
            time.sleep(delay)


class ResponseCache:
    """JSON responses on disk, reused while younger than a TTL.

    Keys are hashed from what identifies a request *without* its credentials, so cache files
    never hold a secret and a rotated key keeps its cache.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @staticmethod
    def key(*parts: object) -> str:
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, ttl_s: float) -> object | None:
        path = self._path(key)
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            return None
        if age > ttl_s:
            return None
        return json.loads(path.read_text())

    def put(self, key: str, value: object) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves half a file that later reads as a hit.
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            json.dump(value, tmp)
        os.replace(tmp.name, path)


class _SecretFilter(logging.Filter):
    """Masks registered secrets in every record of the loggers it is attached to."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            masked = redact(message, self.secrets)
            if masked != message:
                record.msg, record.args = masked, ()
        return True


_secret_filter = _SecretFilter()
for _name in SECRET_LOGGERS:
    logging.getLogger(_name).addFilter(_secret_filter)


def protect_secrets(*secrets: str | None) -> None:
    """Mask these values in urllib3's and our own log records from now on."""
    _secret_filter.secrets.update(s for s in secrets if s)


def redact(text: str, secrets: set[str] | tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def is_url(location: str | Path) -> bool:
    return str(location).startswith(("http://", "https://"))


def join_location(location: str | Path, name: str) -> str | Path:
    """A file inside a folder or under a URL prefix."""
    if is_url(location):
        return str(location).rstrip("/") + "/" + name
    return Path(location) / name


def open_stream(session: requests.Session, url: str, timeout_s: float = 60.0) -> requests.Response:
    """GET a large file as a stream; refuse error statuses and HTML pages before reading it."""
    response = session.get(url, stream=True, timeout=timeout_s)
    if response.status_code != 200:
        response.close()
        raise DownloadError(f"{url}: the server answered HTTP {response.status_code}")
    if "text/html" in response.headers.get("Content-Type", ""):
        response.close()
        raise DownloadError(f"{url}: the server sent an HTML page, not the data file")
    # Readers wrapped around `raw` (gzip, io) may read again at the end: keep it open.
    response.raw.auto_close = False
    return response


def download(session: requests.Session, url: str, folder: Path, timeout_s: float = 60.0) -> Path:
    """Stream `url` into `folder` (for files read by random access, such as zips)."""
    target = Path(folder) / url.rstrip("/").rsplit("/", 1)[-1]
    with open_stream(session, url, timeout_s) as response, open(target, "wb") as out:
        for block in response.iter_content(DOWNLOAD_CHUNK):
            out.write(block)
    return target


def display_location(location: str | Path) -> str:
    """A location safe to show: a URL loses any user, password and query string."""
    if not is_url(location):
        return str(location)
    parts = urlsplit(str(location))
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
