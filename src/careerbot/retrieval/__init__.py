"""Retrieval: from a job phrase to ranked passages of the right occupation and section."""

from careerbot.retrieval.retriever import CareerRetriever, Passage, SectionOrder

__all__ = ["CareerRetriever", "Passage", "SectionOrder"]
