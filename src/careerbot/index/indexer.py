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
from careerbot.index.embedder import Embedder
from careerbot.index.manifest import Manifest
from careerbot.index.search import SearchIndex
from careerbot.index.store import IndexStore
from careerbot.profiles import ProfileError

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

    def summary(self) -> str:
        lines = [
            f"{self.documents} documents, {self.chunks} chunks "
            f"(added {self.added}, updated {self.updated}, skipped {self.skipped}, "
            f"deleted {self.deleted}) in {self.seconds:.1f} s"
        ]
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
    if rebuild or manifest is None:
        store.reset()
        manifest = Manifest(embedder.name, embedder.dimension)
    else:
        manifest.check(embedder, store.directory)

    report = IndexReport()
    documents: dict[str, dict] = {}

    def chunk_documents() -> Iterator[Document]:
        # A generator, so embedding starts while later files are still being read.
        paths = find_documents(corpus)
        for path in tqdm(paths, desc="indexing", unit="doc", disable=_quiet(progress, paths)):
            source = source_name(path, corpus)
            try:
                profile = read_profile(path, corpus, max_bytes=max_document_bytes)
                chunks = [c.to_document() for c in chunk_profile(profile, chunk_chars)]
                if not chunks:
                    raise ProfileError("the document has a title but no text")
            except (ProfileError, OSError) as error:
                report.problems.append(Problem(source, str(error)))
                chunks = _last_indexed(store, source)
                if not chunks:
                    continue
            documents[source] = {
                "occupation": chunks[0].metadata["occupation"],
                "aliases": chunks[0].metadata["aliases"],
                "chunks": len(chunks),
            }
            yield from chunks

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


def _last_indexed(store: IndexStore, source: str) -> list[Document]:
    """The chunks already indexed for `source`, fed again so full cleanup keeps them."""
    found = store.vectors.get(where={"source": source})
    chunks = [
        Document(page_content=text, metadata=metadata)
        for text, metadata in zip(found["documents"], found["metadatas"], strict=True)
    ]
    return sorted(chunks, key=lambda d: d.metadata["position"])


def _quiet(progress: bool | None, paths: list[Path]) -> bool | None:
    if progress is None:  # tqdm's None: show only on a terminal
        return None if len(paths) >= 50 else True
    return not progress
