"""An occupation profile: the occupation, the names people use for it, and its sections."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from confusable_homoglyphs import confusables

__all__ = ["Profile", "ProfileError", "Section", "fold_name", "occupation_key"]


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
    """Titles with the same key name the same occupation: case, spacing, plurals and look-alike
    characters aside ("Rеgistered Nurse" with a Cyrillic е, a zero-width space or full-width letters)."""
    words = re.findall(r"[^\W_]+", fold_name(title))
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """A name as it reads: compatibility forms unified (NFKC: full-width letters, no-break spaces),
    invisible format characters dropped (zero-width spaces and joiners, direction marks), letters of
    other scripts that look like Latin ones read as those (Unicode's confusables, UTS #39), case folded."""
    name = "".join(c for c in unicodedata.normalize("NFKC", name) if unicodedata.category(c) != "Cf")
    found = confusables.is_confusable(name, greedy=True, preferred_aliases=["latin", "common"]) or []
    latin = {
        f["character"]: next((h["c"] for h in f["homoglyphs"] if h["c"].isascii()), f["character"])
        for f in found
    }
    return "".join(latin.get(c, c) for c in name).casefold()
