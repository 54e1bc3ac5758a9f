"""An occupation profile: the occupation, the names people use for it, and its sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Profile", "ProfileError", "Section", "occupation_key"]


class ProfileError(ValueError):
    """A document that cannot become a profile (no title, no text, unreadable)."""


@dataclass(frozen=True)
class Section:
    name: str
    text: str


@dataclass(frozen=True)
class Profile:
    occupation: str
    source: str  # path relative to the corpus, with forward slashes
    sections: tuple[Section, ...]
    aliases: tuple[str, ...] = field(default=())

    def section(self, name: str) -> Section | None:
        """The section called `name` (case-insensitive), if the profile has it."""
        wanted = name.casefold()
        return next((s for s in self.sections if s.name.casefold() == wanted), None)

    @property
    def filled_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.text.strip())


def occupation_key(title: str) -> str:
    """Titles with the same key name the same occupation: case, spacing and plurals aside."""
    words = re.findall(r"[a-z0-9]+", title.casefold())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)
