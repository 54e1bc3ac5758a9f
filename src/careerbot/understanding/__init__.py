"""Understanding: what a question asks, about which occupations, given the dialog so far."""

from careerbot.understanding.language import FACETS, LANGUAGE, Facet
from careerbot.understanding.mentions import Candidate, Mention
from careerbot.understanding.phrases import job_phrase
from careerbot.understanding.reader import DialogState, Query, QueryKind, Reader

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
