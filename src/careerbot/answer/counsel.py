"""Counsel: jobs that fit a person's situation, each with why and what it takes; direct answers.

Which jobs fit is decided by the profiles' own attributes and facts (`careerbot.facts`): a
deal-breaker rules out a job whose profile says it holds ("patients' blood"), a want for remote or
outdoor work keeps only the jobs whose profile says so, and "without a degree" keeps the jobs whose
stated entry education is at most a certificate. What the profile doesn't say rules nothing out.
Every line quotes the sentences it stands on, with their [n].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from careerbot.answer.answer import Answer
from careerbot.answer.extractive import ExtractiveGenerator
from careerbot.answer.rank import _Citations
from careerbot.facts import Evidence, Facts
from careerbot.retrieval import Passage
from careerbot.understanding.language import FACETS, Facet
from careerbot.understanding.situation import Situation

__all__ = ["HARD_WANTS", "direct", "recommend", "ruled_out_by", "suits"]

# Wants a job must be stated to meet; the others ("with people", "hands-on") only rank it higher.
HARD_WANTS = frozenset({"remote", "outdoors"})
# A reason is a sentence about the job itself, never a list of resources or other jobs.
_NOT_REASONS = ("related", "resource", "alternate", "title")
_LISTED = 5


def suits(facts: Facts, situation: Situation) -> bool:
    """Does nothing the profile states rule the job out for this person?"""
    if situation.max_education and not facts.open_with(situation.max_education):
        return False
    if any(facts.has(avoided) for avoided in situation.avoids):
        return False
    return all(facts.has(wanted) for wanted in situation.wants if wanted in HARD_WANTS)


def ruled_out_by(facts: Sequence[Facts], situation: Situation) -> str:
    """When no job suits: the one part of the situation without which some would ("no blood")."""
    for chip in situation.chips():
        if any(suits(f, situation.without(chip)) for f in facts):
            return chip
    return ""


def recommend(
    question: str,
    fitting: Sequence[list[Passage]],
    facts: dict[str, Facts],
    situation: Situation,
    passages: Callable[[str], Sequence[Passage]],
    picker: ExtractiveGenerator,
) -> Answer:
    """The jobs of `fitting` (each a profile's passages, best fit first) that suit the person, wanted
    attributes first: each with why it fits and what it takes (entry education, training, pay)."""
    chosen = [
        group for group in fitting if group[0].source in facts and suits(facts[group[0].source], situation)
    ]
    soft = [w for w in situation.wants if w not in HARD_WANTS]
    chosen.sort(key=lambda group: -sum(bool(facts[group[0].source].has(w)) for w in soft))
    citations = _Citations(passages)
    lines, names = [], []
    for group in chosen[:_LISTED]:
        own = facts[group[0].source]
        line = _line(question, group, own, situation, citations, picker)
        if line:
            lines.append(line)
            names.append(own.occupation)
    if not lines:
        return Answer("")
    heading = situation.heading()
    lead = f"**{heading}**: these jobs in the profiles fit." if heading else "These jobs in the profiles fit."
    text = "\n".join([lead, "", *lines])
    return Answer(text, tuple(citations.citations), tuple(names), tuple(citations.passages))


def _line(
    question: str,
    group: list[Passage],
    facts: Facts,
    situation: Situation,
    citations: _Citations,
    picker: ExtractiveGenerator,
) -> str:
    """ "- **Job**: why [1] *Takes*: ... [2] *Pay*: ... [3]" """
    reason = _reason(question, group, facts, situation)
    if reason is None:
        return ""
    marker = citations.cite(reason)
    if marker is None:
        return ""
    parts = [f"- **{facts.occupation}**: {reason.sentence} {marker}"]
    takes = facts.training or facts.education
    if takes is not None and takes.evidence.sentence != reason.sentence:
        words = f"{facts.training.words} ({facts.training.kind})" if facts.training else facts.education.words
        if (mark := citations.cite(takes.evidence)) is not None:
            parts.append(f"*Takes*: {words} {mark}.")
    if facts.pay is not None and (mark := citations.cite(facts.pay.evidence)) is not None:
        per = "a year" if facts.pay.per == "year" else "an hour"
        parts.append(f"*Pay*: {facts.pay.text} {per} {mark}.")
    return " ".join(parts)


def _reason(question: str, group: list[Passage], facts: Facts, situation: Situation) -> Evidence | None:
    """Why the job fits: the sentence saying it has what the person wants, else the sentence of its
    profile nearest what they said, else what the job is."""
    for wanted in situation.wants:
        found = facts.attribute(wanted)
        if found is not None and found.stated:
            return found.evidence
    about = [p for p in group if not any(word in p.section.lower() for word in _NOT_REASONS)]
    best = ExtractiveGenerator().best_sentence(question, _ANY_SECTION, about) if about else None
    if best is not None:
        sentence, index = best
        passage = about[index]
        return Evidence(passage.source, passage.section, passage.position, sentence, passage.chunk_id)
    described = sorted(about, key=lambda p: FACETS["duties"].section_rank(p.section) or 99)
    if not described:
        return None
    passage = described[0]
    sentence = passage.text.split(". ")[0].rstrip(".") + "."
    return Evidence(passage.source, passage.section, passage.position, sentence, passage.chunk_id)


_ANY_SECTION = replace(FACETS["duties"], name="reason", sections=())


def direct(facts: Facts, asks: Sequence[str], *, yes_no: bool) -> tuple[str, Evidence] | None:
    """The first words of a direct answer and the sentence that backs them: "Yes" and the sentence
    saying a plumber works weekends; the duration as written for "how long". None when the
    profile states nothing on what is asked."""
    for asked in asks:
        if asked == "duration":
            if facts.training is not None:
                words = facts.training.words
                return words[:1].upper() + words[1:], facts.training.evidence
            continue
        found = facts.attribute(asked)
        if found is None:
            continue
        if yes_no:
            return ("Yes" if found.stated else "No"), found.evidence
        return "", found.evidence
    return None


def facet_of(asks: Sequence[str]) -> Facet | None:
    """The facet whose sections answer what is asked: how long for a duration, the work
    environment for the rest."""
    if not asks:
        return None
    return FACETS["duration"] if asks[0] == "duration" else FACETS["environment"]
