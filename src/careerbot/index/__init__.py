"""The index: chunks embedded into a vector store, kept in step with the corpus."""

from careerbot.index.embedder import EMBEDDERS, Embedder, HashEmbeddings, make_embedder
from careerbot.index.indexer import IndexReport, Problem, index_corpus
from careerbot.index.manifest import Manifest
from careerbot.index.store import STORES, IndexStore, open_store

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
