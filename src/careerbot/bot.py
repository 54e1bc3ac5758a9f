"""CareerBot: the one API that the CLI, the web app and the tests all use."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from careerbot.chunks import chunk_profile
from careerbot.documents import Budget, ReadLimits, read_profile
from careerbot.documents.onet import ImportReport, import_onet
from careerbot.errors import DamagedStoreError, StoreError
from careerbot.facts import Facts
from careerbot.index.doctor import Checkup, check
from careerbot.index.embedder import Embedder, make_embedder
from careerbot.index.lock import IndexLock
from careerbot.index.manifest import FILE_NAME as MANIFEST_FILE
from careerbot.index.manifest import Manifest
from careerbot.index.repair import Damage, damaged_files, probe, set_aside
from careerbot.index.store import IndexStore, count_chunks, open_store, store_errors
from careerbot.profiles import Profile, ProfileError, occupation_key
from careerbot.settings import Settings
from careerbot.text import clean_question

# Answering, retrieval and indexing pull in LangChain, numpy and BM25: imported where they are used,
# so that commands which only read the index (`careerbot status`) start in a fraction of the time.
if TYPE_CHECKING:
    from careerbot.answer import Answer, Generator
    from careerbot.chat import Conversation
    from careerbot.index.indexer import IndexReport, Problem
    from careerbot.retrieval import CareerRetriever, Passage
    from careerbot.understanding import Reader

__all__ = ["CareerBot", "IndexedDocument", "Status"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Status:
    documents: int
    chunks: int
    model: str
    store: str
    corpus: str
    last_update: str | None


@dataclass(frozen=True)
class _Upload:
    """A document checked for `add`: where it came from, the name it is saved under, what was read."""

    path: Path
    name: str
    data: bytes
    profile: Profile


@dataclass(frozen=True)
class IndexedDocument:
    source: str  # path relative to the corpus, as citations show it
    occupation: str
    chunks: int


class CareerBot:
    """Career answers from a folder of occupation profiles, with citations.

    `CareerBot()` uses the defaults (./corpus, ./vectorstore, the bundled MiniLM model);
    any setting can be given as a keyword or a CAREERBOT_* environment variable.
    """

    def __init__(
        self,
        corpus: str | Path | None = None,
        store: str | Path | None = None,
        *,
        settings: Settings | None = None,
        **overrides: Any,
    ) -> None:
        given = {"corpus": corpus, "store": store, **overrides}
        given = {key: value for key, value in given.items() if value is not None}
        if settings is None:
            self.settings = Settings(**given)
        else:
            self.settings = Settings.model_validate({**settings.model_dump(), **given})
        self._lock = threading.RLock()  # one write at a time in this process; readers never take it
        self._write_lock = IndexLock(self.settings.store, timeout=self.settings.lock_timeout)
        self._writer: IndexStore | None = None  # the store of the write in progress
        self._opening = threading.Lock()  # guards _store
        self._store: tuple[tuple[int, ...], IndexStore] | None = None
        self._manifest_cache: tuple[tuple[int, ...], Manifest] | None = None
        self._retriever: tuple[Manifest, CareerRetriever, Reader] | None = None
        self._facts_cache: tuple[Manifest, list[Facts], dict[str, Facts]] | None = None
        self._occupations_cache: tuple[Manifest | None, list[str]] | None = None

    # -- backends, created on first use -------------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        return make_embedder(self.settings)

    @property
    def store(self) -> IndexStore:
        """The index store; opened again once another process has finished writing to it, because
        a Chroma client keeps the vector index it loaded and would never see that write."""
        stamp = _stamp(self.settings.store / MANIFEST_FILE)
        with self._opening:
            if self._store is None or self._store[0] != stamp:
                damaged = damaged_files(self.settings)  # Chroma can crash on damaged index files
                if damaged:
                    raise DamagedStoreError(damaged[0].path, damaged[0].reason)
                with store_errors(self.settings):
                    self._store = (stamp, open_store(self.settings, self.embedder))
            return self._store[1]

    @cached_property
    def generator(self) -> Generator:
        from careerbot.answer import make_generator

        return make_generator(self.settings)

    @property
    def retriever(self) -> CareerRetriever:
        """A LangChain retriever over this bot's index."""
        return self._reading()[0]

    @property
    def reader(self) -> Reader:
        """What reads questions against this bot's index (see `careerbot.understanding`)."""
        return self._reading()[1]

    def _reading(self) -> tuple[CareerRetriever, Reader]:
        # Readers never take the write lock: a question is answered from the last complete index
        # (its manifest names the search files), even while this or another process writes.
        from careerbot.index.search import SearchIndex
        from careerbot.retrieval import CareerRetriever
        from careerbot.understanding import Reader
        from careerbot.understanding.learned import labeller_for

        manifest = self._ensure_index()
        cached = self._retriever
        if cached is None or cached[0] is not manifest:
            search = SearchIndex.load(self.settings.store, manifest.search or "")
            if search is None:  # an index from before the search files: write them now
                self.index()
                return self._reading()
            embeddings = self.embedder.embeddings
            retriever = CareerRetriever(search=search, embeddings=embeddings, k=self.settings.top_k)
            assert retriever.finder is not None
            reader = Reader(
                search, retriever.finder, embeddings, labeller_for(embeddings, self.settings.model_cache)
            )
            retriever.understand = reader.search_terms
            self._retriever = cached = (manifest, retriever, reader)
        return cached[1], cached[2]

    # -- the pipeline ---------------------------------------------------------------------
    def index(self, *, rebuild: bool = False, progress: bool | None = None) -> IndexReport:
        """Bring the index in step with the corpus; only new or edited documents are embedded.

        A run that embedded something (the model is loaded) also makes sure the question labeller
        is fitted for this model, so the first question need not wait for it."""
        report = self._index(rebuild=rebuild, progress=progress)
        if report.added or report.updated:
            from careerbot.understanding.learned import labeller_for

            labeller_for(self.embedder.embeddings, self.settings.model_cache)
        return report

    def _index(
        self, *, rebuild: bool = False, progress: bool | None = None, read: dict[str, Profile] | None = None
    ) -> IndexReport:
        from careerbot.index.indexer import index_corpus

        with self._writing() as (store, waited):
            report = index_corpus(
                self.settings.corpus,
                store,
                self.embedder,
                chunk_chars=self.settings.chunk_chars,
                limits=ReadLimits.of(self.settings),
                rebuild=rebuild,
                progress=progress,
                read=read,
            )
        report.waited = waited
        return report

    def add(self, paths: Iterable[str | Path], *, force: bool = False) -> IndexReport:
        """Copy documents into the corpus, then index; a different file of the same name is kept
        unless `force`. Documents that can't become profiles are reported and not copied.

        Each document is read and checked once, before the write lock is taken: a slow or hostile
        file holds up no other write, and the lock is held only to save and index.
        """
        checked, problems = self._check_uploads(map(Path, paths))
        with self._writing():  # no other process adds the same name, or indexes, meanwhile
            return self._save_and_index(checked, problems, force=force)

    def _check_uploads(self, paths: Iterable[Path]) -> tuple[list[_Upload], list[Problem]]:
        from careerbot.index.indexer import Problem, file_error

        limits = ReadLimits.of(self.settings)
        checked: list[_Upload] = []
        problems = []
        for path in paths:
            name = safe_file_name(path.name)
            try:
                earlier = next((u.path.name for u in checked if u.name == name), None)
                if earlier is not None:
                    raise ProfileError(f"it would be saved as {name}, like {earlier} before it; rename one")
                data = path.read_bytes()
                budget = Budget(limits)
                profile = read_profile(path, path.parent, budget=budget)
                if not profile.filled_sections:
                    raise ProfileError("the document has a title but no text")
                budget.chunks(len(chunk_profile(profile, self.settings.chunk_chars)))
                checked.append(_Upload(path, name, data, profile))
            except (ProfileError, OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
                problems.append(Problem(path.name, file_error(error)))
        return checked, problems

    def _save_and_index(self, checked: list[_Upload], problems: list[Problem], *, force: bool) -> IndexReport:
        from careerbot.index.indexer import Problem
        from careerbot.index.names import NameClaims

        corpus = self.settings.corpus
        corpus.mkdir(parents=True, exist_ok=True)
        manifest = self._manifest()
        indexed = manifest.documents if manifest else {}
        claims = NameClaims(indexed)  # the titles and aliases the indexed documents have
        for source, doc in indexed.items():
            claims.claim_title(doc["occupation"], source)
        read: dict[str, Profile] = {}
        for upload in checked:
            target = corpus / upload.name
            try:
                current = target.read_bytes() if target.exists() else None
                if current is not None and current != upload.data and not force:
                    raise ProfileError(
                        f"a different {target.name} is already in the corpus; use --force to replace it"
                    )
                clash = claims.claim_title(upload.profile.occupation, target.name)
                if clash:
                    raise ProfileError(clash)
                if current != upload.data:  # the bytes that were checked, whatever the upload is now
                    _write_atomically(target, upload.data)
                read[hashlib.sha256(upload.data).hexdigest()] = upload.profile
            except (ProfileError, OSError) as error:
                problems.append(Problem(upload.path.name, str(error)))
        report = self._index(read=read)
        report.problems[:0] = problems
        return report

    def import_onet(self, release: str | Path, *, out: str | Path | None = None) -> ImportReport:
        """Write a profile per occupation of an O*NET text release (folder, zip or Occupation Data.txt)
        into `out` (default: the corpus), except occupations already described there; then `index()`."""
        return import_onet(
            Path(release),
            Path(out) if out is not None else self.settings.corpus,
            max_document_bytes=self.settings.max_document_bytes,
        )

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        """The passages that best match `question`, best first."""
        question = clean_question(question)
        if not question:
            return []
        with store_errors(self.settings):
            retriever, reader = self._reading()
            phrase, asked = reader.search_terms(question)
            return retriever.passages(phrase, k=k, asked=asked)

    def ask(
        self, question: str, history: Sequence[Any] | None = None, *, situation: Sequence[str] | None = None
    ) -> Answer:
        """A cited answer to `question`, or a clear reply saying why there is none.

        `history` (earlier messages, as Gradio or OpenAI-style dicts or (user, bot) pairs)
        keeps follow-ups on the occupation being discussed, and the person's situation they told.
        `situation` (the words of an earlier `answer.situation`, some perhaps removed) replaces the
        situation the history tells.
        """
        return self.chat().resume(history, situation).ask(question)

    def stream(
        self, question: str, history: Sequence[Any] | None = None, *, situation: Sequence[str] | None = None
    ) -> Iterator[str | Answer]:
        """The answer's text in pieces as it is produced, then the finished Answer."""
        yield from self.chat().resume(history, situation).stream(question)

    def chat(self) -> Conversation:
        """A conversation that remembers what it is about: `conv.ask(...)`, `conv.history`."""
        from careerbot.chat import Conversation

        return Conversation(
            self._reading,
            self.generator,
            occupations=self.occupations,
            facts=self.facts,
            guard=lambda: store_errors(self.settings),
            min_relevance=self.settings.min_relevance,
        )

    def profile(self, source: str) -> list[Passage]:
        """Every indexed passage of the document `source` (a path relative to the corpus)."""
        with store_errors(self.settings):
            return self.retriever.profile(source)

    # -- what is indexed ------------------------------------------------------------------
    def occupations(self) -> list[str]:
        """The occupations in the index, sorted."""
        manifest = self._manifest()
        cached = self._occupations_cache
        if cached is None or cached[0] is not manifest:  # sorted once per index: answers ask each time
            documents = manifest.documents.values() if manifest else []
            self._occupations_cache = cached = (manifest, sorted({d["occupation"] for d in documents}))
        return list(cached[1])

    def documents(self) -> list[IndexedDocument]:
        """The documents in the index, by file name."""
        manifest = self._manifest()
        documents = manifest.documents.items() if manifest else []
        return [IndexedDocument(source, d["occupation"], d["chunks"]) for source, d in sorted(documents)]

    @overload
    def facts(self, occupation: None = None) -> list[Facts]: ...
    @overload
    def facts(self, occupation: str) -> Facts | None: ...
    def facts(self, occupation: str | None = None) -> Facts | list[Facts] | None:
        """The figures a profile states (pay, growth, entry education, training, licences), each with
        the sentence it was read from; with no occupation, every indexed profile's, by occupation.

        `occupation` is a title or alias (case and plurals aside) or a document's file name. Read from
        the index's manifest: no model is loaded unless there is no index yet.
        """
        manifest = self._manifest() or self._ensure_index()
        cached = self._facts_cache
        if cached is None or cached[0] is not manifest:
            table = sorted(
                (
                    Facts.from_dict(entry["facts"])
                    for entry in manifest.documents.values()
                    if "facts" in entry  # an index from before facts were read has none until re-indexed
                ),
                key=lambda f: f.occupation.casefold(),
            )
            # file name, then title, then alias keys -> facts (a title wins over another's alias)
            named: dict[str, Facts] = {f.source: f for f in table}
            for facts in table:
                named.setdefault(occupation_key(facts.occupation), facts)
            for facts in table:
                for alias in manifest.documents[facts.source].get("aliases", "").split("; "):
                    if alias:
                        named.setdefault(occupation_key(alias), facts)
            self._facts_cache = cached = (manifest, table, named)
        if occupation is None:
            return list(cached[1])
        return cached[2].get(occupation) or cached[2].get(occupation_key(occupation))

    def status(self) -> Status:
        manifest = self._manifest()
        try:
            with store_errors(self.settings):
                chunks = self._chunk_count() if manifest else 0
        except StoreError as error:  # Chroma won't open a store it can't write: count what the index lists
            if not (error.read_only and manifest):
                raise
            chunks = sum(document["chunks"] for document in manifest.documents.values())
        return Status(
            documents=len(manifest.documents) if manifest else 0,
            chunks=chunks,
            model=manifest.model if manifest else self.embedder.name,
            store=str(self.settings.store),
            corpus=str(self.settings.corpus),
            last_update=manifest.last_update if manifest else None,
        )

    def _chunk_count(self) -> int:
        """The vectors in the store: from the store this bot has open, else without opening one (which
        would load LangChain and the record manager just to count)."""
        opened = self._store
        if opened is not None and opened[0] == _stamp(self.settings.store / MANIFEST_FILE):
            return opened[1].chunk_count()
        damaged = damaged_files(self.settings)  # Chroma can crash on damaged index files
        if damaged:
            raise DamagedStoreError(damaged[0].path, damaged[0].reason)
        return count_chunks(self.settings, lambda: self.store)

    def doctor(self) -> Checkup:
        """Check that the record manager, the vectors, the manifest and the search files agree.
        `index()` repairs what is out of step, re-embedding only that."""
        damaged = damaged_files(self.settings)  # a lock that is a folder can't be held: named first
        if not any(d.path == self._write_lock.path for d in damaged):
            # Store files agree only between writes: looked at under the lock, before the store opens.
            with self._lock, store_errors(self.settings), self._write_lock.hold():
                damaged = damaged_files(self.settings)
                try:
                    if not damaged:
                        with self._writing(repair=False) as (store, _):
                            return check(store, self.embedder, Manifest.load(store.directory))
                except DamagedStoreError as error:  # found when the store was opened
                    damaged = [Damage(error.path, error.reason)]
        return Checkup(
            problems=[f"{d.path} is damaged ({d.reason}): `careerbot index` repairs it" for d in damaged]
        )

    @contextmanager
    def _writing(self, *, repair: bool = True) -> Iterator[tuple[IndexStore, float]]:
        """Hold the write lock, this process's and then the store folder's, with a store opened
        after taking it (so it starts from every write other processes finished); yields the store
        and the seconds spent waiting for another process. Damaged store files are set aside first
        (unless not `repair`), so the write rebuilds what they held."""
        with self._lock:
            if self._writer is not None:  # re-entered: add() indexes while it holds the lock
                yield self._writer, 0.0
                return
            with store_errors(self.settings), self._write_lock.hold() as waited:
                repairs = self._write_lock.repairs + (_set_aside_damaged(self.settings) if repair else [])
                self._writer = self._open_for_writing(repairs if repair else None)
                try:
                    yield self._writer, waited
                finally:
                    with self._opening:  # readers switch to the store that has seen this write
                        self._store = (_stamp(self.settings.store / MANIFEST_FILE), self._writer)
                    self._writer = None

    def _open_for_writing(self, repairs: list[str] | None) -> IndexStore:
        """The store, its vector index read once: if that fails, the Chroma folder is set aside (when
        `repairs` is given: it says so there) and a new one opened, which the write then fills."""
        store, damage = probe(self.settings, lambda: open_store(self.settings, self.embedder))
        if damage is not None:
            if repairs is None:
                raise DamagedStoreError(damage.path, damage.reason)
            repairs.append(f"{damage}, set aside as {set_aside(damage.path).name}")
            store = open_store(self.settings, self.embedder)
        assert store is not None
        store.repairs = repairs or []
        return store

    def _manifest(self) -> Manifest | None:
        """The manifest on disk, re-read only when it changed (e.g. another process re-indexed)."""
        changed = _stamp(self.settings.store / MANIFEST_FILE)
        if not changed:
            return None
        if self._manifest_cache is None or self._manifest_cache[0] != changed:
            try:
                manifest = Manifest.load(self.settings.store)
            except DamagedStoreError as error:  # the next index() sets it aside and rebuilds
                log.warning("%s", error)
                return None
            if manifest is None:
                return None
            self._manifest_cache = (changed, manifest)
        return self._manifest_cache[1]

    def _ensure_index(self) -> Manifest:
        """Build the index on first use; refuse one built by another model."""
        manifest = self._manifest()
        if manifest is None:
            self.index()  # incremental: if another thread or process built it meanwhile, a quick no-op
            manifest = self._manifest()
            assert manifest is not None
        else:
            manifest.check(self.embedder, self.settings.store)
        return manifest


def _set_aside_damaged(settings: Settings) -> list[str]:
    """Rename the store's unreadable files out of the way (held under the write lock); what was done."""
    return [
        f"{damage}, set aside as {set_aside(damage.path).name}" if damage.path.exists() else str(damage)
        for damage in damaged_files(settings)
    ]


def safe_file_name(name: str) -> str:
    """A file name that stays inside the folder it is written to: no path, no odd characters."""
    name = Path(name.replace("\\", "/")).name
    stem, dot, suffix = name.rpartition(".")
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", stem if dot else name).strip("-.") or "document"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower() if dot else ""
    return f"{cleaned}.{suffix}" if suffix else cleaned


def _write_atomically(target: Path, data: bytes) -> None:
    """Write then rename: a reader (or a crash) never sees half a document."""
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _stamp(path: Path) -> tuple[int, ...]:
    """Changes whenever the file is replaced (the manifest is written by rename); () if missing."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return ()
    return (found.st_mtime_ns, found.st_ino, found.st_size)
