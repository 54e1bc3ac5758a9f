"""The store seam: a LangChain vector store plus the record manager that tracks what is in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from langchain_core.indexing import RecordManager
from langchain_core.vectorstores import VectorStore

from careerbot.errors import UnknownBackendError
from careerbot.index.embedder import Embedder
from careerbot.settings import Settings

__all__ = ["STORES", "IndexStore", "open_store"]


@dataclass
class IndexStore:
    """Where chunks live (`vectors`) and what the indexing API remembers about them (`records`)."""

    vectors: VectorStore
    records: RecordManager
    directory: Path  # holds the record manager and manifest, beside Chroma's own files
    reset: Callable[[], None]  # drops every chunk and record, keeping the user's corpus

    def chunk_count(self) -> int:
        return self.vectors._collection.count()


def _chroma(settings: Settings, embedder: Embedder) -> IndexStore:
    from langchain_chroma import Chroma

    directory = settings.store
    directory.mkdir(parents=True, exist_ok=True)

    def connect() -> Chroma:
        return Chroma(
            collection_name=settings.collection,
            embedding_function=embedder.embeddings,
            persist_directory=str(directory / "chroma"),
            collection_configuration={"hnsw": {"space": "cosine"}},
        )

    store = IndexStore(connect(), _records(settings), directory, lambda: None)

    def reset() -> None:
        store.vectors.delete_collection()
        store.vectors = connect()
        keys = store.records.list_keys()
        for start in range(0, len(keys), 5000):
            store.records.delete_keys(keys[start : start + 5000])

    store.reset = reset
    return store


def _records(settings: Settings) -> RecordManager:
    from langchain_classic.indexes import SQLRecordManager

    records = SQLRecordManager(
        f"chroma/{settings.collection}",
        db_url=f"sqlite:///{(settings.store / 'records.sqlite').resolve()}",
    )
    records.create_schema()
    return records


STORES: dict[str, Callable[[Settings, Embedder], IndexStore]] = {"chroma": _chroma}


def open_store(settings: Settings, embedder: Embedder) -> IndexStore:
    """The store named by `settings.store_backend`, created if it does not exist yet."""
    try:
        factory = STORES[settings.store_backend]
    except KeyError:
        raise UnknownBackendError("store", settings.store_backend, STORES) from None
    return factory(settings, embedder)
