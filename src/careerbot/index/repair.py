"""Store files that can't be read: found before a write opens the store, set aside, then rebuilt.

Every file in the store folder is rebuilt from the corpus by an indexing run, so a damaged one is
renamed out of the way (never deleted: it may be wanted for a bug report) and the run starts from
what is left. Records without vectors, vectors without records, a missing manifest or missing
search files are then the ordinary drift that `check`/`heal` and a full pass already undo.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from careerbot.errors import DamagedStoreError
from careerbot.index.lock import FILE_NAME as LOCK_FILE
from careerbot.index.manifest import Manifest
from careerbot.settings import Settings

__all__ = ["CHROMA_FOLDER", "Damage", "damaged_files", "set_aside"]

CHROMA_FOLDER = "chroma"
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Damage:
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name} was damaged ({self.reason})"


def damaged_files(settings: Settings) -> list[Damage]:
    """The store's own files that can't be read, each with why; cheap enough to run before each write."""
    store = settings.store
    found = []
    try:
        Manifest.load(store)
    except DamagedStoreError as error:
        found.append(Damage(error.path, error.reason))
    if settings.store_backend == "chroma":  # the vector index files belong with their database
        reason = _sqlite_damage(store / CHROMA_FOLDER / "chroma.sqlite3")
        if reason:
            found.append(Damage(store / CHROMA_FOLDER, f"its chroma.sqlite3: {reason}"))
    if settings.records_url is None:  # the default, local record manager
        reason = _sqlite_damage(store / "records.sqlite")
        if reason:
            found.append(Damage(store / "records.sqlite", reason))
    lock = store / LOCK_FILE
    if lock.is_dir():
        found.append(Damage(lock, "it is a folder, not the lock file"))
    return found


def set_aside(path: Path) -> Path:
    """Rename a damaged file or folder out of the store's way; returns its new name."""
    target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 1
    while target.exists():
        n += 1
        target = target.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
    path.rename(target)
    return target


def _sqlite_damage(path: Path) -> str | None:
    """Why the SQLite database at `path` can't be used, or None (also when there is none yet)."""
    if path.is_dir():
        return "it is a folder, not a database"
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.strerror or type(error).__name__
    if not header and path.stat().st_size == 0:
        return None  # SQLite's own state before the first write
    if header != _SQLITE_HEADER:
        return "it is not an SQLite database"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            row = connection.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if row and row[0] == "ok" else f"SQLite reports: {row[0] if row else 'nothing'}"
