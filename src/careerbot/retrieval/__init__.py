"""Retrieval: from a job phrase to ranked passages of the right occupation and section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from careerbot.retrieval.passage import Passage, SectionOrder

if TYPE_CHECKING:
    from careerbot.retrieval.retriever import CareerRetriever

__all__ = ["CareerRetriever", "Passage", "SectionOrder"]


def __getattr__(name: str) -> Any:
    # The retriever brings LangChain's retriever and tracing modules (half a second): loaded when
    # first used, not by everything that only handles passages (the web app serves its page sooner).
    if name == "CareerRetriever":
        from careerbot.retrieval.retriever import CareerRetriever

        return CareerRetriever
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
