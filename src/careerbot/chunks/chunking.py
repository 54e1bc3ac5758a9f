"""Section-aware chunks: one per profile section, long sections split between sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_core.documents import Document

from careerbot.profiles import Profile
from careerbot.profiles.parse import ALIAS_SECTION

__all__ = ["Chunk", "chunk_profile", "split_sentences"]

# A sentence ends at . ! or ? followed by space and a capital, digit or opening quote.
# Regex rather than a tokenizer model: profiles are edited prose, and nothing may download data.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“‘(])")
_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}$|\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|St|No|Inc|Jr|Sr|Corp)\.$")
_ABBREVIATION_CHARS = 24  # longer than any abbreviation that ends a piece ("U.S.A.", "Corp.")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph-structured text; line breaks always end a sentence.

    A short label such as "Interpersonal skills." stays with the sentence it introduces.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        label = ""
        for sentence in _rejoin_abbreviations(_SENTENCE_END.split(line)):
            sentence = f"{label} {sentence.strip()}".strip()
            label = sentence if _is_label(sentence) else ""
            if sentence and not label:
                sentences.append(sentence)
        if label:
            sentences.append(label)
    return sentences


def _rejoin_abbreviations(pieces: list[str]) -> list[str]:
    """Undo splits after "U.S.", "e.g.", "Dr." and the like.

    Only the end of the piece before a split is looked at, and the parts of a sentence are joined
    once: searching and extending the joined sentence each time took the square of its length.
    """
    joined: list[list[str]] = []
    for piece in pieces:
        if joined and _ABBREVIATION.search(joined[-1][-1][-_ABBREVIATION_CHARS:]):
            joined[-1].append(piece)
        else:
            joined.append([piece])
    return [" ".join(parts) for parts in joined]


def _is_label(sentence: str) -> bool:
    return sentence.endswith(".") and len(sentence.split()) <= 4 and sentence[:1].isupper()


@dataclass(frozen=True)
class Chunk:
    occupation: str
    aliases: tuple[str, ...]
    section: str
    source: str
    position: int  # order of the chunk within its profile
    text: str

    @property
    def header(self) -> str:
        """Names the occupation and section, so the chunk is findable by either."""
        also = f" (also: {', '.join(self.aliases)})" if self.aliases else ""
        return f"{self.occupation}{also} — {self.section}"

    def to_document(self) -> Document:
        return Document(
            page_content=f"{self.header}\n{self.text}",
            metadata={
                "occupation": self.occupation,
                "aliases": "; ".join(self.aliases),
                "section": self.section,
                "source": self.source,
                "position": self.position,
            },
        )


# Sections that name or code the occupation rather than say something about it: the names
# already head every chunk (and are embedded on their own for occupation resolution).
_NOT_PROSE = re.compile(rf"{ALIAS_SECTION.pattern}|soc code|o\*net-soc", re.I)


def chunk_profile(profile: Profile, max_chars: int) -> list[Chunk]:
    """The profile's non-empty sections as chunks of at most about `max_chars` characters."""
    aliases = tuple(" ".join(a.split()) for a in profile.aliases)
    occupation = " ".join(profile.occupation.split())
    chunks = []
    for section in profile.filled_sections:
        if _NOT_PROSE.search(section.name):
            continue
        for part in _pack(split_sentences(section.text), max_chars):
            chunks.append(Chunk(occupation, aliases, section.name, profile.source, len(chunks), part))
    return chunks


def _pack(sentences: list[str], max_chars: int) -> list[str]:
    """Greedily join whole sentences into parts no longer than max_chars (unless one is)."""
    parts: list[list[str]] = [[]]
    size = 0
    for sentence in sentences:
        if parts[-1] and size + len(sentence) + 1 > max_chars:
            parts.append([])
            size = 0
        parts[-1].append(sentence)
        size += len(sentence) + 1
    return [" ".join(part) for part in parts if part]
