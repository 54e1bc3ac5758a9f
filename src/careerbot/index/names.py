"""One name, one occupation: the titles and alternate titles each document may claim.

Names are compared by `occupation_key` (case, plurals and Unicode look-alikes aside). A document
keeps the names it was indexed with. A title new to the index is refused when another document
has it as its title or was indexed with it as an alias: the whole document is refused. An alias
is dropped, with a note, when it is another document's title (titles win), an alias another
document was indexed with and this one was not, the initials of another's name ("RN"), or a
one-word alias that is the head noun of another's title ("Nurse" for Registered Nurse).
Between documents new to the index, an alias they share stays with both: it is ambiguous.
"""

from __future__ import annotations

import re
from collections import defaultdict

from careerbot.profiles import occupation_key
from careerbot.text import STOP_WORDS, head_words, singular

__all__ = ["NameClaims", "split_aliases"]


def split_aliases(joined: str) -> list[str]:
    """A manifest entry's aliases (as the chunks' metadata joins them)."""
    return [alias for alias in joined.split("; ") if alias]


class NameClaims:
    """Who has which name in one run of the indexer; `indexed` is the manifest's documents before it."""

    def __init__(self, indexed: dict[str, dict]) -> None:
        self.indexed = indexed
        self.titles: dict[str, str] = {}  # key -> the source whose title it is
        # key -> the sources indexed with it as an alias (those keep it)
        self.aliases: dict[str, set[str]] = defaultdict(set)
        for source, entry in indexed.items():
            for alias in split_aliases(entry.get("aliases", "")):
                self.aliases[occupation_key(alias)].add(source)
        self.initials: dict[str, set[str]] = defaultdict(set)
        self.heads: dict[str, set[str]] = defaultdict(set)

    def claim_title(self, title: str, source: str) -> str | None:
        """Take `title` for `source`; when another document has it, why not."""
        key = occupation_key(title)
        owner = self.titles.setdefault(key, source)
        if owner != source:
            return f"{title} is already described by {owner}; retitle or remove one"
        before = occupation_key(self.indexed.get(source, {}).get("occupation", ""))
        others = sorted(self.aliases.get(key, set()) - {source})
        if others and before != key:
            del self.titles[key]
            return f"{title} is already a name of the occupation in {others[0]}; retitle or remove one"
        for letters in _initials(title):
            self.initials[letters].add(source)
        for head in head_words(title):
            self.heads[head].add(source)
        return None

    def release_title(self, title: str, source: str) -> None:
        """Undo `claim_title` (the document is not indexed after all)."""
        if self.titles.get(occupation_key(title)) == source:
            del self.titles[occupation_key(title)]

    def aliases_of(self, source: str, title: str, aliases: list[str]) -> tuple[list[str], str | None]:
        """The aliases `source` keeps, and a note on those it may not have (None: all kept)."""
        before = {occupation_key(a) for a in split_aliases(self.indexed.get(source, {}).get("aliases", ""))}
        owners: dict[str, str] = {}  # alias -> the source that has it

        def other(holders: set[str] | None) -> str | None:
            return min((holders or set()) - {source}, default=None)

        for alias in aliases:  # names as written: another's title, or an alias it was indexed with
            key = occupation_key(alias)
            owner = other({self.titles[key]} if key in self.titles else None)
            if owner is None and key not in before:
                owner = other(self.aliases.get(key))
            if owner:
                owners[alias] = owner
        # Initials and head nouns of its own remaining names are its own ("LPN" for Licensed Practical Nurse).
        own_initials = {
            letters for name in [title, *aliases] if name not in owners for letters in _initials(name)
        }
        own_heads = head_words(title)
        for alias in aliases:
            key = occupation_key(alias)
            if alias in owners or " " in key:
                continue
            owner = other(self.initials.get(key)) if key.isalpha() and key not in own_initials else None
            if owner is None and singular(key) not in own_heads:
                owner = other(self.heads.get(singular(key)))
            if owner:
                owners[alias] = owner
        if not owners:
            return aliases, None
        listed = ", ".join(f"{alias} ({owner})" for alias, owner in owners.items())
        kept = [alias for alias in aliases if alias not in owners]
        return kept, f"alternate titles that name another occupation were left out: {listed}"


def _initials(name: str) -> set[str]:
    """The initials people write for a name, with and without its small words ("Director of
    Nursing": DN, DON); a name of one word has none."""
    words = [w for w in re.findall(r"[^\W\d_]+", occupation_key(re.sub(r"\([^)]*\)", " ", name)))]
    found = set()
    for kept in (words, [w for w in words if w not in STOP_WORDS]):
        if len(kept) >= 2:
            found.add("".join(w[0] for w in kept))
    return found
