"""careerbot: career answers from occupation profiles, every statement cited."""

from careerbot.answer import Answer, Citation
from careerbot.bot import CareerBot, Status
from careerbot.documents.onet import ImportReport
from careerbot.errors import (
    CareerBotError,
    IndexBusyError,
    IndexMismatchError,
    StoreUnavailableError,
    UnknownBackendError,
)
from careerbot.facts import Facts
from careerbot.index import IndexReport, Problem
from careerbot.profiles import Profile, Section, parse_profile
from careerbot.retrieval import CareerRetriever, Passage
from careerbot.settings import Settings

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
    "StoreUnavailableError",
    "UnknownBackendError",
    "parse_profile",
]
