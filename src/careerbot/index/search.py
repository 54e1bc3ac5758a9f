"""The search files beside Chroma: BM25 over the chunks, every occupation's names and their head
nouns embedded.

Built by the indexing run from what Chroma holds after it, so they are always in step with the
vector index; written to a fresh folder that the manifest then names (the manifest is written
atomically, so a reader sees either the old folder or the complete new one).
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import bm25s
import numpy as np
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:  # importing it costs half a second of the web app's start
    from langchain_core.vectorstores import VectorStore

from careerbot.index.store import PAGE
from careerbot.text import head_words, stems

__all__ = ["ChunkRow", "SearchIndex"]

PREFIX = "search-"


@dataclass(frozen=True)
class ChunkRow:
    """One indexed chunk as retrieval shows it (the text without its header line)."""

    id: str
    source: str
    occupation: str
    section: str
    position: int
    aliases: tuple[str, ...]
    text: str
    header: str  # the stored text's first line, naming occupation and section (see Chunk)


@dataclass
class SearchIndex:
    chunks: list[ChunkRow]
    chunk_vectors: np.ndarray  # one unit vector per chunk, as stored in Chroma
    lexical: bm25s.BM25  # over the stems of each chunk's header and text
    sources: list[str]  # one entry per occupation (profile), in a fixed order
    names: list[str]  # every title and alias ...
    name_owner: np.ndarray  # ... the index into `sources` it belongs to
    name_vectors: np.ndarray  # ... and its unit vector
    heads: list[str]  # every head noun of those names ("operator"), once
    head_vectors: np.ndarray  # ... and its unit vector

    def __post_init__(self) -> None:
        where = {source: i for i, source in enumerate(self.sources)}
        self.chunk_owner = np.array([where[c.source] for c in self.chunks], dtype=np.int64)
        self.occupations = [""] * len(self.sources)
        self.aliases: list[tuple[str, ...]] = [()] * len(self.sources)
        for chunk in self.chunks:
            self.occupations[where[chunk.source]] = chunk.occupation
            self.aliases[where[chunk.source]] = chunk.aliases
        self._stems: dict[int, frozenset[str]] = {}
        # Each occupation's chunk and name rows: a few occupations are scored without a scan.
        self.chunks_of = _members(self.chunk_owner, len(self.sources))
        self.names_of = _members(self.name_owner, len(self.sources))

    def nearest(self, vector: np.ndarray, k: int) -> np.ndarray:
        """The rows of the `k` chunks closest to `vector`, in no order."""
        if k >= len(self.chunks):
            return np.arange(len(self.chunks))
        return np.argpartition(-(self.chunk_vectors @ vector), k)[:k]

    def chunk_stems(self, row: int) -> frozenset[str]:
        """The stems of a chunk's text, computed on first use."""
        if row not in self._stems:
            self._stems[row] = frozenset(stems(self.chunks[row].text))
        return self._stems[row]

    def lexical_scores(self, text: str) -> np.ndarray:
        """BM25 score of every chunk for the stems of `text` (zeros when it has none)."""
        tokens = [t for t in stems(text) if t in self.lexical.vocab_dict]
        if not tokens or not self.chunks:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return self.lexical.get_scores(tokens)

    # -- building and files ---------------------------------------------------------------
    @classmethod
    def build(
        cls, vectors: VectorStore, embeddings: Embeddings, previous: SearchIndex | None = None
    ) -> SearchIndex:
        """From every chunk in the vector store; chunk vectors, names and head nouns already in
        `previous` (built with the same model) are reused, so only what changed is fetched or embedded."""
        # An id is a hash of the chunk's text and metadata: a chunk `previous` has is the same chunk.
        reused = {}
        if previous:
            reused = {c.id: (c, v) for c, v in zip(previous.chunks, previous.chunk_vectors, strict=True)}
        ids = vectors.get(include=[])["ids"]
        rows = [reused[i] for i in ids if i in reused] + _fetch([i for i in ids if i not in reused], vectors)
        rows.sort(key=lambda row: (row[0].source, row[0].position))
        chunks = [chunk for chunk, _ in rows]
        chunk_vectors = np.array([vector for _, vector in rows], dtype=np.float32)
        chunk_vectors = chunk_vectors.reshape(len(rows), -1) if rows else np.zeros((0, 1), dtype=np.float32)
        lexical = bm25s.BM25()
        if rows:
            lexical.index([stems(f"{c.header}\n{c.text}") or ["-"] for c in chunks], show_progress=False)

        sources = sorted({c.source for c in chunks})
        first = {}
        for chunk in chunks:
            first.setdefault(chunk.source, chunk)
        names, owner = [], []
        for n, source in enumerate(sources):
            chunk = first[source]
            for name in dict.fromkeys([chunk.occupation, *chunk.aliases]):
                names.append(name)
                owner.append(n)
        heads = sorted({head for name in names for head in head_words(name)})
        known: dict[str, np.ndarray] = {}  # texts embedded by the last run: not embedded again
        if previous:
            known.update(zip(previous.names, previous.name_vectors, strict=True))
            known.update(zip(previous.heads, previous.head_vectors, strict=True))
        return cls(
            chunks,
            chunk_vectors,
            lexical,
            sources,
            names,
            np.array(owner, dtype=np.int64),
            _embed(names, embeddings, known),
            heads,
            _embed(heads, embeddings, known),
        )

    def save(self, store: Path) -> str:
        """Write a new search folder inside `store` and return its name."""
        name = f"{PREFIX}{uuid.uuid4().hex[:12]}"
        folder = store / name
        folder.mkdir(parents=True)
        if self.chunks:
            self.lexical.save(str(folder / "lexical"), show_progress=False)
        np.save(folder / "chunks.npy", self.chunk_vectors)
        np.save(folder / "names.npy", self.name_vectors)
        np.save(folder / "heads.npy", self.head_vectors)
        table = {
            "chunks": [c.__dict__ for c in self.chunks],
            "sources": self.sources,
            "names": self.names,
            "name_owner": self.name_owner.tolist(),
            "heads": self.heads,
        }
        (folder / "table.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        return name

    @classmethod
    def load(cls, store: Path, name: str) -> SearchIndex | None:
        """The search folder `name` in `store`; None if it is missing or unreadable (then it is rebuilt)."""
        folder = store / name
        if not name.startswith(PREFIX) or not (folder / "table.json").exists():
            return None
        try:
            table = json.loads((folder / "table.json").read_text(encoding="utf-8"))
            chunks = [ChunkRow(**{**c, "aliases": tuple(c["aliases"])}) for c in table["chunks"]]
            lexical = (
                bm25s.BM25.load(str(folder / "lexical"), show_progress=False) if chunks else bm25s.BM25()
            )
            return cls(
                chunks,
                np.load(folder / "chunks.npy"),
                lexical,
                table["sources"],
                table["names"],
                np.array(table["name_owner"], dtype=np.int64),
                np.load(folder / "names.npy"),
                table["heads"],  # KeyError before head nouns were embedded: built again
                np.load(folder / "heads.npy"),
            )
        except Exception:  # damaged (numpy, bm25s and json each fail their own way), or another version
            return None

    @staticmethod
    def remove_others(store: Path, keep: str | None) -> None:
        """Delete search folders other than `keep` (left by earlier runs)."""
        for folder in store.glob(f"{PREFIX}*"):
            if folder.name != keep and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)


def _members(owner: np.ndarray, count: int) -> list[np.ndarray]:
    """For each of `count` owners, the rows that `owner` gives it, in order."""
    order = np.argsort(owner, kind="stable")
    return np.split(order, np.searchsorted(owner[order], np.arange(1, count)))


def _fetch(ids: list[str], vectors: VectorStore) -> list[tuple[ChunkRow, np.ndarray]]:
    """The chunks `ids` from the vector store, with their vectors."""
    rows = []
    for start in range(0, len(ids), PAGE):
        found = vectors.get(ids=ids[start : start + PAGE], include=["documents", "metadatas", "embeddings"])
        for row in zip(
            found["ids"], found["documents"], found["metadatas"], found["embeddings"], strict=True
        ):
            rows.append((_row(*row[:3]), np.asarray(row[3], dtype=np.float32)))
    return rows


def _row(chunk_id: str, text: str, meta: dict) -> ChunkRow:
    # The stored text starts with a header line naming occupation and section (see Chunk).
    header, _, body = text.partition("\n") if "\n" in text else ("", "", text)
    return ChunkRow(
        id=chunk_id,
        source=meta["source"],
        occupation=meta["occupation"],
        section=meta["section"],
        position=int(meta.get("position", 0)),
        aliases=tuple(a for a in meta.get("aliases", "").split("; ") if a),
        text=body,
        header=header,
    )


def _embed(texts: list[str], embeddings: Embeddings, known: dict[str, np.ndarray]) -> np.ndarray:
    """Unit vectors of `texts`, embedding only those not in `known` (which it then holds too)."""
    new = sorted({t for t in texts if t not in known})
    if new:
        known.update(zip(new, np.array(embeddings.embed_documents(new), dtype=np.float32), strict=True))
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    vectors = np.array([known[t] for t in texts], dtype=np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
