"""The language table (language.toml) as typed data: framing words, facets and question kinds."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from careerbot.text import singular, stem, stems, words

__all__ = ["FACETS", "KINDS", "LANGUAGE", "Facet", "Kind", "Language", "facet_of"]


@dataclass(frozen=True)
class Facet:
    """What a question asks about an occupation, and where a profile says it."""

    name: str
    row: str  # its line in a comparison table ("" for none)
    sections: tuple[re.Pattern[str], ...]  # section-name patterns, in the order an answer reads them
    cues: frozenset[str]  # stems of question words that point here
    sentence_cues: frozenset[str]  # stems that mark a sentence speaking to it
    examples: tuple[str, ...]
    measure: str = ""  # the career fact that ranks jobs on it: pay, growth, education ("" none)

    def section_rank(self, section: str) -> int | None:
        """Position of `section` among this facet's sections, or None if it is not one."""
        return next((i for i, p in enumerate(self.sections) if p.search(section)), None)


@dataclass(frozen=True)
class Kind:
    """A kind of question not about one occupation (explore, rank, greeting, ...)."""

    name: str
    cues: frozenset[str]
    examples: tuple[str, ...]
    needs: tuple[str, ...] = ()  # words or phrases (any one) a question of this kind contains
    nearest: int = 2  # how many nearest examples are averaged


@dataclass(frozen=True)
class Language:
    framing: frozenset[str]  # words, not stems: they are compared with a question's words
    soft: frozenset[str]  # stems
    title_heads: frozenset[str]  # words, singular: a stem would take "office" for "officer"
    articles: frozenset[str]  # before a phrase: it names one person
    schooling: frozenset[str]  # the schooling a person has: never an interest to search by
    joiners: frozenset[str]
    clause_openers: frozenset[str]  # question words: each opens a new clause
    negations: frozenset[str]  # what follows them in a clause is not wanted ...
    wanted_again: frozenset[str]  # ... up to one of these
    not_initials: frozenset[str]
    pronouns: frozenset[str]
    plural_pronouns: frozenset[str]  # "which of those ...": the last list, not the one in focus
    against: frozenset[str]  # "more than X": the job named is set against the one in focus
    addressed: frozenset[str]  # "your": the word after it is the bot's own data ("your list")
    ordinals: dict[tuple[str, ...], str]  # one or two words -> first ... fifth | last | other
    corrections: tuple[str, ...]  # phrases after which a question names the job it meant
    facets: dict[str, Facet]
    kinds: dict[str, Kind]
    fields: dict[str, str]  # field of work -> its description in the words profiles use
    lowest: frozenset[str]  # words that ask for a ranking's lowest first
    floor: frozenset[str]  # words before an amount that make it a floor
    soonest: frozenset[str]  # words that rank by how soon one can start (the stated training)
    no_degree: tuple[str, ...]  # phrases that limit a ranking to jobs open without a degree
    yes_no: frozenset[str]  # a question opening with one of these is answered yes or no

    @property
    def cue_words(self) -> frozenset[str]:
        """Stems of every facet's and kind's cue words: what a question asks, not whom about."""
        return frozenset().union(
            *(f.cues for f in self.facets.values()), *(k.cues for k in self.kinds.values())
        )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _cues(text: str) -> frozenset[str]:
    """Stems of cue words, stop words included ("most", "more" are cues of their own)."""
    return frozenset(stem(word) for word in words(text))


@cache
def load() -> Language:
    table = tomllib.loads(resources.files(__package__).joinpath("language.toml").read_text("utf-8"))
    framing, reference = table["framing"], table["reference"]
    facets = {
        name: Facet(
            name,
            spec["row"],
            tuple(re.compile(p, re.I) for p in spec["sections"]),
            _cues(spec["cues"]),
            frozenset(stems(spec["sentence_cues"])),
            tuple(spec["examples"]),
            spec.get("measure", ""),
        )
        for name, spec in table["facets"].items()
    }
    kinds = {
        name: Kind(
            name,
            _cues(spec["cues"]),
            tuple(spec["examples"]),
            tuple(spec.get("needs", ())),
            spec.get("nearest", 2),
        )
        for name, spec in table["kinds"].items()
    }
    ordinals = {
        tuple(w.split("_")): place for place, said in reference["ordinals"].items() for w in said.split()
    }
    return Language(
        framing=frozenset(words(framing["words"])),
        soft=frozenset(stems(framing["soft"])),
        title_heads=frozenset(singular(w) for w in words(framing["title_heads"])),
        articles=_words(framing["articles"]),
        schooling=_words(framing["schooling"]),
        joiners=_words(framing["joiners"]),
        clause_openers=_words(framing["clause_openers"]),
        negations=_words(framing["negations"]),
        wanted_again=_words(framing["wanted_again"]),
        not_initials=_words(framing["not_initials"]),
        pronouns=_words(reference["pronouns"]),
        plural_pronouns=_words(reference["plural_pronouns"]),
        against=_words(reference["against"]),
        addressed=_words(reference["addressed"]),
        ordinals=ordinals,
        corrections=tuple(reference["corrections"]),
        facets=facets,
        kinds=kinds,
        fields=dict(table["fields"]),
        lowest=_cues(table["kinds"]["rank"]["lowest"]),
        floor=_words(table["kinds"]["rank"]["floor"]),
        soonest=_words(table["kinds"]["rank"]["soonest"]),
        no_degree=tuple(table["kinds"]["rank"]["no_degree"]),
        yes_no=frozenset(table["reference"]["yes_no"].split()),
    )


LANGUAGE = load()
FACETS = LANGUAGE.facets
KINDS = LANGUAGE.kinds


def facet_of(asks: Sequence[str]) -> Facet | None:
    """The facet whose sections answer an attribute asked about ("asks:" labels): how long for a
    duration, the work environment for the rest."""
    if not asks:
        return None
    return FACETS["duration"] if asks[0] == "duration" else FACETS["environment"]
