"""Ranked passages for a question, as our own `Passage` and as a LangChain retriever."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict

from careerbot.retrieval.occupations import OccupationFinder

__all__ = ["CareerRetriever", "Passage"]


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

    @classmethod
    def from_document(cls, document: Document, score: float) -> Passage:
        meta = document.metadata
        aliases = tuple(a for a in meta.get("aliases", "").split("; ") if a)
        # The stored text starts with a header line naming occupation and section (see Chunk).
        text = document.page_content.split("\n", 1)[-1]
        return cls(
            chunk_id=document.id or "",
            occupation=meta["occupation"],
            section=meta["section"],
            source=meta["source"],
            text=text,
            score=round(score, 4),
            position=int(meta.get("position", 0)),
            aliases=aliases,
        )

    def to_document(self) -> Document:
        meta = asdict(self)
        meta["aliases"] = "; ".join(self.aliases)
        return Document(id=self.chunk_id or None, page_content=meta.pop("text"), metadata=meta)


class CareerRetriever(BaseRetriever):
    """Dense search over section chunks; the seam where other signals are fused in."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vectors: VectorStore
    occupations: OccupationFinder | None = None
    k: int = 8
    # A question naming an occupation this well (0..1) is taken to be about it.
    min_name_match: float = 0.5

    def passages(self, question: str, k: int | None = None) -> list[Passage]:
        """The `k` best passages for `question`, best first, each with a cosine score.

        Dense search finds candidates; when the question names an occupation (a title or
        alias), that occupation's passages go first, fetched if dense search missed them.
        """
        k = k or self.k
        found = self._dense(question, k)
        named = self.occupations.find(question) if self.occupations else []
        if not named or named[0].score < self.min_name_match:
            return found
        # Names that match equally well ("nurse"): dense search breaks the tie.
        tied = {m.source for m in named if m.score == named[0].score}
        source = next((p.source for p in found if p.source in tied), named[0].source)
        own = [p for p in found if p.source == source] or self._dense(question, 3, source)
        return (own + [p for p in found if p.source != source])[:k]

    def _dense(self, question: str, k: int, source: str | None = None) -> list[Passage]:
        where = {"source": source} if source else None
        found = self.vectors.similarity_search_with_score(question, k=k, filter=where)
        # Chroma's cosine space returns a distance: 1 - cosine similarity.
        return [Passage.from_document(doc, 1.0 - distance) for doc, distance in found]

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
        found = self.vectors.get(where={"source": source})
        passages = [
            Passage.from_document(Document(id=i, page_content=text, metadata=meta), score)
            for i, text, meta in zip(found["ids"], found["documents"], found["metadatas"], strict=True)
        ]
        return sorted(passages, key=lambda p: p.position)

    def passages_of(self, question: str, source: str, k: int | None = None) -> list[Passage]:
        """The best passages for `question` within one profile."""
        return self._dense(question, k or self.k, source)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [p.to_document() for p in self.passages(query)]
