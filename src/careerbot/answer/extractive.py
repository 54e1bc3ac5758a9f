"""The default answerer: picks the sentences of the retrieved passages that answer the question.

Deterministic and honest by construction: every sentence of an answer is copied from a
passage and carries that passage's [n] marker; when nothing relevant was retrieved, it says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from careerbot.answer.answer import Answer, Citation
from careerbot.chunks import split_sentences
from careerbot.retrieval import Passage
from careerbot.text import stems
from careerbot.understanding.language import FACETS, Facet
from careerbot.understanding.phrases import subject_stems

__all__ = ["ExtractiveGenerator", "not_covered", "pieces"]

# A sentence opening like this leans on the one before it, which must come along.
_LEANS_BACK = re.compile(
    r"^(They|This|These|Those|It|He|She|Such|That|Their|Its|Them|Then|Afterwards?|However|Also|Instead"
    r"|Otherwise|Graduates|Both|Once|There)\b"
)
_MIN_SENTENCE_CHARS = 25
# What a question that asks nothing in particular ("welder?") gets: what the job is.
OVERVIEW = FACETS["duties"]
_PER_PASSAGE = 3


@dataclass(frozen=True)
class _Sentence:
    passage: int  # index into the candidate passages
    index: int  # position within the passage
    text: str
    score: float
    order: int  # where its section comes in an answer to this facet
    says_something: bool  # shares words with the question or the facet's cues


class ExtractiveGenerator:
    """Answers with sentences quoted from the passages of the best-matching occupation."""

    name = "extractive"

    def __init__(self, *, max_sentences: int = 6, min_relevance: float = 0.3) -> None:
        self.max_sentences = max_sentences
        self.min_relevance = min_relevance

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        occupations: Sequence[str] = (),
        focus: str | None = None,
        facet: Facet | None = None,
    ) -> Answer:
        """Answer from the best occupation's passages; `focus` fixes the occupation instead
        (a follow-up in a conversation), and then an unmentioned topic is said to be so.
        `facet` is what is asked (None: an overview of the job)."""
        if focus is None:
            relevant = [p for p in passages if p.score >= self.min_relevance]
            if not relevant or not _on_topic(question, relevant):
                return not_covered(occupations)
            focus = relevant[0].occupation
        candidates = [p for p in passages if p.occupation == focus]
        if not candidates:
            return not_covered(occupations)
        chosen = self._choose(question, facet or OVERVIEW, candidates)
        answer = _compose(focus, candidates, chosen, passages)
        # Said only when no section of the facet asked exists either: a profile with a section on it
        # speaks to the question, whatever its words.
        asked = facet or OVERVIEW
        has_section = facet is not None and any(asked.section_rank(p.section) is not None for p in candidates)
        if not has_section and _unmentioned(question, candidates):
            note = f"The {focus} profile doesn't mention that directly; here is what it does say."
            answer = replace(answer, text=answer.text.replace("\n\n", f"\n\n{note}\n\n", 1))
        return answer

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        occupations: Sequence[str] = (),
        focus: str | None = None,
        facet: Facet | None = None,
    ) -> Iterator[str | Answer]:
        """The answer a sentence at a time, like a model would write it; then the Answer."""
        answer = self.answer(question, passages, occupations=occupations, focus=focus, facet=facet)
        yield from pieces(answer.text)
        yield answer

    def best_sentence(self, question: str, facet: Facet, passages: list[Passage]) -> tuple[str, int] | None:
        """The one sentence (and its passage's index) that best serves `facet`, if any does."""
        ranked = sorted(_score(question, facet, passages), key=lambda s: -s.score)
        fitting = [s for s in ranked if s.says_something and s.order < len(facet.sections)]
        return (fitting[0].text, fitting[0].passage) if fitting else None

    def _choose(self, question: str, facet: Facet, passages: list[Passage]) -> list[_Sentence]:
        ranked = sorted(_score(question, facet, passages), key=lambda s: -s.score)
        limit = self.max_sentences
        if any(s.order < len(facet.sections) for s in ranked):
            # The profile has the sections this question asks for: answer from those alone.
            ranked = [s for s in ranked if s.order < len(facet.sections)]
        elif facet.sections and facet.sentence_cues:
            limit = min(limit, 3)  # no section for this: a few near sentences, not a digest
        telling = [s for s in ranked if s.says_something]
        if not telling:
            return ranked[:1]
        # The best sentence of each passage first, so every relevant section speaks ...
        chosen: list[_Sentence] = []
        for sentence in telling:
            if _count(chosen, sentence.passage) == 0:
                chosen.append(sentence)
        chosen = chosen[:limit]
        # ... then the next best, a few per passage, while they stay close to the best.
        floor = telling[0].score / 2
        for sentence in telling:
            if len(chosen) >= limit or sentence.score < floor:
                break
            if sentence not in chosen and _count(chosen, sentence.passage) < _PER_PASSAGE:
                chosen.append(sentence)
        return _with_antecedents(chosen, ranked)


def pieces(text: str) -> list[str]:
    """Text cut after each citation marker or paragraph, for streaming."""
    return re.findall(r".+?(?:\]\s*|\n\n|$)", text, re.S)


def _unmentioned(question: str, passages: list[Passage]) -> bool:
    """Does the question ask about something (not who, not how) the profile never mentions?"""
    words = set(stems(" ".join([passages[0].occupation, *passages[0].aliases])))
    subject = subject_stems(question, cues=True)
    if subject & words:  # the question names the occupation: it is what is asked about
        return False
    said = set(stems(" ".join(p.text for p in passages)))
    return bool(subject) and not subject & said


def not_covered(occupations: Sequence[str]) -> Answer:
    """The reply when the profiles hold nothing relevant: say so, and say what is covered."""
    text = "I couldn't find that in the occupation profiles I have, so I won't guess."
    if occupations:
        examples = sorted(occupations)[:6]
        text += (
            f" I can answer questions about {len(occupations)} occupation"
            f"{'s' if len(occupations) != 1 else ''}, such as {', '.join(examples)}:"
            " how to become one, what they do, pay, skills, work environment and outlook."
            f' For example: "How do I become {_article(examples[0])} {examples[0].lower()}?"'
        )
    return Answer(text)


def _on_topic(question: str, passages: list[Passage]) -> bool:
    """Does the best occupation match what the question is about?

    The question's subject words (framing like "how do I become" removed) must name the
    occupation or one of its aliases, or mostly appear in its passages; a question with no
    subject ("What skills do I need?") is taken as about the best match.
    """
    subject = subject_stems(question, cues=True)
    if not subject:
        return True
    focus = [p for p in passages if p.occupation == passages[0].occupation]
    if subject & set(stems(" ".join([focus[0].occupation, *focus[0].aliases]))):
        return True
    said = set(stems(" ".join(p.text for p in focus)))
    return len(subject & said) >= max(1, 2 * len(subject) / 3)


def _score(question: str, facet: Facet, passages: list[Passage]) -> list[_Sentence]:
    occupation_words = set(stems(" ".join([passages[0].occupation, *passages[0].aliases])))
    asked = subject_stems(question, cues=True) - occupation_words
    sentences = []
    for n, passage in enumerate(passages):
        rank = facet.section_rank(passage.section)
        order = len(facet.sections) if rank is None else rank
        section_bonus = 0.0 if rank is None else 2.0 - 0.25 * rank
        for i, text in enumerate(split_sentences(passage.text)):
            if len(text) < _MIN_SENTENCE_CHARS or text.endswith(":"):
                continue
            words = set(stems(text))
            content = len(words & asked) + 0.7 * min(3, len(words & facet.sentence_cues))
            # The opening sentence of a section usually states its point.
            place = 0.5 if i == 0 else -0.1 * i
            score = content + section_bonus + 2.0 * passage.score + place
            sentences.append(_Sentence(n, i, text, score, order, content > 0))
    return sentences


def _with_antecedents(chosen: list[_Sentence], ranked: list[_Sentence]) -> list[_Sentence]:
    """Add the sentence before any chosen one that starts with "They", "This" and the like."""
    by_place = {(s.passage, s.index): s for s in ranked}
    result = list(chosen)
    for sentence in chosen:
        before = by_place.get((sentence.passage, sentence.index - 1))
        if _LEANS_BACK.match(sentence.text) and before and before not in result:
            result.append(before)
    return result


def _compose(
    focus: str, candidates: list[Passage], chosen: list[_Sentence], passages: Sequence[Passage]
) -> Answer:
    chosen = sorted(chosen, key=lambda s: (s.order, s.passage, s.index))
    markers: dict[int, int] = {}  # candidate index -> citation number
    runs: list[list[str]] = []  # the sentences quoted from each passage, in order
    for sentence in chosen:
        if sentence.passage not in markers:
            markers[sentence.passage] = len(markers) + 1
            runs.append([])
        runs[-1].append(sentence.text)
    paragraphs = []
    for (passage, n), run in zip(markers.items(), runs, strict=True):
        # A field's bare value ("Bachelor's degree") reads as a labelled line; prose as a paragraph,
        # its marker once at the end of the run.
        label = f"**{candidates[passage].section}:** " if _is_field_value(run) else ""
        paragraphs.append(f"{label}{' '.join(run)} [{n}]")
    citations = tuple(Citation.from_passage(n, candidates[i]) for i, n in markers.items())
    text = "\n\n".join([f"**{focus}**", *paragraphs])
    return Answer(text, citations, (focus,), tuple(passages))


def _is_field_value(run: list[str]) -> bool:
    """A short value with no sentence of its own ("None; moderate-term on-the-job training")."""
    return len(run) == 1 and len(run[0]) <= 120 and not run[0].rstrip().endswith((".", "!", "?"))


def _count(chosen: list[_Sentence], passage: int) -> int:
    return sum(1 for s in chosen if s.passage == passage)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
