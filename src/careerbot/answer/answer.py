"""What the bot says back: the text, and the citations its [n] markers point to."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from careerbot.retrieval import Passage

__all__ = ["Answer", "Citation"]


@dataclass(frozen=True)
class Citation:
    id: int  # the n of the [n] marker in the answer text
    occupation: str
    section: str
    source: str  # path relative to the corpus
    text: str  # the cited passage

    @classmethod
    def from_passage(cls, n: int, passage: Passage) -> Citation:
        return cls(n, passage.occupation, passage.section, passage.source, passage.text)


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...] = ()
    occupations: tuple[str, ...] = ()
    passages: tuple[Passage, ...] = field(default=(), repr=False, compare=False)
    # Other occupations the question may have meant ("Did you mean ...?"); empty when it was clear.
    alternatives: tuple[str, ...] = ()
    # The person's situation as the conversation holds it, in a few words each ("no blood").
    situation: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The `--json` shape: answer text and citations."""
        return {
            "answer": self.text,
            "citations": [asdict(c) for c in self.citations],
            "occupations": list(self.occupations),
            "alternatives": list(self.alternatives),
            "situation": list(self.situation),
        }
