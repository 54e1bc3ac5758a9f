"""Bring the index in step with the corpus through LangChain's indexing API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.indexing import index
from tqdm import tqdm

from careerbot.chunks import chunk_profile
from careerbot.documents import find_documents, read_profile, source_name
from careerbot.errors import CareerBotError
from careerbot.index.doctor import check, heal
from careerbot.index.embedder import Embedder
from careerbot.index.manifest import Manifest
from careerbot.index.search import SearchIndex
from careerbot.index.store import IndexStore
from careerbot.profiles import ProfileError, occupation_key

__all__ = ["IndexReport", "Problem", "index_corpus"]


@dataclass(frozen=True)
class Problem:
    source: str
    reason: str


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    deleted: int = 0
    documents: int = 0
    chunks: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    repaired: int = 0  # records or vectors out of step (e.g. after a crash), undone before indexing
    waited: float = 0.0  # seconds spent waiting for another process's write to finish

    def summary(self) -> str:
        lines = [
            f"{self.documents} documents, {self.chunks} chunks "
            f"(added {self.added}, updated {self.updated}, skipped {self.skipped}, "
            f"deleted {self.deleted}) in {self.seconds:.1f} s"
        ]
        if self.waited:
            lines.append(f"waited {self.waited:.1f} s for another process to finish updating the index")
        if self.repaired:
            lines.append(f"repaired {self.repaired} records or vectors that were out of step")
        lines += [f"skipped {p.source}: {p.reason}" for p in self.problems]
        return "\n".join(lines)


def index_corpus(
    corpus: Path,
    store: IndexStore,
    embedder: Embedder,
    *,
    chunk_chars: int,
    max_document_bytes: int,
    rebuild: bool = False,
    progress: bool | None = None,
) -> IndexReport:
    """Index new and edited documents, drop removed ones; a broken document keeps its last version."""
    started = time.perf_counter()
    if not corpus.is_dir():
        # Indexing an empty list would empty the index: refuse instead.
        raise CareerBotError(f"the corpus folder {corpus} does not exist")
    manifest = Manifest.load(store.directory)
    if manifest is not None and not rebuild:
        manifest.check(embedder, store.directory)

    report = IndexReport()
    # Read before any reset, so a rebuild keeps the last good version of a broken document too.
    chosen = _choose_documents(
        corpus,
        store,
        manifest.documents if manifest else {},
        report.problems,
        chunk_chars=chunk_chars,
        max_document_bytes=max_document_bytes,
    )
    if rebuild or manifest is None:
        store.reset()
        manifest = Manifest(embedder.name, embedder.dimension)
    documents = {
        source: {
            "occupation": chunks[0].metadata["occupation"],
            "aliases": chunks[0].metadata["aliases"],
            "chunks": len(chunks),
        }
        for source, chunks in chosen.items()
    }

    def chunk_documents() -> Iterator[Document]:
        # A generator, so the progress bar follows the embedding.
        for chunks in tqdm(chosen.values(), desc="indexing", unit="doc", disable=_quiet(progress, chosen)):
            yield from chunks

    # A crash (or langchain's own drift) can leave records and vectors out of step: undo that first,
    # so this run re-embeds what is missing and leaves nothing orphaned.
    report.repaired = heal(store, check(store, embedder, manifest))
    counts = index(
        chunk_documents(),
        store.records,
        store.vectors,
        cleanup="full",
        source_id_key="source",
        key_encoder="sha256",
        batch_size=256,
    )
    report.added = counts["num_added"]
    report.updated = counts["num_updated"]
    report.skipped = counts["num_skipped"]
    report.deleted = counts["num_deleted"]
    report.documents = len(documents)
    report.chunks = sum(d["chunks"] for d in documents.values())

    manifest.documents = documents
    manifest.last_update = datetime.now(UTC).isoformat(timespec="seconds")
    # The lexical index and the embedded names, rebuilt from what the vector store now holds.
    previous = SearchIndex.load(store.directory, manifest.search) if manifest.search else None
    search = SearchIndex.build(store.vectors, embedder.embeddings, previous)
    manifest.search = search.save(store.directory)
    manifest.save(store.directory)
    SearchIndex.remove_others(store.directory, keep=manifest.search)
    report.seconds = time.perf_counter() - started
    return report


def _choose_documents(
    corpus: Path,
    store: IndexStore,
    indexed: dict[str, dict],
    problems: list[Problem],
    *,
    chunk_chars: int,
    max_document_bytes: int,
) -> dict[str, list[Document]]:
    """The chunks of each document to index, by source; the problems go to `problems`.

    A document that can't be read keeps its last indexed version. One occupation has one document:
    the one already indexed under it keeps it, otherwise the first in path order; others are skipped.
    """
    candidates: dict[str, list[Document]] = {}
    for path in find_documents(corpus):
        source = source_name(path, corpus)
        try:
            profile = read_profile(path, corpus, max_bytes=max_document_bytes)
            chunks = [c.to_document() for c in chunk_profile(profile, chunk_chars)]
            if not chunks:
                raise ProfileError("the document has a title but no text")
        except (ProfileError, OSError) as error:
            chunks = _last_indexed(store, source)
            problems.append(Problem(source, _kept(str(error), chunks)))
        if chunks:
            candidates[source] = chunks

    def occupation(chunks: list[Document]) -> str:
        return chunks[0].metadata["occupation"]

    def already_indexed(source: str) -> bool:
        before = indexed.get(source, {}).get("occupation", "")
        return occupation_key(before) == occupation_key(occupation(candidates[source]))

    owners: dict[str, str] = {}  # occupation key -> source

    def claim(source: str, chunks: list[Document]) -> str:
        return owners.setdefault(occupation_key(occupation(chunks)), source)

    chosen: dict[str, list[Document]] = {}
    for source in sorted(candidates, key=lambda s: (not already_indexed(s), s)):
        owner = claim(source, candidates[source])
        if owner == source:
            chosen[source] = candidates[source]
            continue
        # Like an edit that can't be read: the version indexed before stays, if it is no clash itself.
        last = _last_indexed(store, source) if source in indexed else []
        if last and claim(source, last) == source:
            chosen[source] = last
        else:
            last = []
        reason = f"{occupation(candidates[source])} is already described by {owner}; retitle or remove one"
        problems.append(Problem(source, _kept(reason, last)))
    problems.sort(key=lambda p: p.source)
    return dict(sorted(chosen.items()))


def _kept(reason: str, last_version: list[Document]) -> str:
    return f"{reason} (its last indexed version is kept)" if last_version else reason


def _last_indexed(store: IndexStore, source: str) -> list[Document]:
    """The chunks already indexed for `source`, fed again so full cleanup keeps them."""
    found = store.vectors.get(where={"source": source})
    chunks = [
        Document(page_content=text, metadata=metadata)
        for text, metadata in zip(found["documents"], found["metadatas"], strict=True)
    ]
    return sorted(chunks, key=lambda d: d.metadata["position"])


def _quiet(progress: bool | None, documents: dict) -> bool | None:
    if progress is None:  # tqdm's None: show only on a terminal
        return None if len(documents) >= 50 else True
    return not progress
