"""Ranked passages for a question, as our own `Passage` and as a LangChain retriever."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict
from threadpoolctl import ThreadpoolController

from careerbot.index.search import SearchIndex
from careerbot.retrieval.occupations import OccupationFinder, role_and_field
from careerbot.retrieval.passage import Passage, SectionOrder

__all__ = ["CareerRetriever", "embed_texts", "one_blas_thread"]

_BLAS = ThreadpoolController()


def embed_texts(embeddings: Embeddings, texts: list[str]) -> list[list[float]]:
    """Query vectors of `texts`, in one batch where the embedder takes batches of queries."""
    embed_queries = getattr(embeddings, "embed_queries", None)
    return embed_queries(texts) if embed_queries else [embeddings.embed_query(t) for t in texts]


def one_blas_thread() -> Any:
    """A context in which numpy's products use one thread.

    Our products are small, and idle BLAS threads spinning beside the embedding model's threads
    made every later query several times slower."""
    return _BLAS.limit(limits=1, user_api="blas")


class CareerRetriever(BaseRetriever):
    """Finds the occupation a job phrase names, then the sections a question asks for.

    Occupations are ranked by fusing name, passage (dense) and word (BM25) signals (see
    `OccupationFinder`); the best one's passages come first, its sections in the order the
    question wants them (becoming one: education, training, experience, the path up), then the
    best passage of each runner-up occupation. As a LangChain retriever, `understand` (set by the
    bot) reads the job phrase and what is asked from a question.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: SearchIndex
    embeddings: Embeddings
    k: int = 8
    finder: OccupationFinder | None = None
    understand: Callable[[str], tuple[str, SectionOrder | None]] | None = None

    def model_post_init(self, context: object) -> None:
        if self.finder is None:
            self.finder = OccupationFinder(self.search, self.embeddings)

    def passages(
        self, phrase: str, k: int | None = None, *, asked: SectionOrder | None = None
    ) -> list[Passage]:
        """The `k` best passages for a job phrase, best first, the sections `asked` for leading;
        `score` is their cosine similarity."""
        k = k or self.k
        if not self.search.chunks:
            return []
        assert self.finder is not None
        vector = self._embed(phrase)
        # One BLAS thread: these products are small, and idle BLAS threads spinning beside the
        # embedding model's threads made every later query several times slower.
        with _BLAS.limit(limits=1, user_api="blas"):
            ranked = self.finder.rank(phrase, vector, limit=k)
            rows = [self._chunks_by_source()[m.source] for m in ranked]
            scored = [i for r in rows for i in r]
            similarity = dict(zip(scored, self.search.chunk_vectors[scored] @ vector, strict=True))
        ordered = [sorted(r, key=lambda i: -self._section_fit(i, asked, similarity[i])) for r in rows]
        # The best occupation's passages lead; each runner-up then adds its best one; leftovers last.
        lead = max(1, (k + 1) // 2)
        chosen = ordered[0][:lead] + [chunks[0] for chunks in ordered[1:]]
        rest = ordered[0][lead:] + [i for chunks in ordered[1:] for i in chunks[1:]]
        return [self._passage(i, similarity[i]) for i in (chosen + rest)[:k]]

    def fitting(
        self, interests: Sequence[str], *, limit: int = 4, window: float = 0.1
    ) -> list[list[Passage]]:
        """Occupations whose profiles speak of an interest, best first, each as its passages by
        similarity: those within `window` of the best, at least two.

        `interests` is the whole interest, then its parts ("office work", "numbers"): an
        occupation's fit is the mean of its closest passage to each, so it must fit numbers as well
        as offices.
        """
        if not self.search.chunks or not interests:
            return []
        vectors = np.asarray(embed_texts(self.embeddings, list(interests)), dtype=np.float32)
        with _BLAS.limit(limits=1, user_api="blas"):
            similarity = self.search.chunk_vectors @ vectors.T
        best = np.full((len(self.search.sources), len(interests)), -1.0, dtype=np.float32)
        np.maximum.at(best, self.search.chunk_owner, similarity)
        fit = best.mean(axis=1)
        order = np.argsort(-fit, kind="stable")[:limit]
        kept = [int(o) for n, o in enumerate(order) if n < 2 or fit[o] >= fit[order[0]] - window]
        by_source = self._chunks_by_source()
        groups = []
        for owner in kept:
            rows = sorted(by_source[self.search.sources[owner]], key=lambda i: -similarity[i, 0])
            groups.append([self._passage(i, similarity[i, 0]) for i in rows])
        return groups

    def with_profile(self, passages: list[Passage]) -> list[Passage]:
        """`passages`, then the rest of the best passage's profile, so every section is at hand.

        Finding the occupation is the hard part; once found, its whole profile is small enough to
        hand to the answerer, which picks the sections the question asks for.
        """
        if not passages:
            return passages
        seen = {p.chunk_id for p in passages}
        rest = self.profile(passages[0].source, score=passages[0].score)
        return passages + [p for p in rest if p.chunk_id not in seen]

    def profile(self, source: str, *, score: float = 1.0) -> list[Passage]:
        """Every passage of one profile, in document order, all with the same `score`."""
        return [self._passage(i, score) for i in self._chunks_by_source().get(source, [])]

    def passages_of(
        self, text: str, source: str, k: int | None = None, *, asked: SectionOrder | None = None
    ) -> list[Passage]:
        """The best passages for `text` within one profile, the sections `asked` for first."""
        rows = self._chunks_by_source().get(source, [])
        if not rows:
            return []
        # The question as written: the reader embedded it already (the query cache has it).
        vector = np.asarray(self.embeddings.embed_query(text), dtype=np.float32)
        with _BLAS.limit(limits=1, user_api="blas"):
            similarity = self.search.chunk_vectors[rows] @ vector
        fit = {i: self._section_fit(i, asked, s) for i, s in zip(rows, similarity, strict=True)}
        best = sorted(rows, key=lambda i: -fit[i])[: k or self.k]
        scores = dict(zip(rows, similarity, strict=True))
        return [self._passage(i, scores[i]) for i in best]

    def _embed(self, phrase: str) -> np.ndarray:
        """The phrase's vector; the words before its head noun (which the finder asks for next) are
        embedded in the same batch where the embedder can batch queries."""
        _, field = role_and_field(phrase)
        embed_queries = getattr(self.embeddings, "embed_queries", None)
        if field and embed_queries is not None:
            return np.asarray(embed_queries([phrase, field])[0], dtype=np.float32)
        return np.asarray(self.embeddings.embed_query(phrase), dtype=np.float32)

    def _section_fit(self, row: int, asked: SectionOrder | None, similarity: float) -> float:
        """How well a chunk answers what is asked: its section's place in the asked order, whether
        it speaks to it at all (cue words), and its similarity to the question."""
        if asked is None:
            return similarity
        rank = asked.section_rank(self.search.chunks[row].section)
        place = 0.0 if rank is None else 1.0 - rank / len(asked.sections)
        cues = asked.sentence_cues
        spoken = min(3, len(cues & self.search.chunk_stems(row))) / 3 if cues else 0.0
        return place + 0.5 * spoken + 0.5 * similarity

    def _chunks_by_source(self) -> dict[str, list[int]]:
        grouped = self.__dict__.get("_grouped")
        if grouped is None:
            grouped = {}
            for i, chunk in enumerate(self.search.chunks):
                grouped.setdefault(chunk.source, []).append(i)
            self.__dict__["_grouped"] = grouped
        return grouped

    def _passage(self, row: int, score: float) -> Passage:
        chunk = self.search.chunks[row]
        return Passage(
            chunk_id=chunk.id,
            occupation=chunk.occupation,
            section=chunk.section,
            source=chunk.source,
            text=chunk.text,
            score=round(float(score), 4),
            position=chunk.position,
            aliases=chunk.aliases,
        )

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        phrase, asked = self.understand(query) if self.understand else (query, None)
        return [p.to_document() for p in self.passages(phrase, asked=asked)]
