"""What a profile's own sentences say about the work (nights, travel, patients, a licence...).

The language is data (attributes.toml): for each attribute the phrases that state it, those that
deny it and the sections read first. An attribute is read from the first sentence that states or
denies it, and that sentence is its evidence; a profile that says nothing leaves it unknown. A
negation before a cue in its clause ("rarely work nights") makes a denial; a hedge ("some", "may")
does not, since "some work nights" is what a person asking about nights needs to know.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

from careerbot.facts.model import ATTRIBUTES, Attribute, Evidence

__all__ = ["read_attributes"]

_KINDS = ("people", "data", "things")


class _Sentence(Protocol):
    @property
    def chunk(self): ...  # a careerbot.chunks.Chunk

    @property
    def text(self) -> str: ...

    def evidence(self) -> Evidence: ...


@dataclass(frozen=True)
class _Rule:
    sections: re.Pattern
    states: tuple[re.Pattern, ...]
    denies: tuple[re.Pattern, ...] = ()
    denies_unless: re.Pattern | None = None
    subset: re.Pattern | None = None
    voided_by: re.Pattern | None = None


@dataclass(frozen=True)
class _Language:
    negation: re.Pattern
    negation_after: re.Pattern
    clause: re.Pattern
    other_occupation: re.Pattern
    skip_sections: re.Pattern
    rules: dict[str, _Rule]
    kind_sections: re.Pattern
    kind_cues: dict[str, re.Pattern]
    least: int
    ratio: float


def _compile(pattern: str | None) -> re.Pattern | None:
    return re.compile(pattern, re.I) if pattern else None


@cache
def _language() -> _Language:
    table = tomllib.loads(resources.files(__package__).joinpath("attributes.toml").read_text("utf-8"))
    words = table["language"]
    rules = {}
    for name in ATTRIBUTES:
        if name in _KINDS:
            continue
        entry = table[name]
        rules[name] = _Rule(
            sections=re.compile(entry.get("sections", "$^"), re.I),
            states=tuple(re.compile(p, re.I) for p in entry.get("states", [])),
            denies=tuple(re.compile(p, re.I) for p in entry.get("denies", [])),
            denies_unless=_compile(entry.get("denies_unless")),
            subset=_compile(entry.get("subset")),
            voided_by=_compile(entry.get("voided_by")),
        )
    kinds = table["kinds"]
    return _Language(
        negation=re.compile(words["negation"], re.I),
        negation_after=re.compile(words["negation_after"], re.I),
        clause=re.compile(words["clause"], re.I),
        other_occupation=re.compile(words["other_occupation"], re.I),
        skip_sections=re.compile(words["skip_sections"], re.I),
        rules=rules,
        kind_sections=re.compile(kinds["sections"], re.I),
        kind_cues={kind: re.compile(kinds[kind]["cues"], re.I) for kind in _KINDS},
        least=kinds["least"],
        ratio=kinds["ratio"],
    )


def read_attributes(sentences: Sequence[_Sentence]) -> tuple[Attribute, ...]:
    """The attributes the sentences state or deny, each cited to the first sentence that does."""
    language = _language()
    about_the_work = [
        s
        for s in sentences
        if not language.skip_sections.search(s.chunk.section) and not language.other_occupation.search(s.text)
    ]
    found: dict[str, Attribute] = {}
    for name, rule in language.rules.items():
        preferred = [s for s in about_the_work if rule.sections.search(s.chunk.section)]
        rest = [s for s in about_the_work if not rule.sections.search(s.chunk.section)]
        for sentence in preferred + rest:
            stated = _reads(sentence.text, rule, language)
            if stated is not None:
                found[name] = Attribute(name, stated, sentence.evidence())
                break
    kind = _kind(about_the_work, language)
    if kind:
        found[kind.name] = kind
    return tuple(found[name] for name in ATTRIBUTES if name in found)


def _reads(text: str, rule: _Rule, language: _Language) -> bool | None:
    """True when the sentence states the attribute, False when it denies it, None when silent.

    The sentence's clauses and the first word that limits it to some workers are found once, and
    the words around each cue are read in a window: a cue repeated along a long sentence is not
    read from the sentence's start again each time."""
    for pattern in rule.denies:
        match = pattern.search(text)
        if match and not (
            rule.denies_unless and rule.denies_unless.match(text[match.end() : match.end() + _NEAR])
        ):
            return False
    clause_ends: list[int] | None = None
    subset = rule.subset.search(text) if rule.subset else None
    for pattern in rule.states:
        for match in pattern.finditer(text):
            if clause_ends is None:
                clause_ends = [boundary.end() for boundary in language.clause.finditer(text)]
            if subset and subset.end() <= match.start():
                continue  # about some of the workers only
            before = _clause_before(text, match.start(), clause_ends)
            if rule.voided_by and rule.voided_by.search(f"{before} {match.group(0)}"):
                continue  # hedged ("is often required") or not about the work ("records of patients")
            after = text[match.end() : match.end() + _NEAR]
            return not (language.negation.search(before) or language.negation_after.search(after))
    return None


# How far before and after a cue its words are read: longer than any of attributes.toml's phrases.
_NEAR = 200


def _clause_before(text: str, start: int, clause_ends: list[int]) -> str:
    """The words of the cue's clause that come before it (its last `_NEAR` characters)."""
    boundary = bisect_right(clause_ends, start)
    clause_start = clause_ends[boundary - 1] if boundary else 0
    return text[max(clause_start, start - _NEAR) : start]


def _kind(sentences: Sequence[_Sentence], language: _Language) -> Attribute | None:
    """people, data or things: the kind the summary's first sentence clearly names the most."""
    summary = next((s for s in sentences if language.kind_sections.search(s.chunk.section.strip())), None)
    if summary is None:
        return None
    counts = sorted(
        ((len({w.lower() for w in language.kind_cues[kind].findall(summary.text)}), kind) for kind in _KINDS),
        reverse=True,
    )
    (most, kind), (second, _) = counts[0], counts[1]
    if most >= language.least and most > language.ratio * second:
        return Attribute(kind, True, summary.evidence())
    return None
