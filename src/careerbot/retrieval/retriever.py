"""Ranked passages for a question, as our own `Passage` and as a LangChain retriever."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict
from threadpoolctl import ThreadpoolController

from careerbot.index.search import SearchIndex
from careerbot.retrieval.intent import Intent, detect_intent, job_phrase
from careerbot.retrieval.occupations import OccupationFinder, OccupationMatch, role_and_field
from careerbot.text import stems

__all__ = ["CareerRetriever", "Passage"]

_BLAS = ThreadpoolController()


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk: what it says, where it comes from, how well it matched."""

    chunk_id: str
    occupation: str
    section: str
    source: str
    text: str
    score: float
    position: int = 0
    aliases: tuple[str, ...] = ()

    def to_document(self) -> Document:
        meta = asdict(self)
        meta["aliases"] = "; ".join(self.aliases)
        return Document(id=self.chunk_id or None, page_content=meta.pop("text"), metadata=meta)


class CareerRetriever(BaseRetriever):
    """Finds the occupation a question is about, then the sections its intent asks for.

    Occupations are ranked by fusing name, passage (dense) and word (BM25) signals (see
    `OccupationFinder`); the best one's passages come first, its sections in the order the
    question's intent wants them (becoming one: education, training, experience, the path up),
    then the best passage of each runner-up occupation.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    search: SearchIndex
    embeddings: Embeddings
    k: int = 8
    finder: OccupationFinder | None = None

    def model_post_init(self, context: object) -> None:
        if self.finder is None:
            self.finder = OccupationFinder(self.search, self.embeddings)

    def passages(self, question: str, k: int | None = None) -> list[Passage]:
        """The `k` best passages for `question`, best first; `score` is their cosine similarity."""
        k = k or self.k
        if not self.search.chunks:
            return []
        assert self.finder is not None
        phrase = job_phrase(question) or question
        vector = self._embed(phrase)
        # One BLAS thread: these products are small, and idle BLAS threads spinning beside the
        # embedding model's threads made every later query several times slower.
        with _BLAS.limit(limits=1, user_api="blas"):
            similarity = self.search.chunk_vectors @ vector
            ranked = self.finder.rank(phrase, vector, similarity, limit=k)
        intent = detect_intent(question)
        by_source = self._chunks_by_source()
        ordered = [
            sorted(by_source[m.source], key=lambda i: -self._section_fit(i, intent, similarity[i]))
            for m in ranked
        ]
        # The best occupation's passages lead; each runner-up then adds its best one; leftovers last.
        lead = max(1, (k + 1) // 2)
        chosen = ordered[0][:lead] + [chunks[0] for chunks in ordered[1:]]
        rest = ordered[0][lead:] + [i for chunks in ordered[1:] for i in chunks[1:]]
        return [self._passage(i, similarity[i]) for i in (chosen + rest)[:k]]

    def named(self, text: str) -> OccupationMatch | None:
        """The occupation `text` names by one of its titles or aliases, if it names one.

        Unlike `passages`, which always ranks someone first, this answers "is this question
        about a job by name?", which a conversation needs to tell a new subject from a follow-up.
        """
        phrase = job_phrase(text)
        if not phrase or not self.search.chunks:
            return None
        assert self.finder is not None
        vector = self._embed(phrase)
        with _BLAS.limit(limits=1, user_api="blas"):
            best = self.finder.rank(phrase, vector, limit=1)[0]
        asked, name = set(stems(phrase)), set(stems(best.name))
        return best if len(asked & name) >= max(1, len(asked | name) / 2) else None

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

    def passages_of(self, question: str, source: str, k: int | None = None) -> list[Passage]:
        """The best passages for `question` within one profile, the sections its intent asks for first."""
        rows = self._chunks_by_source().get(source, [])
        if not rows:
            return []
        phrase = job_phrase(question) or question
        vector = self._embed(phrase)
        with _BLAS.limit(limits=1, user_api="blas"):
            similarity = self.search.chunk_vectors[rows] @ vector
        intent = detect_intent(question)
        fit = {i: self._section_fit(i, intent, s) for i, s in zip(rows, similarity, strict=True)}
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

    def _section_fit(self, row: int, intent: Intent, similarity: float) -> float:
        """How well a chunk answers the intent: its section's place in the intent's list, whether
        it speaks to the intent at all (cue words), and its similarity to the question."""
        rank = intent.section_rank(self.search.chunks[row].section)
        place = 0.0 if rank is None else 1.0 - rank / len(intent.sections)
        cues = min(3, len(intent.cues & self.search.chunk_stems(row))) / 3 if intent.cues else 0.0
        return place + 0.5 * cues + 0.5 * similarity

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
        return [p.to_document() for p in self.passages(query)]
