"""A MovieLens archive opened for reading: a zip, an unpacked folder, or the URL of a zip."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from ingest.http import download, is_url
from ingest.schema import SourceFormatError

FILES = ("ratings.csv", "movies.csv", "links.csv", "tags.csv")


class Archive:
    """The CSV files of one archive, opened as text by file name wherever they sit in it."""

    def __init__(self, location: str | Path):
        self.location = location
        self.zip: zipfile.ZipFile | None = None
        self.members: dict[str, str] = {}

    def source_file(self, name: str) -> str:
        return f"{self.location}#{name}" if self.zip else str(Path(self.location) / name)

    @contextmanager
    def open(self, name: str) -> Iterator[io.TextIOBase]:
        if self.zip is not None:
            if name not in self.members:
                raise SourceFormatError(
                    f"{self.location}: the archive has no {name} "
                    f"(found: {', '.join(sorted(self.members)) or 'nothing'})"
                )
            with self.zip.open(self.members[name]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
            return
        path = Path(self.location) / name
        if not path.exists():
            raise SourceFormatError(f"{self.location}: the folder has no {name}")
        with open(path, encoding="utf-8", newline="") as text:
            yield text


@contextmanager
def open_archive(
    location: str | Path, session: requests.Session | None = None
) -> Iterator[Archive]:
    """A zip, a folder or the URL of a zip (downloaded to a temporary folder for the run)."""
    with tempfile.TemporaryDirectory(prefix="cinegraph-movielens-") as scratch:
        if is_url(location):
            path = download(session or requests.Session(), str(location), Path(scratch))
        else:
            path = Path(location)
        archive = Archive(location)
        if path.is_dir():
            yield archive
            return
        if not zipfile.is_zipfile(path):
            raise SourceFormatError(f"{location}: neither a folder nor a zip archive")
        with zipfile.ZipFile(path) as bundle:
            archive.zip = bundle
            archive.members = {
                Path(info.filename).name: info.filename
                for info in bundle.infolist()
                if Path(info.filename).name in FILES and not info.is_dir()
            }
            yield archive
