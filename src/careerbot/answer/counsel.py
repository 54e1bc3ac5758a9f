"""Counsel: jobs that fit a person's situation, each with why and what it takes; direct answers.

Which jobs fit is decided by the profiles' own attributes and facts (`careerbot.facts`): a
deal-breaker rules out a job whose profile says it holds ("patients' blood"), a want for remote or
outdoor work keeps only the jobs whose profile says so, and "without a degree" keeps the jobs whose
stated entry education is at most a certificate. What the profile doesn't say rules nothing out.
Every line quotes the sentences it stands on, with their [n].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from careerbot.answer.answer import Answer
from careerbot.answer.rank import EvidenceCitations, growth_label
from careerbot.chunks import split_sentences
from careerbot.facts import EDUCATION_LEVELS, Evidence, Facts, education_rank
from careerbot.retrieval import Passage
from careerbot.understanding.language import FACETS, Facet
from careerbot.understanding.situation import Situation

__all__ = ["HARD_WANTS", "direct", "overview", "recommend", "ruled_out_by", "suits"]

# Wants a job must be stated to meet; the others ("with people", "hands-on") only rank it higher.
HARD_WANTS = frozenset({"remote", "outdoors"})
# A reason is a sentence about the job itself, never a list of resources or other jobs.
_NOT_REASONS = ("related", "resource", "alternate", "title")
_LISTED = 4  # as many as a search by interest lists
# A quick start: jobs whose profile states no training time come after those that do.
_UNSTATED_MONTHS = 1e6


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
    fitting: Sequence[list[Passage]],
    facts: dict[str, Facts],
    situation: Situation,
    passages: Callable[[str], Sequence[Passage]],
    *,
    fitted: bool = False,
) -> Answer:
    """The jobs of `fitting` (each a profile's passages, best fit first) that suit the person: those
    open with the education they have first; then, unless `fitted` to an interest they named, those
    with more of what they want; then (for a quick
    start) the shortest stated training; then the order given. Each with why it fits (what they
    want, else what the job is) and what it takes (entry education or training, pay)."""
    chosen = [
        group for group in fitting if group[0].source in facts and suits(facts[group[0].source], situation)
    ]
    soft = [w for w in situation.wants if w not in HARD_WANTS]

    def order(group: list[Passage]) -> tuple[float, ...]:
        own = facts[group[0].source]
        # Open with the education they have before those that need more schooling.
        opened = 0 if situation.reach is None or own.open_with(situation.reach) else 1
        wanted = 0 if fitted else -sum(bool(own.has(w)) for w in soft)
        if not situation.quick:
            return (opened, wanted)
        months = own.training_months
        level = education_rank(own.education.level) if own.education else len(EDUCATION_LEVELS)
        return (opened, wanted, months[0] if months else _UNSTATED_MONTHS, level)

    chosen.sort(key=order)
    citations = EvidenceCitations(passages)
    lines, names = [], []
    for group in chosen[:_LISTED]:
        own = facts[group[0].source]
        line = _line(group, own, situation, citations)
        if line:
            lines.append(line)
            names.append(own.occupation)
    if not lines:
        return Answer("")
    heading = situation.heading()
    lead = f"**{heading}**: these jobs in the profiles fit." if heading else "These jobs in the profiles fit."
    text = "\n".join([lead, "", *lines])
    return Answer(text, tuple(citations.citations), tuple(names), tuple(citations.passages))


def overview(facts: Facts, passages: Callable[[str], Sequence[Passage]]) -> Answer:
    """What a job is at a glance ("tell me more about it"): the opening of its description, then
    what it takes, pay and outlook, each cited."""
    citations = EvidenceCitations(passages)
    opening = _described(passages(facts.source), sentences=2)
    marker = citations.cite(opening) if opening else None
    if opening is None or marker is None:
        return Answer("")
    glance = _glance(facts, citations, outlook=True)
    parts = (f"**{facts.occupation}**", f"{opening.sentence} {marker}", glance)
    text = "\n\n".join(part for part in parts if part)
    return Answer(text, tuple(citations.citations), (facts.occupation,), tuple(citations.passages))


def _line(group: list[Passage], facts: Facts, situation: Situation, citations: EvidenceCitations) -> str:
    """ "- **Job**: why [1] · *Takes*: ... [2] · *Pay*: ... [3]" """
    reason = _reason(group, facts, situation)
    if reason is None:
        return ""
    marker = citations.cite(reason)
    if marker is None:
        return ""
    glance = _glance(facts, citations, besides=reason.sentence)
    parts = (f"- **{facts.occupation}**: {reason.sentence} {marker}", glance)
    return " · ".join(part for part in parts if part)


def _glance(facts: Facts, citations: EvidenceCitations, *, besides: str = "", outlook: bool = False) -> str:
    """ "*Takes*: ... [2] · *Pay*: ... [3]" (and the outlook), each cited; a part whose sentence is
    `besides` (already quoted) or not in the index is left out."""
    parts = []
    takes = facts.training or facts.education
    if takes is not None and takes.evidence.sentence != besides:
        words = f"{facts.training.words} ({facts.training.kind})" if facts.training else facts.education.words
        if (mark := citations.cite(takes.evidence)) is not None:
            parts.append(f"*Takes*: {words} {mark}")
    if facts.pay is not None and (mark := citations.cite(facts.pay.evidence)) is not None:
        per = "a year" if facts.pay.per == "year" else "an hour"
        parts.append(f"*Pay*: {facts.pay.text} {per} {mark}")
    if outlook and facts.growth is not None and (mark := citations.cite(facts.growth.evidence)) is not None:
        parts.append(f"*Outlook*: {growth_label(facts)} {mark}")
    return " · ".join(parts)


def _reason(group: list[Passage], facts: Facts, situation: Situation) -> Evidence | None:
    """Why the job fits: the sentence saying it has what the person wants, else what the job is
    (the opening sentence of its description)."""
    for wanted in situation.wants:
        found = facts.attribute(wanted)
        if found is not None and found.stated:
            return found.evidence
    return _described(group)


def _described(group: Sequence[Passage], *, sentences: int = 1) -> Evidence | None:
    """The opening of the job's description: its first `sentences`, as written."""
    duties = FACETS["duties"]
    described = sorted(
        (p for p in group if duties.section_rank(p.section) is not None),
        key=lambda p: (duties.section_rank(p.section), p.position),
    )
    for passage in described:
        found = split_sentences(passage.text)
        if not found:
            continue
        opening = " ".join(found[:sentences])
        if opening not in passage.text:  # quoted only as written
            opening = found[0]
        return Evidence(passage.source, passage.section, passage.position, opening, passage.chunk_id)
    return None


# The facets a question about an attribute may be read as: another facet means the attribute was
# only named in passing ("a data scientist" and a degree).
_ASKED_AS = {"duration": ("duration", "become"), "licence_required": ("become",)}
_ASKED_AS_OTHERWISE = ("environment", "duties", "skills")


def direct(
    facts: Facts, asks: Sequence[str], *, yes_no: bool, facet: Facet | None = None
) -> tuple[str, Evidence] | None:
    """The first words of a direct answer and the sentence that backs them: "Yes" and the sentence
    saying a paramedic is on call; the duration as written for "how long". None when the
    profile states nothing on what is asked, or the question reads as asking another facet."""
    for asked in asks:
        if facet is not None and facet.name not in _ASKED_AS.get(asked, _ASKED_AS_OTHERWISE):
            continue
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
