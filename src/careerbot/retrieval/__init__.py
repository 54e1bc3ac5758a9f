"""Retrieval: from a question to ranked passages of the right occupation and section."""

from careerbot.retrieval.intent import INTENTS, Intent, detect_intent
from careerbot.retrieval.retriever import CareerRetriever, Passage

__all__ = ["INTENTS", "CareerRetriever", "Intent", "Passage", "detect_intent"]
