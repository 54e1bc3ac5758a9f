"""Career facts: pay, outlook, entry education, training and licences, read from profiles as data."""

from careerbot.facts.extract import education_level, facts_of, read_facts
from careerbot.facts.model import (
    EDUCATION_LEVELS,
    Education,
    Evidence,
    Facts,
    Growth,
    Licence,
    Pay,
    Training,
    education_rank,
)

__all__ = [
    "EDUCATION_LEVELS",
    "Education",
    "Evidence",
    "Facts",
    "Growth",
    "Licence",
    "Pay",
    "Training",
    "education_level",
    "education_rank",
    "facts_of",
    "read_facts",
]
