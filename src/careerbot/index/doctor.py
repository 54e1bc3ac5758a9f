"""Does the index agree with itself? Record manager, vectors, manifest and search files, compared.

LangChain's record manager can say "skipped" for a chunk whose vector is gone (a crash between
the two writes, or langchain issues 39937/40226): then that chunk would never come back. The
check finds such drift; `heal` removes it, so that the next indexing run re-embeds exactly what
was wrong and nothing else.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from careerbot.index.embedder import Embedder
from careerbot.index.manifest import Manifest
from careerbot.index.search import SearchIndex
from careerbot.index.store import PAGE, IndexStore

__all__ = ["Checkup", "check", "heal"]


@dataclass
class Checkup:
    """What `careerbot doctor` found; healthy when every list is empty."""

    chunks: int = 0
    records: int = 0
    missing_vectors: list[str] = field(default_factory=list)  # recorded, but not in the vector store
    orphan_vectors: list[str] = field(default_factory=list)  # in the vector store, recorded nowhere
    duplicates: list[str] = field(default_factory=list)  # "source #position" stored more than once
    problems: list[str] = field(default_factory=list)  # model, dimension, manifest, search files
    stored: dict[str, int] = field(default_factory=dict)  # source -> how many of its chunks are stored

    @property
    def drift(self) -> bool:
        """Records and vectors out of step: an indexing run must undo it and re-index in full."""
        return bool(self.missing_vectors or self.orphan_vectors or self.duplicates)

    @property
    def healthy(self) -> bool:
        return not (self.drift or self.problems)

    def summary(self) -> str:
        lines = [f"{self.chunks} vectors, {self.records} records"]
        if self.missing_vectors:
            lines.append(f"{len(self.missing_vectors)} records whose vector is missing (never re-embedded)")
        if self.orphan_vectors:
            lines.append(f"{len(self.orphan_vectors)} vectors that no record knows (never cleaned up)")
        if self.duplicates:
            shown = ", ".join(self.duplicates[:5])
            lines.append(f"{len(self.duplicates)} chunks stored more than once: {shown}")
        lines += self.problems
        lines.append("healthy" if self.healthy else "not healthy")
        return "\n".join(lines)


def check(store: IndexStore, embedder: Embedder, manifest: Manifest | None) -> Checkup:
    """Compare the record manager, the vector store, the manifest and the search files."""
    search = _search_rows(store, manifest)
    vectors = _vectors(store, search or {})
    keys = set(store.records.list_keys())
    checkup = Checkup(chunks=len(vectors), records=len(keys))
    checkup.missing_vectors = sorted(keys - vectors.keys())
    checkup.orphan_vectors = sorted(vectors.keys() - keys)
    places = Counter((meta.get("source"), meta.get("position")) for meta in vectors.values())
    checkup.duplicates = sorted(f"{source} #{position}" for (source, position), n in places.items() if n > 1)
    checkup.stored = dict(Counter(meta.get("source") for meta in vectors.values()))
    checkup.problems += embedder.problems()  # e.g. a damaged model export, which answering would load
    if manifest is None:
        if vectors or keys:
            checkup.problems.append("no manifest.json, but the store holds chunks: run `careerbot index`")
        return checkup
    if not manifest.made_by(embedder):
        checkup.problems.append(
            f"built with {manifest.model} ({manifest.dimension} dims), configured {embedder.name} "
            f"({embedder.dimension} dims): run `careerbot index` to rebuild it"
        )
    stored = _stored_dimension(store)
    if stored is not None and stored != manifest.dimension:
        checkup.problems.append(f"the vectors have {stored} dims, the manifest says {manifest.dimension}")
    listed = {source: doc.get("chunks") for source, doc in manifest.documents.items()}
    if listed != checkup.stored:
        wrong = {source for source, _ in set(listed.items()) ^ set(checkup.stored.items())}
        checkup.problems.append(f"the manifest and the vectors disagree on {len(wrong)} documents")
    if manifest.search and SearchIndex.load(store.directory, manifest.search) is None:
        checkup.problems.append(
            f"the search files {store.directory / manifest.search} are missing or damaged: "
            "`careerbot index` rebuilds them"
        )
    elif search is not None and search.keys() != vectors.keys():
        differ = len(search.keys() ^ vectors.keys())
        checkup.problems.append(f"the search files and the vectors differ on {differ} chunks")
    return checkup


def heal(store: IndexStore, checkup: Checkup) -> int:
    """Undo drift so an indexing run can finish the repair: records without a vector are dropped
    (their chunks get embedded again), vectors without a record deleted. Returns how many."""
    missing, orphans = checkup.missing_vectors, checkup.orphan_vectors
    for start in range(0, len(missing), PAGE):
        store.records.delete_keys(missing[start : start + PAGE])
    for start in range(0, len(orphans), PAGE):
        store.vectors.delete(orphans[start : start + PAGE])
    return len(missing) + len(orphans)


def _vectors(store: IndexStore, known: dict[str, dict]) -> dict[str, dict]:
    """Every vector id with its metadata (source and position at least): from `known` where it has
    the id (an id is a hash of the chunk's text and metadata), from the vector store otherwise."""
    ids = store.vectors.get(include=[])["ids"]
    found = {i: known[i] for i in ids if i in known}
    missing = [i for i in ids if i not in known]
    for start in range(0, len(missing), PAGE):
        page = store.vectors.get(ids=missing[start : start + PAGE], include=["metadatas"])
        found.update(zip(page["ids"], page["metadatas"], strict=True))
    return found


def _stored_dimension(store: IndexStore) -> int | None:
    sample = store.vectors.get(include=["embeddings"], limit=1)
    embeddings = sample.get("embeddings")
    return len(embeddings[0]) if embeddings is not None and len(embeddings) else None


def _search_rows(store: IndexStore, manifest: Manifest | None) -> dict[str, dict] | None:
    """The chunks of the search files the manifest names, by id, if there are any."""
    name = getattr(manifest, "search", None)
    table = store.directory / name / "table.json" if name else None
    if table is None or not table.exists():
        return None
    try:
        return {chunk["id"]: chunk for chunk in json.loads(table.read_text(encoding="utf-8"))["chunks"]}
    except (OSError, ValueError, KeyError, TypeError):  # reported by check(); index() rebuilds them
        return None
