"""Career facts: pay, outlook, entry education, training, licences and what the work is like (attributes),
read from profiles as data."""

from careerbot.facts.extract import education_level, facts_of, implausible, read_facts
from careerbot.facts.model import (
    ATTRIBUTES,
    EDUCATION_LEVELS,
    Attribute,
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
    "ATTRIBUTES",
    "EDUCATION_LEVELS",
    "Attribute",
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
    "implausible",
    "read_facts",
]
