"""Store files that can't be read: found before a write opens the store, set aside, then rebuilt.

Every file in the store folder is rebuilt from the corpus by an indexing run, so a damaged one is
renamed out of the way (never deleted: it may be wanted for a bug report) and the run starts from
what is left. Records without vectors, vectors without records, a missing manifest or missing
search files are then the ordinary drift that `check`/`heal` and a full pass already undo.
"""

from __future__ import annotations

import sqlite3
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from careerbot.errors import DamagedStoreError
from careerbot.index.lock import FILE_NAME as LOCK_FILE
from careerbot.index.manifest import Manifest
from careerbot.index.store import IndexStore
from careerbot.settings import Settings

__all__ = ["CHROMA_FOLDER", "Damage", "damaged_files", "probe", "set_aside"]

CHROMA_FOLDER = "chroma"
MISSING = "it is missing, though the manifest lists indexed documents"
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Damage:
    path: Path
    reason: str

    def __str__(self) -> str:
        if self.reason == MISSING:
            return f"{self.path.relative_to(self.path.parent.parent)} was missing"
        return f"{self.path.name} was damaged ({self.reason})"


def damaged_files(settings: Settings) -> list[Damage]:
    """The store's own files that can't be read, each with why; cheap enough to run before each write."""
    store = settings.store
    found = []
    manifest = None
    try:
        manifest = Manifest.load(store)
    except DamagedStoreError as error:
        found.append(Damage(error.path, error.reason))
    # The manifest lists indexed documents: the files that hold them must be there.
    expected = [store / "records.sqlite"] if settings.records_url is None else []
    if settings.store_backend == "chroma":
        expected.append(store / CHROMA_FOLDER / "chroma.sqlite3")
    if manifest is not None and manifest.documents:
        found += [Damage(path, MISSING) for path in expected if not path.exists()]
    if settings.store_backend == "chroma":  # the vector index files belong with their database
        reason = _sqlite_damage(store / CHROMA_FOLDER / "chroma.sqlite3")
        if reason:
            found.append(Damage(store / CHROMA_FOLDER, f"its chroma.sqlite3: {reason}"))
        for header in sorted((store / CHROMA_FOLDER).glob("*/header.bin")):
            reason = _hnsw_damage(header.parent)
            if reason:
                found.append(
                    Damage(store / CHROMA_FOLDER, f"its vector index {header.parent.name}: {reason}")
                )
    if settings.records_url is None:  # the default, local record manager
        reason = _sqlite_damage(store / "records.sqlite")
        if reason:
            found.append(Damage(store / "records.sqlite", reason))
    lock = store / LOCK_FILE
    if lock.is_dir():
        found.append(Damage(lock, "it is a folder, not the lock file"))
    return found


def probe(
    settings: Settings, open_store: Callable[[], IndexStore]
) -> tuple[IndexStore | None, Damage | None]:
    """Open the store and read from its vector index (count, one vector, one query): Chroma loads its
    index files only then. Returns the store, or the damage that stopped it (local Chroma only;
    anything else is raised as it is)."""
    store = None
    try:
        store = open_store()
        if store.chunk_count():
            [vector] = store.vectors.get(include=["embeddings"], limit=1)["embeddings"]
            store.vectors.similarity_search_by_vector(list(vector), k=1)
        return store, None
    except Exception as error:
        if settings.store_backend != "chroma" or not type(error).__module__.startswith("chromadb"):
            raise
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        return store, Damage(settings.store / CHROMA_FOLDER, f"its vector index can't be read: {reason}")


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


# hnswlib's header as Chroma writes it: a format version, then offsetLevel0, max_elements,
# cur_element_count, size_data_per_element, label_offset, offsetData (size_t), maxlevel (int),
# enterpoint_node (uint), maxM, maxM0, M (size_t), mult (double), ef_construction (size_t).
_HNSW_HEADER = struct.Struct("<i6QiI3QdQ")


def _hnsw_damage(folder: Path) -> str | None:
    """Why Chroma's HNSW files in `folder` don't fit together, or None. Checked before Chroma reads
    them because its reader trusts them: a damaged file can crash the process, not raise."""
    try:
        header = (folder / "header.bin").read_bytes()
        if len(header) != _HNSW_HEADER.size:
            return f"header.bin has {len(header)} bytes, not {_HNSW_HEADER.size}"
        _, level0, capacity, count, size, label, data, top, entry, _, max_links, _, _, _ = (
            _HNSW_HEADER.unpack(header)
        )
        links_end = level0 + 4 + 4 * max_links
        if not (count <= capacity and links_end <= data < size and label + 8 <= size and -1 <= top < 64):
            return "header.bin does not describe an index"
        if count and entry >= count:
            return "header.bin names an entry point outside the index"
        # Chroma writes between `count` and `capacity` rows (a row per vector slot).
        stored = (folder / "data_level0.bin").stat().st_size
        if stored % size or not count * size <= stored <= capacity * size:
            return "data_level0.bin is not the size its header gives"
        lengths = folder / "length.bin"
        if lengths.exists() and not count * 4 <= lengths.stat().st_size <= capacity * 4:
            return "length.bin is not the size its header gives"
        if not count:
            return None
        rows = np.memmap(folder / "data_level0.bin", dtype=np.uint8, mode="r", shape=(count, size))
        degree = np.ascontiguousarray(rows[:, level0 : level0 + 2]).view(np.uint16).ravel()
        neighbours = np.ascontiguousarray(rows[:, level0 + 4 : links_end]).view(np.uint32)
        used = np.arange(max_links)[None, :] < degree[:, None]
        if (degree > max_links).any() or (neighbours[used] >= count).any():
            return "data_level0.bin links to vectors that don't exist"
    except (OSError, ValueError) as error:
        return str(error)
    return None
