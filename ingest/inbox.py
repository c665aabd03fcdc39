"""The ratings inbox: the files waiting in it, their content hashes, and the load of one file
into `app.rating_events`.

A file is known by its content hash, so a renamed copy of a loaded file is not new. Each file
is loaded in its own transaction and reported on its own (`FileLoad`). A file that cannot be
loaded, for whatever reason it is, loads nothing and is quarantined: moved to
`<inbox>/rejected/` with a `<name>.reason` beside it (the file, the line where known, the
reason) and recorded in `raw._rejects` (source 'inbox'); the files next to it load as usual.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

from ingest import app_events
from ingest.live import letterboxd
from ingest.loader import replace_rejects
from ingest.schema import MalformedFileError, rejects_frame

REJECTED = "rejected"  # the quarantine folder inside the inbox


def inbox_files(folder: Path) -> list[Path]:
    """The files and folders in the inbox (hidden ones and the quarantine aside), in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.name != REJECTED)


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

    A zip or a folder is a Letterboxd export (its connector reads it); anything else must be
    a MovieLens-format ratings CSV. A file that fails to load, whatever the error, is
    quarantined (`quarantine`) and named in `problem`; only a lost database connection
    propagates, as it says nothing about the file.
    """
    source_file = f"{path.name}#{digest[:12]}"
    if not path.exists():  # a re-executed run whose file was loaded or quarantined since
        return FileLoad(path.name, digest, problem=f"{path}: no longer in the inbox")
    try:
        if path.is_dir() or zipfile.is_zipfile(path):
            months = letterboxd.load_letterboxd_export(conn, path).months
        else:
            frame = app_events.read_movielens_file(path)
            # The content hash names the events, so a renamed copy of a loaded file replaces itself.
            months = app_events.load_rating_events(
                conn, frame, app_events.INBOX_SOURCE, source_file
            ).months
    except (psycopg2.OperationalError, psycopg2.InterfaceError):
        raise
    except Exception as error:  # noqa: BLE001 - any failure is the file's: quarantine it
        conn.rollback()
        line = error.line if isinstance(error, MalformedFileError) else None
        problem = str(error) if isinstance(error, MalformedFileError) else _described(path, error)
        quarantine(conn, path, source_file, problem, line)
        return FileLoad(path.name, digest, problem=problem)
    return FileLoad(path.name, digest, months=list(months))


def _described(path: Path, error: Exception) -> str:
    """An unexpected error as one line naming the file (database errors carry their own)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{path}: {type(error).__name__}: {text}"[:2000]


def quarantine(conn, path: Path, source_file: str, problem: str, line: int | None) -> Path:
    """Move a file that did not load to `<inbox>/rejected/` with a `.reason` beside it and
    record it in raw._rejects, so it is neither lost nor retried; returns its new path."""
    folder = path.parent / REJECTED
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    if target.exists():  # an earlier quarantined file of the same name keeps its place
        target = folder / source_file.replace("#", ".")
    shutil.move(path, target)
    target.with_name(f"{target.name}.reason").write_text(
        f"file: {path.name}\nline: {line if line is not None else 'unknown'}\nreason: {problem}\n"
    )
    rejects = rejects_frame([(line or 0, None, problem)])
    try:
        with conn.cursor() as cur:
            replace_rejects(cur, app_events.INBOX_SOURCE, source_file, rejects)
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return target
