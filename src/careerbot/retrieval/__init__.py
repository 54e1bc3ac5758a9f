"""Retrieval: from a job phrase to ranked passages of the right occupation and section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from careerbot.lazy import exports
from careerbot.retrieval.passage import Passage, SectionOrder

if TYPE_CHECKING:
    from careerbot.retrieval.retriever import CareerRetriever

__all__ = ["CareerRetriever", "Passage", "SectionOrder"]

# The retriever brings LangChain's retriever and tracing modules (half a second): loaded when first
# used, not by everything that only handles passages (the web app serves its page sooner).
__getattr__ = exports(__name__, {"CareerRetriever": "careerbot.retrieval.retriever"})
