"""The generator seam: anything that turns a question and passages into a cited Answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from careerbot.answer.answer import Answer
from careerbot.answer.extractive import ExtractiveGenerator
from careerbot.errors import UnknownBackendError
from careerbot.retrieval import Passage
from careerbot.settings import Settings

__all__ = ["GENERATORS", "Generator", "make_generator"]


class Generator(Protocol):
    name: str

    def answer(
        self, question: str, passages: Sequence[Passage], *, occupations: Sequence[str] = ()
    ) -> Answer:
        """Answer `question` from `passages` only, citing them; `occupations` are all known ones."""
        ...


def _extractive(settings: Settings) -> Generator:
    return ExtractiveGenerator(
        max_sentences=settings.max_answer_sentences, min_relevance=settings.min_relevance
    )


GENERATORS: dict[str, Callable[[Settings], Generator]] = {"extractive": _extractive}


def make_generator(settings: Settings) -> Generator:
    """The generator named by `settings.generator`."""
    try:
        factory = GENERATORS[settings.generator]
    except KeyError:
        raise UnknownBackendError("generator", settings.generator, GENERATORS) from None
    return factory(settings)
