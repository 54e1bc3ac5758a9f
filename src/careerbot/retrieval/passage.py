"""What retrieval returns: a `Passage`, and what it needs to know of the question's facet."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from langchain_core.documents import Document

__all__ = ["Passage", "SectionOrder"]


class SectionOrder(Protocol):
    """What a question asks, as retrieval needs it: which sections answer it, in which order."""

    sentence_cues: frozenset[str]

    def section_rank(self, section: str) -> int | None: ...

    @property
    def sections(self) -> tuple[Any, ...]: ...


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
