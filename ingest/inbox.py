"""The ratings inbox: the files waiting in it, their content hashes, and the load of one file
into `app.rating_events`.

A file is known by its content hash, so a renamed copy of a loaded file is not new. Each file
is loaded in its own transaction and reported on its own (`FileLoad`): a malformed file loads
nothing and says why, and the files next to it load as usual.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest import app_events
from ingest.live import letterboxd


def inbox_files(folder: Path) -> list[Path]:
    """The files and folders in the inbox (hidden ones aside), in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def content_hash(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files (names and contents, in name order)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(path)).encode() if path.is_dir() else b"")
        digest.update(file.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class FileLoad:
    """What loading one inbox file did: the rating months it touched, or why it loaded nothing."""

    name: str
    digest: str
    months: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def loaded(self) -> bool:
        return self.problem is None


def load_inbox_file(conn, path: Path, digest: str) -> FileLoad:
    """Load one inbox file into app.rating_events, in one transaction.

    A Letterboxd export (zip or folder) goes to its connector; anything else must be a
    MovieLens-format ratings CSV. A malformed file loads nothing and names the file and the
    line in `problem`; any other error propagates.
    """
    try:
        if letterboxd.is_letterboxd_export(path):
            months = letterboxd.load_letterboxd_export(conn, path).months
        else:
            frame = app_events.read_movielens_file(path)
            # The content hash names the events, so a renamed copy of a loaded file replaces itself.
            source_file = f"{path.name}#{digest[:12]}"
            months = app_events.load_rating_events(
                conn, frame, app_events.INBOX_SOURCE, source_file
            ).months
    except app_events.MalformedFileError as error:
        return FileLoad(path.name, digest, problem=str(error))
    return FileLoad(path.name, digest, months=list(months))
