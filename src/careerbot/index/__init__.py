"""The index: chunks embedded into a vector store, kept in step with the corpus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from careerbot.lazy import exports

if TYPE_CHECKING:
    from careerbot.index.embedder import EMBEDDERS, Embedder, HashEmbeddings, make_embedder
    from careerbot.index.indexer import IndexReport, Problem, index_corpus
    from careerbot.index.manifest import Manifest
    from careerbot.index.store import STORES, IndexStore, open_store

# Imported on first use: reading the manifest shouldn't load LangChain's indexing machinery.
_HOMES = {
    "EMBEDDERS": "careerbot.index.embedder",
    "Embedder": "careerbot.index.embedder",
    "HashEmbeddings": "careerbot.index.embedder",
    "make_embedder": "careerbot.index.embedder",
    "IndexReport": "careerbot.index.indexer",
    "Problem": "careerbot.index.indexer",
    "index_corpus": "careerbot.index.indexer",
    "Manifest": "careerbot.index.manifest",
    "STORES": "careerbot.index.store",
    "IndexStore": "careerbot.index.store",
    "open_store": "careerbot.index.store",
}

__all__ = [
    "EMBEDDERS",
    "STORES",
    "Embedder",
    "HashEmbeddings",
    "IndexReport",
    "IndexStore",
    "Manifest",
    "Problem",
    "index_corpus",
    "make_embedder",
    "open_store",
]


__getattr__ = exports(__name__, _HOMES)
