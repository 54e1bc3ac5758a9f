"""Bounded work per document: its size once expanded, its sections, names and chunks, and its time."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from careerbot.profiles import ProfileError

if TYPE_CHECKING:
    from careerbot.settings import Settings

__all__ = ["Budget", "ReadLimits"]


@dataclass(frozen=True)
class ReadLimits:
    """How much one document may cost; each limit, when reached, is a problem for that file only."""

    max_bytes: int = 5_000_000  # the file as stored
    max_expanded_bytes: int = 5_000_000  # the XML inside a .docx, the text of a PDF or HTML page
    max_sections: int = 200
    max_aliases: int = 50  # alternate titles: every chunk and every name lookup repeats them
    max_chunks: int = 300
    seconds: float = 30.0  # reading, parsing, chunking and reading the facts of one document

    @classmethod
    def of(cls, settings: Settings) -> ReadLimits:
        return cls(
            max_bytes=settings.max_document_bytes,
            max_expanded_bytes=settings.max_expanded_bytes,
            max_sections=settings.max_sections,
            max_aliases=settings.max_aliases,
            max_chunks=settings.max_chunks,
            seconds=settings.document_seconds,
        )


class Budget:
    """One document's limits while it is read: readers call `check()` as they go, `expanded(n)`
    when they know how big the text will be."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self._end = time.monotonic() + limits.seconds

    def check(self) -> None:
        if time.monotonic() > self._end:
            raise ProfileError(
                f"reading it took over {self.limits.seconds:g} s, the per-document time limit "
                "(CAREERBOT_DOCUMENT_SECONDS)"
            )

    def expanded(self, size: int, what: str = "its text runs to", unit: str = "characters") -> None:
        if size > self.limits.max_expanded_bytes:
            raise ProfileError(
                f"{what} {size:,} {unit} once expanded, over the {self.limits.max_expanded_bytes:,} "
                "limit (CAREERBOT_MAX_EXPANDED_BYTES)"
            )
        self.check()

    def sections(self, count: int) -> None:
        if count > self.limits.max_sections:
            raise ProfileError(
                f"it has {count:,} sections, over the {self.limits.max_sections:,}-section limit "
                "(CAREERBOT_MAX_SECTIONS)"
            )
        self.check()

    def aliases(self, count: int) -> None:
        if count > self.limits.max_aliases:
            raise ProfileError(
                f"it names {count:,} alternate titles, over the {self.limits.max_aliases:,}-title limit "
                "(CAREERBOT_MAX_ALIASES)"
            )
        self.check()

    def chunks(self, count: int) -> None:
        if count > self.limits.max_chunks:
            raise ProfileError(
                f"it makes {count:,} chunks, over the {self.limits.max_chunks:,}-chunk limit "
                "(CAREERBOT_MAX_CHUNKS)"
            )
        self.check()
