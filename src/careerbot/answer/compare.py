"""Answers about several occupations: side-by-side comparisons and "which jobs suit me" lists.

Like the extractive answerer, every cell and line is a sentence quoted from a cited passage.
"""

from __future__ import annotations

from collections.abc import Sequence

from careerbot.answer.answer import Answer, Citation
from careerbot.answer.extractive import ExtractiveGenerator
from careerbot.chunks import split_sentences
from careerbot.retrieval import Passage
from careerbot.retrieval.intent import make_intent

__all__ = ["DIMENSIONS", "compare", "explore"]

# What a comparison sets side by side, and where each profile says it.
DIMENSIONS = (
    make_intent(
        "Education",
        r"$^",
        [r"education.*description", r"education|training|licen[cs]|certif"],
        "degree bachelor master diploma education college school program apprenticeship"
        " training license certification",
    ),
    make_intent(
        "Path",
        r"$^",
        [r"how to become|advancement|career path|experience", r"skills"],
        "begin start entry experience years advance advancement promotion promoted supervisor"
        " supervisory ranks move become",
    ),
    make_intent(
        "Skills",
        r"$^",
        [r"skill|qualities|abilities"],
        "skill skills ability communication interpersonal analytical problem leadership detail",
    ),
    make_intent("Pay", r"$^", [r"salary|wage|pay|earning"], "median annual wage salary pay earn hourly"),
    make_intent(
        "Outlook",
        r"$^",
        [r"outlook|projection"],
        "employment projected grow growth percent outlook demand openings decline",
    ),
)
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


def compare(question: str, profiles: Sequence[list[Passage]], picker: ExtractiveGenerator) -> Answer:
    """A table with a row per dimension and a column per occupation, each cell cited."""
    names = [passages[0].occupation for passages in profiles]
    citations = _Citations()
    rows = [f"| | {' | '.join(names)} |", f"|---|{'---|' * len(names)}"]
    for dimension in DIMENSIONS:
        cells = []
        for passages in profiles:
            best = picker.best_sentence(question, dimension, passages)
            if best is None:
                cells.append(NOT_SAID)
            else:
                sentence, index = best
                cells.append(f"{sentence} [{citations.cite(passages[index])}]")
        rows.append(f"| **{dimension.name}** | {' | '.join(c.replace('|', '/') for c in cells)} |")
    text = f"**{' vs '.join(names)}**\n\n" + "\n".join(rows)
    passages = tuple(p for group in profiles for p in group)
    return Answer(text, tuple(citations.citations), tuple(names), passages)


def explore(
    question: str, passages: Sequence[Passage], picker: ExtractiveGenerator, *, limit: int = 4
) -> Answer:
    """A few occupations whose passages match what the person describes, each with a cited reason."""
    by_occupation: dict[str, list[Passage]] = {}
    for passage in passages:
        if passage.score >= picker.min_relevance:
            by_occupation.setdefault(passage.occupation, []).append(passage)
    citations = _Citations()
    lines, names = [], []
    reason = make_intent("reason", r"$^", [r"."], "")
    for occupation, own in list(by_occupation.items())[:limit]:
        # A sentence sharing the person's words; else the opening of the best passage.
        sentence, index = picker.best_sentence(question, reason, own) or (
            split_sentences(own[0].text)[0],
            0,
        )
        lines.append(f"- **{occupation}**: {sentence} [{citations.cite(own[index])}]")
        names.append(occupation)
    if not lines:
        return Answer("")
    text = "These occupations in the profiles match what you describe:\n\n" + "\n".join(lines)
    return Answer(text, tuple(citations.citations), tuple(names), tuple(passages))
