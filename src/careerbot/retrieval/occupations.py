"""Occupation resolution: which profile a question is about, from the names people use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from careerbot.retrieval.intent import subject_stems
from careerbot.text import stems

__all__ = ["OccupationFinder", "OccupationMatch"]


@dataclass(frozen=True)
class OccupationMatch:
    occupation: str
    source: str
    name: str  # the title or alias that matched
    score: float  # overlap of the question's subject with that name, 0..1


class OccupationFinder:
    """Matches a question's subject words against every occupation's title and aliases."""

    def __init__(self, profiles: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        # (source, occupation, aliases) -> one entry per name
        self._names = [
            (source, occupation, name, frozenset(stems(name)))
            for source, occupation, aliases in profiles
            for name in (occupation, *aliases)
        ]

    def find(self, question: str, *, limit: int = 5) -> list[OccupationMatch]:
        """The best-matching occupations, best first, one entry per occupation."""
        subject = subject_stems(question)
        if not subject:
            return []
        best: dict[str, OccupationMatch] = {}
        for source, occupation, name, name_stems in self._names:
            shared = len(subject & name_stems)
            if not shared:
                continue
            score = shared / len(subject | name_stems)
            if source not in best or score > best[source].score:
                best[source] = OccupationMatch(occupation, source, name, round(score, 4))
        return sorted(best.values(), key=lambda m: (-m.score, m.occupation))[:limit]
