"""Opening a dataset file, local or remote, as decompressed text read lazily, and turning
low-level read failures into one message that names the file."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import urllib3.exceptions

from ingest.http import is_url, open_stream
from ingest.schema import SourceFormatError


@contextmanager
def open_text(source_file: str, session: requests.Session) -> Iterator[io.TextIOBase]:
    """A local or remote .tsv.gz as decompressed text, read lazily."""
    if is_url(source_file):
        with open_stream(session, source_file) as response:
            yield _gzip_text(response.raw, source_file)
        return
    path = Path(source_file)
    if not path.exists():
        raise FileNotFoundError(f"{source_file}: no such IMDb dataset file")
    with open(path, "rb") as raw:
        yield _gzip_text(raw, source_file)


def _gzip_text(raw, source_file: str) -> io.TextIOBase:
    binary = io.BufferedReader(raw) if not hasattr(raw, "peek") else raw
    start = binary.peek(64)[:64]
    if not start.startswith(b"\x1f\x8b"):
        what = "an HTML page" if start.lstrip().startswith(b"<") else "not gzip data"
        raise SourceFormatError(
            f"{source_file}: expected a gzipped TSV but this is {what} (starts with {start[:40]!r})"
        )
    return io.TextIOWrapper(gzip.GzipFile(fileobj=binary), encoding="utf-8", newline="")


@contextmanager
def readable_errors(source_file: str) -> Iterator[None]:
    """Turn low-level read failures into one message that names the file."""
    try:
        yield
    except EOFError:
        raise SourceFormatError(
            f"{source_file}: the gzip stream ends early (truncated download?); nothing was "
            "loaded, the previous table is intact"
        ) from None
    except (zlib.error, gzip.BadGzipFile, UnicodeDecodeError) as error:
        raise SourceFormatError(
            f"{source_file}: corrupt data ({error}); nothing was loaded"
        ) from None
    except (urllib3.exceptions.HTTPError, requests.RequestException) as error:
        raise SourceFormatError(
            f"{source_file}: the download failed ({type(error).__name__}); nothing was loaded"
        ) from None
