"""Answers about several occupations: side-by-side comparisons and "which jobs suit me" lists.

Like the extractive answerer, every line about an occupation is a sentence quoted from a cited
passage. The rows of a comparison are the facets of the language table that name one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from careerbot.answer.answer import Answer, Citation
from careerbot.answer.extractive import ExtractiveGenerator
from careerbot.answer.rank import Compared, unstated, up_to_figure, verdict, verdict_order
from careerbot.chunks import split_sentences
from careerbot.facts import ATTRIBUTES, Evidence, Facts
from careerbot.retrieval import Passage
from careerbot.understanding.language import FACETS, Facet

__all__ = ["NOT_SAID", "ROWS", "compare", "explore"]

ROWS = tuple(facet for facet in FACETS.values() if facet.row)
NOT_SAID = "Not in the profile."


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
    asks: Sequence[str] = (),
) -> Answer:
    """Several occupations side by side: first a verdict on the facet asked (pay, outlook, education,
    how long it takes; pay then education when none is asked), from the figures their `facts` state,
    or which profile states none; then a block per row (the facet asked, pay and education; every
    row when none is asked), each occupation's line a sentence quoted from a cited passage. When it
    asks about an attribute of the work (`asks`: "nights"), the verdict says which profiles state it,
    and the asked row quotes each one's sentence on it.

    Blocks, not a table: a comparison reads on a phone without scrolling sideways."""
    names = [passages[0].occupation for passages in profiles]
    citations = _Citations()
    by_source = {f.source: f for f in facts if f is not None}
    known = [by_source.get(passages[0].source) for passages in profiles]
    leads = [line for measure in _measures(facet) if (line := _verdict(measure, profiles, known, citations))]
    attribute = next((a for a in asks if a in ATTRIBUTES), None)
    said = [_holding(_stated(f, attribute), passages) for passages, f in zip(profiles, known, strict=True)]
    if attribute and any(said):
        leads = [_on(attribute, names, known, said, citations)]
    blocks = []
    for n, row in enumerate(_rows(facet)):
        lines = [f"**{row.row}**"]
        for name, passages, f, holding in zip(names, profiles, known, said, strict=True):
            if n == 0 and attribute and holding is not None and f is not None:
                stated = _stated(f, attribute)
                assert stated is not None
                lines.append(f"- **{name}**: {stated.sentence} [{citations.cite(holding)}]")
                continue
            best = picker.best_sentence(question, row, passages)
            if best is None:
                lines.append(f"- **{name}**: {NOT_SAID}")
            else:
                sentence, index = best
                if row is FACETS["pay"] and f is not None and f.pay is not None:
                    sentence = up_to_figure(sentence, f.pay.text)  # not whose statistics they are
                lines.append(f"- **{name}**: {sentence} [{citations.cite(passages[index])}]")
        blocks.append("\n".join(lines))
    head = f"**{' vs '.join(names)}**"
    text = "\n\n".join([head, *([" ".join(leads)] if leads else []), *blocks])
    passages = tuple(p for group in profiles for p in group)
    return Answer(text, tuple(citations.citations), tuple(names), passages)


def _stated(facts: Facts | None, attribute: str | None) -> Evidence | None:
    found = facts.attribute(attribute) if facts is not None and attribute else None
    return found.evidence if found is not None else None


def _on(
    attribute: str,
    names: Sequence[str],
    facts: Sequence[Facts | None],
    held: Sequence[Passage | None],
    citations: _Citations,
) -> str:
    """ "**Nights**: Paramedic, yes [1]; Firefighter, the profile doesn't say." """
    said = []
    for name, f, passage in zip(names, facts, held, strict=True):
        found = f.attribute(attribute) if f is not None else None
        if found is None or passage is None:
            said.append(f"{name}, the profile doesn't say")
        else:
            said.append(f"{name}, {'yes' if found.stated else 'no'} [{citations.cite(passage)}]")
    label = attribute.replace("_", " ")
    return f"**{label[:1].upper() + label[1:]}**: {'; '.join(said)}."


def _measures(facet: Facet | None) -> tuple[Compared, ...]:
    """The figures a comparison's verdict speaks of, first the one asked."""
    if facet is None:
        return ("pay", "education")
    if facet.name == "duration":
        return ("training", "education")
    return (cast(Compared, facet.measure),) if facet.measure else ()


def _verdict(
    measure: Compared,
    profiles: Sequence[list[Passage]],
    facts: Sequence[Facts | None],
    citations: _Citations,
) -> str:
    """How the occupations stand on `measure`, each figure cited to the passage stating it, in the
    order the sentence names them; then which profiles state no such figure. Nothing is said from
    a figure whose passage is not among `profiles`, nor of a profile whose facts are unknown."""
    known = [(passages, f) for passages, f in zip(profiles, facts, strict=True) if f is not None]
    stating = [(passages, f) for passages, f in known if unstated([f], measure) is None]
    said = []
    held = [_holding(_evidence(f, measure), passages) for passages, f in stating]
    order = verdict_order([f for _, f in stating], measure)
    if order is not None and all(p is not None for p in held):
        marks = [""] * len(stating)
        for i in order:
            marks[i] = f"[{citations.cite(cast(Passage, held[i]))}]"
        said.append(verdict([f for _, f in stating], measure, cite=marks) or "")
    said.append(unstated([f for _, f in known], measure) or "")
    return " ".join(line for line in said if line)


def _evidence(facts: Facts, measure: Compared) -> Evidence | None:
    found = {
        "pay": facts.pay,
        "growth": facts.growth,
        "education": facts.education,
        "training": facts.training,
    }
    fact = found[measure]
    return fact.evidence if fact else None


def _holding(evidence: Evidence | None, passages: list[Passage]) -> Passage | None:
    if evidence is None:
        return None
    return next((p for p in passages if evidence.sentence in p.text and p.section == evidence.section), None)


def _rows(facet: Facet | None) -> list[Facet]:
    """The facet asked (how long it takes: its Education row), pay and education; all for none."""
    asked = FACETS["become"] if facet is not None and facet.name == "duration" else facet
    first = [asked] if asked is not None and asked.row else []
    always = [FACETS["pay"], FACETS["become"]]
    rest = list(ROWS) if facet is None else []
    return list(dict.fromkeys(first + always + rest))


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
