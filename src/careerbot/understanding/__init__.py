"""Understanding: what a question asks, about which occupations, given the dialog so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from careerbot.lazy import exports
from careerbot.understanding.language import FACETS, LANGUAGE, Facet
from careerbot.understanding.phrases import job_phrase

if TYPE_CHECKING:
    from careerbot.understanding.mentions import Candidate, Mention
    from careerbot.understanding.reader import DialogState, Query, QueryKind, Reader

# The reader and mentions bring the retriever and LangChain's tracing (half a second): imported on
# first use, so the answerers, which need only the language table, don't pay for them.
_HOMES = {
    "Candidate": "careerbot.understanding.mentions",
    "Mention": "careerbot.understanding.mentions",
    "DialogState": "careerbot.understanding.reader",
    "Query": "careerbot.understanding.reader",
    "QueryKind": "careerbot.understanding.reader",
    "Reader": "careerbot.understanding.reader",
}

__all__ = [
    "FACETS",
    "LANGUAGE",
    "Candidate",
    "DialogState",
    "Facet",
    "Mention",
    "Query",
    "QueryKind",
    "Reader",
    "job_phrase",
]


__getattr__ = exports(__name__, _HOMES)
