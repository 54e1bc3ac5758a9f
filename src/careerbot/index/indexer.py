"""Bring the index in step with the corpus through LangChain's indexing API.

The manifest keeps each indexed document's content hash, so a run reads, chunks and embeds only the
documents that are new or changed, and deletes the chunks of those that are gone. When nothing
changed it writes nothing at all. A full pass, which reads every document and lets LangChain's
"full" cleanup drop whatever it did not see, runs instead when the manifest can't be trusted to
describe the store: no manifest yet, `--rebuild`, a change in the code or settings that make
chunks, a run that did not finish, or records, vectors and manifest that disagree.
"""

from __future__ import annotations

import errno
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from langchain_core.documents import Document
from tqdm import tqdm

from careerbot.chunks import Chunk, chunk_profile
from careerbot.documents import Budget, ReadLimits, find_documents, read_profile, source_name
from careerbot.errors import CareerBotError
from careerbot.facts import Facts, implausible, read_facts
from careerbot.index.doctor import check, heal
from careerbot.index.embedder import Embedder
from careerbot.index.manifest import UNFINISHED, Manifest
from careerbot.index.names import NameClaims
from careerbot.index.search import SearchIndex
from careerbot.index.store import PAGE, IndexStore
from careerbot.profiles import Profile, ProfileError, occupation_key

__all__ = ["IndexReport", "Problem", "document_chunks", "file_error", "index_corpus"]

# What turns a file into chunks and search files (below src/careerbot): when this code changes,
# every document is read again, as LangChain's records would otherwise keep the old chunks.
PIPELINE_CODE = ("documents", "profiles", "chunks", "facts", "text.py", "index/search.py")


@dataclass(frozen=True)
class Problem:
    source: str
    reason: str
    indexed: bool = False  # the document is indexed all the same: a note on what was left out of it


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
    repairs: list[str] = field(default_factory=list)  # damaged store files set aside and rebuilt
    waited: float = 0.0  # seconds spent waiting for another process's write to finish

    def summary(self) -> str:
        lines = [
            f"{self.documents} documents, {self.chunks} chunks "
            f"(added {self.added}, updated {self.updated}, skipped {self.skipped}, "
            f"deleted {self.deleted}) in {self.seconds:.1f} s"
        ]
        if self.waited:
            lines.append(f"waited {self.waited:.1f} s for another process to finish updating the index")
        lines += [f"repaired: {repair}; rebuilt from the corpus" for repair in self.repairs]
        if self.repaired and not self.repairs:  # else a consequence of the damaged files
            lines.append(f"repaired {self.repaired} records or vectors that were out of step")
        lines += [
            f"indexed {p.source}, but {p.reason}" if p.indexed else f"skipped {p.source}: {p.reason}"
            for p in self.problems
        ]
        return "\n".join(lines)


@dataclass
class _Plan:
    """What a run writes, and what the manifest says after it."""

    write: dict[str, list[Document]] = field(default_factory=dict)  # source -> chunks for index()
    documents: dict[str, dict] = field(default_factory=dict)  # source -> its manifest entry
    problems: list[Problem] = field(default_factory=list)


def index_corpus(
    corpus: Path,
    store: IndexStore,
    embedder: Embedder,
    *,
    chunk_chars: int,
    limits: ReadLimits,
    rebuild: bool = False,
    progress: bool | None = None,
    read: dict[str, Profile] | None = None,
) -> IndexReport:
    """Index new and edited documents, drop removed ones; a broken document keeps its last version.

    `read` holds documents already read and checked (by sha256 of their bytes), not read again.
    """
    started = time.perf_counter()
    if not corpus.is_dir():
        # Indexing an empty list would empty the index: refuse instead.
        raise CareerBotError(f"the corpus folder {corpus} does not exist")
    manifest = Manifest.load(store.directory)
    # Another model's vectors can't be searched with this one's: embed everything again.
    other_model = manifest is not None and not manifest.made_by(embedder)
    rebuild = rebuild or other_model
    indexed = manifest.documents if manifest else {}
    version = _pipeline_version(chunk_chars, limits)
    unfinished = store.directory / UNFINISHED
    full = rebuild or manifest is None or manifest.pipeline != version or unfinished.exists()

    def plan() -> _Plan:
        # Read before any reset, so a rebuild keeps the last good version of a broken document too.
        return _plan(
            corpus, store, indexed, full=full, limits=limits, chunk_chars=chunk_chars, read=read or {}
        )

    chosen = plan()
    # A crash (or langchain's own drift) can leave records and vectors out of step: undo that first,
    # so this run re-embeds what is missing and leaves nothing orphaned.
    checkup = check(store, embedder, manifest)
    drift = checkup.drift or checkup.stored != {s: d.get("chunks") for s, d in indexed.items()}
    gone = sorted(indexed.keys() - chosen.documents.keys())
    previous = SearchIndex.load(store.directory, manifest.search) if manifest and manifest.search else None
    repairs = list(store.repairs)
    if other_model:
        repairs.append(f"the index was built with {manifest.model}, the configured model is {embedder.name}")
    if manifest and manifest.search and previous is None:
        repairs.append(f"the search files {manifest.search} were missing or damaged")
    if not (full or drift or chosen.write or gone) and previous is not None:
        report = _report(chosen, {}, started)  # nothing changed: nothing to write
        report.repairs = repairs
        return report

    unfinished.touch()  # removed once the manifest is written; until then the next run is a full pass
    repaired = 0
    if rebuild or manifest is None:
        store.reset()
        manifest = Manifest(embedder.name, embedder.dimension)
        previous = None
    else:
        repaired = heal(store, checkup)
        if drift and not full:  # the manifest no longer describes the store: read everything
            full = True
            chosen = plan()
    deleted = 0 if full else _remove(store, gone)  # a full pass's cleanup drops them

    def chunk_documents() -> Iterator[Document]:
        # A generator, so the progress bar follows the embedding.
        for chunks in tqdm(
            chosen.write.values(), desc="indexing", unit="doc", disable=_quiet(progress, chosen.write)
        ):
            yield from chunks

    # LangChain's indexing API brings its retriever and tracing modules (half a second): not
    # imported by everything that only reads an IndexReport (the web app's start).
    from langchain_core.indexing import index

    counts = index(
        chunk_documents(),
        store.records,
        store.vectors,
        cleanup="full" if full else "scoped_full",
        source_id_key="source",
        key_encoder="sha256",
        batch_size=256,
    )
    counts["num_deleted"] += deleted

    manifest.documents = chosen.documents
    manifest.pipeline = version
    manifest.last_update = datetime.now(UTC).isoformat(timespec="seconds")
    # The lexical index and the embedded names, from what the vector store now holds.
    search = SearchIndex.build(store.vectors, embedder.embeddings, previous)
    _cite_chunks(manifest.documents, chosen.write, search)
    manifest.search = search.save(store.directory)
    manifest.save(store.directory)
    unfinished.unlink()
    SearchIndex.remove_others(store.directory, keep=manifest.search)
    report = _report(chosen, counts, started)
    report.repaired = repaired
    report.repairs = repairs
    return report


def _report(chosen: _Plan, counts: dict[str, int], started: float) -> IndexReport:
    unwritten = sum(d["chunks"] for source, d in chosen.documents.items() if source not in chosen.write)
    return IndexReport(
        added=counts.get("num_added", 0),
        updated=counts.get("num_updated", 0),
        skipped=counts.get("num_skipped", 0) + unwritten,
        deleted=counts.get("num_deleted", 0),
        documents=len(chosen.documents),
        chunks=sum(d["chunks"] for d in chosen.documents.values()),
        problems=chosen.problems,
        seconds=time.perf_counter() - started,
    )


def _plan(
    corpus: Path,
    store: IndexStore,
    indexed: dict[str, dict],
    *,
    full: bool,
    chunk_chars: int,
    limits: ReadLimits,
    read: dict[str, Profile],
) -> _Plan:
    """The chunks to index, by source, and the manifest's documents after the run.

    Documents whose content is what was indexed are not read, unless `full`. A document that can't
    be read keeps its last indexed version. One occupation has one document: the one already indexed
    under it keeps it, otherwise the first in path order; others are skipped.
    """
    plan = _Plan()

    def last_version(source: str) -> _Version | None:
        """The version indexed before, if any; a full pass feeds its chunks again so cleanup keeps them."""
        if source not in indexed:
            return None
        if not full:
            return _Version(indexed[source], None)
        chunks = _last_indexed(store, source)
        return _Version(indexed[source], chunks) if chunks else None

    candidates: dict[str, _Version] = {}
    for path in find_documents(corpus):
        source = source_name(path, corpus)
        try:
            digest = _digest(path, limits.max_bytes)
            if not full and digest is not None and indexed.get(source, {}).get("sha256") == digest:
                candidates[source] = _Version(indexed[source], None)  # unchanged: not read again
                continue
            budget = Budget(limits)  # reading, chunking and the facts: one time limit
            known = read.get(digest or "")
            if known is not None:
                pieces = chunk_profile(replace(known, source=source), chunk_chars)
            else:
                pieces = document_chunks(path, corpus, budget=budget, chunk_chars=chunk_chars)
            # The figures the profile states, read with it (and so only when it is new or edited).
            facts = read_facts(pieces, occupation=pieces[0].occupation, source=source, check=budget.check)
            facts, notes = implausible(facts)
            candidates[source] = _Version(_entry(pieces, digest, facts), None, pieces, notes)
        except Exception as error:  # whatever a file does, it is that file's problem
            last = last_version(source)
            plan.problems.append(Problem(source, _kept(file_error(error), last)))
            if last:
                candidates[source] = last

    def already_indexed(source: str) -> bool:
        before = indexed.get(source, {}).get("occupation", "")
        return occupation_key(before) == occupation_key(candidates[source].occupation)

    # One occupation per title, one document per occupation: the one already indexed under it keeps
    # it, else the first in path order. Titles first, then the aliases of the documents read.
    claims = NameClaims({source: indexed[source] for source in candidates if source in indexed})
    accepted: dict[str, _Version] = {}
    for source in sorted(candidates, key=lambda s: (not already_indexed(s), s)):
        version: _Version | None = candidates[source]
        reason = claims.claim_title(version.occupation, source)
        if reason:
            # Like an edit that can't be read: the version indexed before stays, if it is no clash itself.
            version = last_version(source)
            if version and claims.claim_title(version.occupation, source):
                version = None
            plan.problems.append(Problem(source, _kept(reason, version)))
            if version is None:
                continue
        accepted[source] = version
    for source, version in accepted.items():
        if version.pieces is not None:  # read in this run: its aliases are checked now
            kept, note = claims.aliases_of(source, version.occupation, list(version.pieces[0].aliases))
            notes = [note, *version.notes] if note else version.notes
            plan.problems += [Problem(source, note, indexed=True) for note in notes]
            version = version.with_aliases(kept)
        plan.documents[source] = version.entry
        if version.chunks is not None:
            plan.write[source] = version.chunks
    plan.problems.sort(key=lambda p: p.source)
    plan.documents = dict(sorted(plan.documents.items()))
    plan.write = dict(sorted(plan.write.items()))
    return plan


@dataclass(frozen=True)
class _Version:
    """A version of a document: its manifest entry, and its chunks to index (None: indexed as it is);
    a version read in this run has its chunks as `pieces`, made into documents once its aliases are known."""

    entry: dict
    chunks: list[Document] | None
    pieces: list[Chunk] | None = None
    notes: list[str] = field(default_factory=list)  # what was left out of it (implausible figures)

    @property
    def occupation(self) -> str:
        return self.entry["occupation"]

    def with_aliases(self, aliases: list[str]) -> _Version:
        assert self.pieces is not None
        pieces = [replace(piece, aliases=tuple(aliases)) for piece in self.pieces]
        chunks = [piece.to_document() for piece in pieces]
        return _Version({**self.entry, "aliases": chunks[0].metadata["aliases"]}, chunks, pieces, self.notes)


def document_chunks(
    path: Path,
    corpus: Path,
    *,
    limits: ReadLimits | None = None,
    budget: Budget | None = None,
    chunk_chars: int,
) -> list[Chunk]:
    """One document read, parsed and chunked within its limits (or what is left of `budget`);
    ProfileError says why it can't be."""
    budget = budget or Budget(limits or ReadLimits())
    chunks = chunk_profile(read_profile(path, corpus, budget=budget), chunk_chars)
    if not chunks:
        raise ProfileError("the document has a title but no text")
    budget.chunks(len(chunks))
    return chunks


def file_error(error: Exception) -> str:
    """What went wrong with a file, without the traceback's path and errno."""
    if isinstance(error, FileNotFoundError):
        return "the file vanished while it was being read"
    if isinstance(error, PermissionError):
        return "the file can't be read (permission denied)"
    loop = isinstance(error, RuntimeError) and not isinstance(error, RecursionError)
    if loop or getattr(error, "errno", None) == errno.ELOOP:
        return "the file is a link that leads back to itself (a link loop)"
    if isinstance(error, OSError):
        return f"the file can't be read ({error.strerror or type(error).__name__})"
    if isinstance(error, ProfileError):
        return str(error)
    return f"reading it failed ({type(error).__name__}: {error})"


def _entry(pieces: list[Chunk], digest: str | None, facts: Facts) -> dict:
    return {
        "occupation": pieces[0].occupation,
        "aliases": "; ".join(pieces[0].aliases),
        "chunks": len(pieces),
        "sha256": digest,
        "facts": facts.stored(),
    }


def _cite_chunks(documents: dict[str, dict], written: dict[str, list[Document]], search: SearchIndex) -> None:
    """Name the indexed chunk behind each fact of the documents just read (by source and position)."""
    if not written:
        return
    ids = {(c.source, c.position): c.id for c in search.chunks if c.source in written}
    for source in written:
        facts = documents.get(source, {}).get("facts")
        if facts and facts.keys() - {"occupation", "source"}:  # a profile that states something
            documents[source]["facts"] = Facts.from_dict(facts).with_chunk_ids(ids).stored()


def _digest(path: Path, max_bytes: int) -> str | None:
    """The sha256 of the file's bytes; None when it is over the size limit (read_profile says so)."""
    if path.stat().st_size > max_bytes:
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _remove(store: IndexStore, sources: list[str]) -> int:
    """Delete the chunks of documents that are no longer indexed: vectors first, then their records
    (as LangChain's cleanup does, so a crash in between leaves records that the next run drops)."""
    if not sources:
        return 0
    keys = store.records.list_keys(group_ids=sources)
    for start in range(0, len(keys), PAGE):
        page = keys[start : start + PAGE]
        store.vectors.delete(page)
        store.records.delete_keys(page)
    return len(keys)


def _pipeline_version(chunk_chars: int, limits: ReadLimits) -> str:
    """Changes when the code or the settings that turn files into chunks and search files change."""
    package = Path(__file__).resolve().parents[1]
    # The time limit is left out: it depends on the machine, and a changed one shouldn't mean a full pass.
    sizes = (
        limits.max_bytes,
        limits.max_expanded_bytes,
        limits.max_sections,
        limits.max_aliases,
        limits.max_chunks,
    )
    digest = hashlib.sha256(f"{chunk_chars} {sizes}".encode())
    for name in PIPELINE_CODE:
        path = package / name
        for code in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(code.read_bytes())
    return digest.hexdigest()[:16]


def _kept(reason: str, last_version: _Version | None) -> str:
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
