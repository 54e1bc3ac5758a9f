"""careerbot: career answers from occupation profiles, every statement cited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from careerbot.lazy import exports

if TYPE_CHECKING:
    from careerbot.answer import Answer, Citation
    from careerbot.bot import CareerBot, Status
    from careerbot.documents.onet import ImportReport
    from careerbot.errors import (
        CareerBotError,
        IndexBusyError,
        IndexMismatchError,
        StoreError,
        StoreUnavailableError,
        UnknownBackendError,
    )
    from careerbot.facts import Facts
    from careerbot.index import IndexReport, Problem
    from careerbot.profiles import Profile, Section, parse_profile
    from careerbot.retrieval import CareerRetriever, Passage
    from careerbot.settings import Settings

# Where each public name lives. They are imported on first use, so that a command which only reads
# the index (`careerbot status`) doesn't pay for LangChain, Chroma and the model's libraries.
_HOMES = {
    "Answer": "careerbot.answer",
    "CareerBot": "careerbot.bot",
    "CareerBotError": "careerbot.errors",
    "CareerRetriever": "careerbot.retrieval",
    "Citation": "careerbot.answer",
    "Facts": "careerbot.facts",
    "ImportReport": "careerbot.documents.onet",
    "IndexBusyError": "careerbot.errors",
    "IndexMismatchError": "careerbot.errors",
    "IndexReport": "careerbot.index",
    "Passage": "careerbot.retrieval",
    "Problem": "careerbot.index",
    "Profile": "careerbot.profiles",
    "Section": "careerbot.profiles",
    "Settings": "careerbot.settings",
    "Status": "careerbot.bot",
    "StoreError": "careerbot.errors",
    "StoreUnavailableError": "careerbot.errors",
    "UnknownBackendError": "careerbot.errors",
    "parse_profile": "careerbot.profiles",
}

__all__ = [
    "Answer",
    "CareerBot",
    "CareerBotError",
    "CareerRetriever",
    "Citation",
    "Facts",
    "ImportReport",
    "IndexBusyError",
    "IndexMismatchError",
    "IndexReport",
    "Passage",
    "Problem",
    "Profile",
    "Section",
    "Settings",
    "Status",
    "StoreError",
    "StoreUnavailableError",
    "UnknownBackendError",
    "parse_profile",
]


__getattr__ = exports(__name__, _HOMES)


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
