"""The store seam: a LangChain vector store plus the record manager that tracks what is in it."""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from careerbot.errors import CareerBotError, StoreError, StoreUnavailableError, UnknownBackendError
from careerbot.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from langchain_core.indexing import RecordManager
    from langchain_core.vectorstores import VectorStore

    from careerbot.index.embedder import Embedder

__all__ = ["PAGE", "STORES", "IndexStore", "count_chunks", "disk_trouble", "open_store", "store_errors"]

# Ids per call when reading or deleting by id: Chroma takes at most 5,461 records per call, and an
# SQL query's variables are limited.
PAGE = 5000


@dataclass
class IndexStore:
    """Where chunks live (`vectors`) and what the indexing API remembers about them (`records`)."""

    vectors: VectorStore
    records: RecordManager
    directory: Path  # holds the record manager and manifest, beside Chroma's own files
    reset: Callable[[], None]  # drops every chunk and record, keeping the user's corpus
    repairs: list[str] = field(default_factory=list)  # damaged files set aside before it was opened

    def chunk_count(self) -> int:
        return self.vectors._collection.count()


def _chroma(settings: Settings, embedder: Embedder) -> IndexStore:
    return _chroma_store(settings, embedder, _local_client(settings))


def _local_client(settings: Settings) -> ClientAPI:
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient

    path = str(settings.store / "chroma")
    # chromadb shares one client System per path in a process, and that System never reloads the
    # vector index it loaded: writes other processes finished since would stay invisible. A new
    # System reads them; the old one keeps serving whoever still holds it, then is collected.
    SharedSystemClient._identifier_to_system.pop(path, None)
    return chromadb.PersistentClient(path=path)


def _chroma_server(settings: Settings, embedder: Embedder) -> IndexStore:
    return _chroma_store(settings, embedder, _server_client(settings))


def _server_client(settings: Settings) -> ClientAPI:
    import chromadb
    import httpx

    if not settings.chroma_url:
        raise CareerBotError("the chroma-server store needs a URL: set CAREERBOT_CHROMA_URL or --chroma-url")
    url = urlsplit(settings.chroma_url)
    if url.scheme not in {"http", "https"} or not url.hostname:
        raise CareerBotError(f"{settings.chroma_url!r} is not a Chroma server URL like http://127.0.0.1:8000")
    with store_errors(settings):
        secure = url.scheme == "https"
        port = url.port or (443 if secure else 8000)
        # chromadb's client talks to the server while it is built, with no timeout: ask first,
        # with one, so a server that hangs is reported instead of hanging us.
        base = f"{url.scheme}://{url.hostname}:{port}"
        httpx.get(f"{base}/api/v2/heartbeat", timeout=settings.chroma_timeout)
        try:
            client = chromadb.HttpClient(host=url.hostname, port=port, ssl=secure)
        except ValueError as error:  # how chromadb reports a refused first connection
            raise _not_answering(settings, "connection refused") from error
        # chromadb's HTTP session never times out (httpx timeout=None): a server that stops
        # answering would hang every question. Bound each request instead.
        client._server._session.timeout = httpx.Timeout(settings.chroma_timeout)
        return client


def _chroma_store(settings: Settings, embedder: Embedder, client: ClientAPI) -> IndexStore:
    from langchain_chroma import Chroma

    directory = settings.store
    directory.mkdir(parents=True, exist_ok=True)

    def connect() -> Chroma:
        return Chroma(
            collection_name=settings.collection,
            embedding_function=embedder.embeddings,
            client=client,
            collection_configuration={"hnsw": {"space": "cosine"}},
        )

    store = IndexStore(connect(), _records(settings), directory, lambda: None)

    def reset() -> None:
        # Records first: a crash in between leaves vectors that no record knows, which the next run
        # deletes; the other order would leave records vouching for vectors that are gone.
        keys = store.records.list_keys()
        for start in range(0, len(keys), 5000):
            store.records.delete_keys(keys[start : start + 5000])
        store.vectors.delete_collection()
        store.vectors = connect()

    store.reset = reset
    return store


def _records(settings: Settings) -> RecordManager:
    from langchain_classic.indexes import SQLRecordManager
    from sqlalchemy.exc import SQLAlchemyError

    url = settings.records_url or f"sqlite:///{(settings.store / 'records.sqlite').resolve()}"
    try:
        records = SQLRecordManager(f"chroma/{settings.collection}", db_url=url)
        records.create_schema()
    except (SQLAlchemyError, ImportError) as error:  # a bad URL, a missing driver, a database down
        raise StoreUnavailableError(
            f"can't open the record manager database {url}: {error}; check CAREERBOT_RECORDS_URL"
        ) from error
    return records


@contextmanager
def store_errors(settings: Settings) -> Iterator[None]:
    """Turn a store that does not answer, a full disk or an index folder that can't be written into an
    error that says what to do."""
    import httpx

    try:
        yield
    except httpx.TransportError as error:  # refused, reset, timed out
        raise _not_answering(settings, type(error).__name__) from error
    except CareerBotError:
        raise
    except Exception as error:
        trouble = disk_trouble(error, settings.store)
        if trouble is None:
            raise
        raise trouble from error


# How chromadb, SQLite and SQLAlchemy say it (the operating system says it by errno).
_FULL = ("disk is full", "no space left")
_READ_ONLY = ("readonly database", "read-only file system", "permission denied")
# chromadb's words when its disk filled up while it applied a write (found on a full tmpfs).
_FULL_PROBABLY = ("error in compaction",)
_FREE_SPACE = "free some space, then run `careerbot index` again"


def disk_trouble(error: BaseException, folder: Path) -> StoreError | None:
    """A full disk or a folder careerbot may not write, if that is what `error` (or its cause) is."""
    seen: BaseException | None = error
    while seen is not None:
        place, said, number = folder, str(seen), None
        if isinstance(seen, OSError):
            place = Path(seen.filename).parent if seen.filename else folder
            said, number = seen.strerror or said, seen.errno
        words = said.lower()
        if number in (errno.ENOSPC, errno.EDQUOT) or any(w in words for w in _FULL):
            return StoreError(f"the disk holding {place} is full ({said}): {_FREE_SPACE}")
        if any(w in words for w in _FULL_PROBABLY):
            return StoreError(
                f"Chroma could not write to {place} ({said}), most likely as its disk is full: {_FREE_SPACE}"
            )
        if number in (errno.EROFS, errno.EACCES, errno.EPERM) or any(w in words for w in _READ_ONLY):
            index = folder.resolve() in (place.resolve(), *place.resolve().parents)
            then = "it answers from the index there but can't change it" if index else "nothing was changed"
            return StoreError(
                f"careerbot may not write to {place} ({said}): {then}; make the folder writable to index "
                "or add documents",
                read_only=index,
            )
        seen = seen.__cause__ or seen.__context__
    return None


def _not_answering(settings: Settings, reason: str) -> StoreUnavailableError:
    return StoreUnavailableError(
        f"the Chroma server at {settings.chroma_url} is not answering ({reason}); "
        "start it (chroma run --path DIR --port N) or check CAREERBOT_CHROMA_URL, then ask again"
    )


STORES: dict[str, Callable[[Settings, Embedder], IndexStore]] = {
    "chroma": _chroma,
    "chroma-server": _chroma_server,
}
# The bare client of each Chroma backend: enough to count what a store holds.
_CLIENTS: dict[str, Callable[[Settings], ClientAPI]] = {
    "chroma": _local_client,
    "chroma-server": _server_client,
}


def count_chunks(settings: Settings, opened: Callable[[], IndexStore]) -> int:
    """The chunks in the store, with only the vector database's own client where there is one
    (`opened` gives the full store for other backends)."""
    client = _CLIENTS.get(settings.store_backend)
    if client is None:
        return opened().chunk_count()
    from chromadb.errors import NotFoundError

    with store_errors(settings):
        try:
            return client(settings).get_collection(settings.collection).count()
        except NotFoundError:
            return 0


def open_store(settings: Settings, embedder: Embedder) -> IndexStore:
    """The store named by `settings.store_backend`, created if it does not exist yet."""
    try:
        factory = STORES[settings.store_backend]
    except KeyError:
        raise UnknownBackendError("store", settings.store_backend, STORES) from None
    return factory(settings, embedder)
