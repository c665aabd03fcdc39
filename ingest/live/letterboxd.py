"""A Letterboxd account export (Settings > Import & Export), as a zip or an unpacked folder.

The export holds `profile.csv` (the username and favourite films), `ratings.csv` (the
current rating of each rated film), `diary.csv` (every logged watch, with a Rewatch flag),
`watched.csv` and `likes/films.csv`. It becomes one app rating event per film the user
rated, liked, favourited or rewatched (`ingest.app_events`, source 'letterboxd'):

- rating: the film's rating in ratings.csv (Letterboxd's current rating), else null;
- liked / favorite / rewatch: listed in likes, among the profile's favourites, or logged
  as a rewatch in the diary;
- event_at: the rating date, else the like date, else the last diary watch, else the
  watched date.

Films watched without any of these are not events (nothing to count); their number is
reported. Letterboxd exports carry no IMDb or TMDb ids, so each event names its film by
title and year and `fct_ratings` matches it through the identity layer, sending films it
cannot match to `marts.rating_rejects`. The user becomes an app user (handle
'letterboxd:<username>') and a member of the 'letterboxd' cohort. A newer export of the
same user replaces the older one's events: an export is a full snapshot.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ingest import app_events
from ingest.parsing import Conversion, decode_text, delimited_records

SOURCE = "letterboxd"
COHORT = "letterboxd"
COHORT_DESCRIPTION = "Users who imported a Letterboxd export"
FILM_COLUMNS = ["Date", "Name", "Year", "Letterboxd URI"]
# Required columns per file. profile.csv may also have "Favorite Films" (links, comma-separated).
FILES = {
    "profile.csv": ["Date Joined", "Username"],
    "ratings.csv": [*FILM_COLUMNS, "Rating"],
    "diary.csv": [*FILM_COLUMNS, "Rating", "Rewatch", "Watched Date"],
    "watched.csv": FILM_COLUMNS,
    "likes/films.csv": FILM_COLUMNS,
}
DATE = ["%Y-%m-%d"]


@dataclass(frozen=True)
class LetterboxdExport:
    username: str
    events: pd.DataFrame  # app_events.EVENT_COLUMNS except user_id
    watched_only: int  # films watched with no rating, like, favourite or rewatch
    unnamed_favorites: int  # favourites the export names by link only, in no other file


@dataclass(frozen=True)
class LetterboxdLoad:
    """What one export load did; `rows` and `months` as in `app_events.LoadedEvents`."""

    username: str
    user_id: int
    rows: int
    months: list[str]
    watched_only: int
    unnamed_favorites: int


# Limits on what an export may hold, checked before a byte is decompressed and again while
# reading: a real export is a few files of a few MB, so more is an archive bomb or the
# wrong file. Nothing is extracted to disk; members are read in memory.
MAX_MEMBERS = 64
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_USERNAME = 64  # Letterboxd's own limit is 15 characters
ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ")
PROFILE = "profile.csv"


def _refuse(path: Path, reason: str) -> app_events.MalformedFileError:
    return app_events.MalformedFileError(path, None, reason)


def _members(path: Path) -> dict[str, bytes]:
    """The export's files by their name inside it (a zip's members, a folder's relative
    paths), read in memory within MAX_MEMBERS and MAX_TOTAL_BYTES; nested archives refused."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        entries = [(str(f.relative_to(path)), f.stat().st_size, f.read_bytes) for f in files]
        return _within_limits(path, entries)
    try:
        with zipfile.ZipFile(path) as bundle:
            infos = [info for info in bundle.infolist() if not info.is_dir()]
            entries = [
                (info.filename, info.file_size, lambda info=info: _read_member(bundle, info))
                for info in infos
            ]
            return _within_limits(path, entries)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise _refuse(path, f"a damaged or unsupported zip: {error}") from None


def _read_member(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # Read one byte past the declared size: a member that lies about its size fails here.
    with bundle.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} is larger than its declared size")
    return data


def _within_limits(path: Path, entries: list) -> dict[str, bytes]:
    if len(entries) > MAX_MEMBERS:
        raise _refuse(path, f"{len(entries)} files, more than a Letterboxd export's {MAX_MEMBERS}")
    declared = sum(size for _, size, _ in entries)
    if declared > MAX_TOTAL_BYTES:
        raise _refuse(
            path,
            f"{declared:,} bytes uncompressed, more than the {MAX_TOTAL_BYTES:,} a "
            "Letterboxd export may hold",
        )
    members = {}
    for name, _, read in entries:
        if name.lower().endswith(ARCHIVE_SUFFIXES):
            raise _refuse(path, f"holds another archive ({name}); unpack it and add its export")
        data = read()
        if data.startswith(ARCHIVE_MAGIC):
            raise _refuse(path, f"holds another archive ({name}); unpack it and add its export")
        members[name.replace("\\", "/")] = data
    return members


def _export_root(names) -> str | None:
    """The folder prefix holding profile.csv, at the top or one level down (zips often nest)."""
    for name in sorted(names, key=lambda n: n.count("/")):
        if name == PROFILE or (name.endswith(f"/{PROFILE}") and name.count("/") == 1):
            return name.removesuffix(PROFILE)
    return None


def is_letterboxd_export(path: str | Path) -> bool:
    """True for a zip or folder that looks like a Letterboxd export (the inbox sensor asks)."""
    path = Path(path)
    if path.is_dir():
        return (path / PROFILE).exists() or any(path.glob(f"*/{PROFILE}"))
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as bundle:
        names = {Path(name).name for name in bundle.namelist()}
    return {"profile.csv", "watched.csv"} <= names


def read_letterboxd_export(path: str | Path) -> LetterboxdExport:
    """Parse an export; anything malformed raises `MalformedFileError` naming the export, the
    file inside it and, where known, the line."""
    path = Path(path)
    if not path.is_dir() and not zipfile.is_zipfile(path):
        raise app_events.MalformedFileError(path, 1, "not a zip or a folder")
    members = _members(path)
    root = _export_root(members)
    if root is None:
        raise _refuse(path, "no profile.csv: not a Letterboxd export")
    tables = {
        name: _read(members[root + name], path / (root + name), required)
        for name, required in FILES.items()
        if root + name in members
    }
    profile = tables.pop("profile.csv")
    where = path / (root + PROFILE)
    if len(profile) != 1 or pd.isna(profile["username"].iloc[0]):
        raise app_events.MalformedFileError(where, 2, "expected one profile row with a Username")
    if len(profile["username"].iloc[0]) > MAX_USERNAME:
        raise app_events.MalformedFileError(
            where, 2, f"the Username is longer than {MAX_USERNAME} characters"
        )
    return _events(profile.iloc[0], tables)


def _read(data: bytes, source_file: Path, required: list[str]) -> pd.DataFrame:
    """One CSV of the export, typed; the first bad record fails the whole export. `source_file`
    names it as the user knows it: the export's path, then the file's name inside it."""
    records = delimited_records(decode_text(data, source_file), source_file, required)
    c = Conversion(records)
    given = set(records.frame.columns)
    frame = pd.DataFrame(index=records.frame.index)
    if "Username" in given:
        c.require("Username")
        frame["username"] = c.text("Username")
        frame["joined"] = _utc(c.dates("Date Joined", DATE))
        frame["favorite_films"] = c.text("Favorite Films") if "Favorite Films" in given else pd.NA
    if "Name" in given:
        c.require("Name")
        frame["name"] = c.text("Name")
        frame["year"] = c.year("Year")
        frame["uri"] = c.text("Letterboxd URI")
        frame["date"] = _utc(c.dates("Date", DATE))
    if "Rating" in given:
        rating = c.number("Rating", minimum=0.5, maximum=5.0)
        c.fail(rating.notna() & ((rating * 2) % 1 != 0), "Rating is not a whole or half star")
        frame["rating"] = rating
    if "Rewatch" in given:
        frame["rewatch"] = c.flag("Rewatch", "Yes", "").fillna(False).astype(bool)
        frame["watched_date"] = _utc(c.dates("Watched Date", DATE))
    failures = pd.concat([records.rejects.set_index("row_number")["reason"], c.reason.dropna()])
    if not failures.empty:
        failures = failures.sort_index()
        # Record n is line n + 1 (the header is line 1).
        line = int(failures.index[0]) + 1
        raise app_events.MalformedFileError(source_file, line, str(failures.iloc[0]))
    return frame.reset_index(drop=True)


def _utc(dates: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(dates["date"]).dt.tz_localize("UTC")


FILM = ["name", "year"]


def _latest(frame: pd.DataFrame | None, **columns: tuple[str, str]) -> pd.DataFrame:
    """Aggregate one file per film (title and year); an absent file gives no rows."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=list(columns), index=pd.MultiIndex.from_tuples([], names=FILM))
    return frame.groupby(FILM).agg(**columns)


def _favorite_links(field: object) -> set[str]:
    """The film links of profile.csv's "Favorite Films"; none when it is empty or absent
    (null, which no truth test may see: `bool(pd.NA)` raises)."""
    if pd.isna(field):
        return set()
    return {link.strip() for link in str(field).split(",") if link.strip()}


def _events(profile: pd.Series, tables: dict[str, pd.DataFrame]) -> LetterboxdExport:
    """One event per film rated, liked, favourited or rewatched (see the module docstring)."""
    per_film = pd.concat(
        [
            _latest(tables.get("ratings.csv"), rating=("rating", "last"), rated_at=("date", "max")),
            _latest(tables.get("likes/films.csv"), liked_at=("date", "max")),
            _latest(
                tables.get("diary.csv"),
                rewatch=("rewatch", "any"),
                last_watch=("watched_date", "max"),
            ),
            _latest(tables.get("watched.csv"), watched_at=("date", "max")),
        ],
        axis=1,
    ).sort_index()

    # Favourites are film links; ratings, likes and watched say which film each link is.
    links = pd.concat(
        [
            tables[name]
            for name in ("ratings.csv", "likes/films.csv", "watched.csv")
            if name in tables
        ]
        or [pd.DataFrame(columns=["uri", *FILM])]
    )
    favorite_links = _favorite_links(profile.get("favorite_films"))
    favorites = links[links["uri"].isin(favorite_links)].set_index(FILM).index

    per_film["liked"] = per_film["liked_at"].notna()
    per_film["favorite"] = per_film.index.isin(favorites)
    per_film["rewatch"] = per_film["rewatch"].astype("boolean").fillna(False).astype(bool)
    is_event = (
        per_film["rating"].notna() | per_film["liked"] | per_film["favorite"] | per_film["rewatch"]
    )
    events = per_film[is_event].reset_index()
    event_at = (
        events["rated_at"]
        .fillna(events["liked_at"])
        .fillna(events["last_watch"])
        .fillna(events["watched_at"])
        .fillna(profile["joined"])
    )
    frame = pd.DataFrame(
        {
            "source_row": range(1, len(events) + 1),
            "film_title": events["name"].astype("string"),
            "film_year": events["year"].astype("Int64"),
            "rating": events["rating"].astype("float64"),
            "liked": events["liked"].astype(bool),
            "favorite": events["favorite"].astype(bool),
            "rewatch": events["rewatch"].astype(bool),
            "event_at": pd.to_datetime(event_at, utc=True),
        }
    )
    return LetterboxdExport(
        username=str(profile["username"]),
        events=frame,
        watched_only=int((~is_event).sum()),
        unnamed_favorites=len(favorite_links - set(links["uri"].dropna())),
    )


def load_letterboxd_export(conn, path: str | Path) -> LetterboxdLoad:
    """Read the export, then register its user, add them to the cohort and load the events,
    all in one transaction."""
    export = read_letterboxd_export(path)
    handle = f"{SOURCE}:{export.username}"
    # One transaction: a load that fails registers no user without events.
    try:
        user_id = app_events.register_user(conn, handle, SOURCE, commit=False)
        app_events.add_cohort_members(conn, COHORT, [user_id], COHORT_DESCRIPTION, commit=False)
        loaded = app_events.load_rating_events(
            conn, export.events.assign(user_id=user_id), SOURCE, handle, commit=False
        )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return LetterboxdLoad(
        export.username,
        user_id,
        loaded.rows,
        loaded.months,
        export.watched_only,
        export.unnamed_favorites,
    )
