"""Answers about several occupations: side-by-side comparisons and "which jobs suit me" lists.

Like the extractive answerer, every cell and line is a sentence quoted from a cited passage.
The rows of a comparison are the facets of the language table that name one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from careerbot.answer.answer import Answer, Citation
from careerbot.answer.extractive import ExtractiveGenerator
from careerbot.answer.rank import Measure, relation
from careerbot.chunks import split_sentences
from careerbot.facts import Evidence, Facts
from careerbot.retrieval import Passage
from careerbot.understanding.language import FACETS, Facet

__all__ = ["NOT_SAID", "ROWS", "compare", "explore"]

ROWS = tuple(facet for facet in FACETS.values() if facet.row)
NOT_SAID = "Not in the profile."
# How long a comparison is: the facet asked, then the others up to this many rows.
MAX_ROWS = 6


class _Citations:
    """Numbers passages in the order they are first cited."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.citations: list[Citation] = []

    def cite(self, passage: Passage) -> int:
        if passage.chunk_id not in self.numbers:
            self.numbers[passage.chunk_id] = len(self.numbers) + 1
            self.citations.append(Citation.from_passage(self.numbers[passage.chunk_id], passage))
        return self.numbers[passage.chunk_id]


def compare(
    question: str,
    profiles: Sequence[list[Passage]],
    picker: ExtractiveGenerator,
    *,
    facet: Facet | None = None,
    facts: Sequence[Facts | None] = (),
) -> Answer:
    """A table with a row per facet and a column per occupation, each cell cited; the facet asked
    comes first. With two occupations' `facts`, a sentence says how their figures for it relate."""
    names = [passages[0].occupation for passages in profiles]
    citations = _Citations()
    lead = _relation(facet, profiles, facts, citations)
    rows = [f"| | {' | '.join(names)} |", f"|---|{'---|' * len(names)}"]
    for row in _rows(facet):
        cells = []
        for passages in profiles:
            best = picker.best_sentence(question, row, passages)
            if best is None:
                cells.append(NOT_SAID)
            else:
                sentence, index = best
                cells.append(f"{sentence} [{citations.cite(passages[index])}]")
        rows.append(f"| **{row.row}** | {' | '.join(c.replace('|', '/') for c in cells)} |")
    head = f"**{' vs '.join(names)}**"
    text = "\n\n".join([head, *([lead] if lead else []), "\n".join(rows)])
    passages = tuple(p for group in profiles for p in group)
    return Answer(text, tuple(citations.citations), tuple(names), passages)


# What a stated relation compares, by the facet asked.
_MEASURES: dict[str, Measure] = {
    "pay": "pay",
    "outlook": "growth",
    "become": "education",
    "duration": "education",
}


def _relation(
    facet: Facet | None,
    profiles: Sequence[list[Passage]],
    facts: Sequence[Facts | None],
    citations: _Citations,
) -> str:
    """ "Electricians earn more than plumbers: $61,590 [1] and $60,090 [2] a year." when the figures
    asked are stated for both; cited to the passages holding them."""
    measure = cast(Measure, facet.measure) if facet and facet.measure else None
    if measure is None or len(profiles) != 2 or len(facts) != 2 or None in facts:
        return ""
    a, b = facts[0], facts[1]
    assert a is not None and b is not None
    held = [_holding(_evidence(f, measure), passages) for f, passages in zip(facts, profiles, strict=True)]
    if None in held or relation(a, b, measure) is None:
        return ""
    marks = tuple(f"[{citations.cite(p)}]" for p in held if p is not None)
    return relation(a, b, measure, cite=(marks[0], marks[1])) or ""


def _evidence(facts: Facts | None, measure: Measure) -> Evidence | None:
    found = (
        {"pay": facts.pay, "growth": facts.growth, "education": facts.education}[measure] if facts else None
    )
    return found.evidence if found else None


def _holding(evidence: Evidence | None, passages: list[Passage]) -> Passage | None:
    if evidence is None:
        return None
    return next((p for p in passages if evidence.sentence in p.text and p.section == evidence.section), None)


def _rows(facet: Facet | None) -> list[Facet]:
    asked = FACETS["become"] if facet is not None and facet.name == "duration" else facet
    first = [asked] if asked is not None and asked.row else []
    return (first + [row for row in ROWS if row not in first])[:MAX_ROWS]


def explore(question: str, groups: Sequence[list[Passage]], picker: ExtractiveGenerator) -> Answer:
    """Occupations whose passages match what the person describes, each with a cited reason."""
    citations = _Citations()
    lines, names = [], []
    for own in groups:
        occupation = own[0].occupation
        # A sentence sharing the person's words; else the opening of the best passage.
        sentence, index = picker.best_sentence(question, _ANY_SECTION, own) or (
            split_sentences(own[0].text)[0],
            0,
        )
        lines.append(f"- **{occupation}**: {sentence} [{citations.cite(own[index])}]")
        names.append(occupation)
    if not lines:
        return Answer("")
    text = "These occupations in the profiles match what you describe:\n\n" + "\n".join(lines)
    return Answer(text, tuple(citations.citations), tuple(names), tuple(p for g in groups for p in g))


# A reason may come from any section: only the person's own words count.
_ANY_SECTION = Facet("reason", "", (re.compile("."),), frozenset(), frozenset(), ())
