"""Occupation resolution: which profiles a question is about, from the names people use.

Each occupation is scored by several signals, fused by a weighted sum (measured against
reciprocal-rank fusion on the O*NET dev questions; see README "Retrieval"):

- names: cosine of the job phrase to the closest of its title and aliases (embedded at index time);
- passages: cosine of the job phrase to its closest chunk (whose header carries all its names);
- words: BM25 of the job phrase over its chunks, scaled by the best BM25 score of the question;
- head noun: the phrase's last word is the head of one of its names ("mechanic" in
  "Aircraft Mechanics and Service Technicians"), found by title decomposition;
- role and field: a job title is a field and a role ("tax" + "technician"): the cosine of the
  phrase's head to the occupation's closest head ("professor" ~ "teacher"), times the cosine of
  the rest of the phrase to its passages, so a title must fit in both to gain;
- spelling: a near-exact fuzzy match of the phrase to one of its names (typos, word order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings
from rapidfuzz import fuzz, process, utils

from careerbot.index.search import SearchIndex
from careerbot.text import STOP_WORDS, head_words, singular, stems, words

__all__ = ["OccupationFinder", "OccupationMatch", "Signals", "name_heads", "role_and_field"]


@dataclass(frozen=True)
class OccupationMatch:
    occupation: str
    source: str
    name: str  # the title or alias closest to the question's job phrase
    score: float  # fused score; only the order means something


@dataclass(frozen=True)
class Signals:
    """Weights of the fused score (set on the O*NET dev questions, then left alone)."""

    names: float = 1.0
    passages: float = 1.5
    words: float = 0.3
    head: float = 0.1
    alias_head: float = 0.05
    role: float = 0.1
    role_and_field: float = 0.8
    spelling: float = 0.3


class OccupationFinder:
    """Scores every occupation of a search index against a question's job phrase."""

    def __init__(
        self, search: SearchIndex, embeddings: Embeddings | None = None, signals: Signals | None = None
    ) -> None:
        self.search = search
        self.embeddings = embeddings  # for the role and field signal; without it, that signal is off
        self.signals = signals or Signals()
        count = len(search.sources)
        self._title_heads: list[set[str]] = [set() for _ in range(count)]
        self._alias_heads: list[set[str]] = [set() for _ in range(count)]
        for name, owner in zip(search.names, search.name_owner, strict=True):
            is_title = name == search.occupations[owner]
            (self._title_heads if is_title else self._alias_heads)[owner] |= name_heads(name)
        self._choices = [utils.default_process(n) for n in search.names]
        # The last phrase scored and its scores (the vector is the phrase's, from one embedder).
        self._last: tuple[str, tuple[np.ndarray, np.ndarray]] | None = None
        self._head_at = {head: i for i, head in enumerate(search.heads)}
        # (occupation, head noun) pairs: each occupation's heads, as indexes into search.heads.
        pairs = np.array(
            sorted(
                {
                    (owner, self._head_at[head])
                    for name, owner in zip(search.names, search.name_owner, strict=True)
                    for head in head_words(name)
                }
            ),
            dtype=np.int64,
        ).reshape(-1, 2)
        self._head_owner, self._head_index = pairs[:, 0], pairs[:, 1]
        self._owner = {source: i for i, source in enumerate(search.sources)}

    def owner(self, source: str) -> int:
        """The index of a profile among the search index's occupations."""
        return self._owner[source]

    def rank(
        self, phrase: str, vector: np.ndarray, similarity: np.ndarray | None = None, *, limit: int = 10
    ) -> list[OccupationMatch]:
        """The `limit` best occupations for a job phrase and its embedding, best first.

        `similarity` is the cosine of `vector` to every chunk, if the caller has it already.
        """
        # A question is often resolved twice (is a job named? then its passages): score it once.
        last = self._last
        if last is not None and last[0] == phrase:
            scores, best_name = last[1]
        else:
            scores, best_name = self.scores(phrase, vector, similarity)
            self._last = (phrase, (scores, best_name))
        order = np.argsort(-scores, kind="stable")[:limit]
        return [
            OccupationMatch(
                self.search.occupations[i],
                self.search.sources[i],
                self.search.names[best_name[i]],
                round(float(scores[i]), 4),
            )
            for i in order
        ]

    def scores(
        self, phrase: str, vector: np.ndarray, similarity: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fused score of every occupation, and the index of its closest name."""
        search, weights = self.search, self.signals
        count = len(search.sources)
        name_cosine = search.name_vectors @ vector
        names = np.full(count, -1.0, dtype=np.float32)
        np.maximum.at(names, search.name_owner, name_cosine)
        best_name = np.zeros(count, dtype=np.int64)
        # Among each occupation's names, the last that reaches its maximum.
        hits = np.flatnonzero(name_cosine >= names[search.name_owner] - 1e-6)
        best_name[search.name_owner[hits]] = hits

        passages = np.full(count, -1.0, dtype=np.float32)
        if similarity is None:
            similarity = search.chunk_vectors @ vector
        np.maximum.at(passages, search.chunk_owner, similarity)
        lexical = np.zeros(count, dtype=np.float32)
        np.maximum.at(lexical, search.chunk_owner, search.lexical_scores(phrase))
        if lexical.max() > 0:
            lexical /= lexical.max()

        total = weights.names * names + weights.passages * passages + weights.words * lexical
        head = _head(phrase)
        if head:
            total += weights.head * np.array([head in h for h in self._title_heads], dtype=np.float32)
            total += weights.alias_head * np.array([head in h for h in self._alias_heads], dtype=np.float32)
        role, field = self._role_and_field(phrase)
        total += weights.role * role + weights.role_and_field * role * field
        spelling = np.zeros(count, dtype=np.float32)
        for _, similarity, n in process.extract(
            utils.default_process(phrase), self._choices, scorer=fuzz.ratio, limit=5, score_cutoff=90
        ):
            owner = search.name_owner[n]
            spelling[owner] = max(spelling[owner], similarity / 100)
        total += weights.spelling * spelling
        return total, best_name

    def _role_and_field(self, phrase: str) -> tuple[np.ndarray, np.ndarray]:
        """Per occupation: how close its closest head noun is to the phrase's head (the role), and
        its closest passage to the rest of the phrase (the field; zero for a one-word phrase)."""
        search, count = self.search, len(self.search.sources)
        role, field = np.zeros(count, dtype=np.float32), np.zeros(count, dtype=np.float32)
        head, rest = role_and_field(phrase)
        if not head or self.embeddings is None or not search.heads:
            return role, field
        at = self._head_at.get(head)
        head_vector = search.head_vectors[at] if at is not None else self._embed(head)
        np.maximum.at(role, self._head_owner, (search.head_vectors @ head_vector)[self._head_index])
        if rest:
            closeness = search.chunk_vectors @ self._embed(rest)
            np.maximum.at(field, search.chunk_owner, closeness)
        return role, field

    def _embed(self, text: str) -> np.ndarray:
        assert self.embeddings is not None
        vector = np.asarray(self.embeddings.embed_query(text), dtype=np.float32)
        return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _head(phrase: str) -> str:
    content = [w for w in words(phrase) if w not in STOP_WORDS]
    return stems(content[-1])[0] if content else ""


def role_and_field(phrase: str) -> tuple[str, str]:
    """A job phrase's head noun, singular, and the words before it: "tax technicians" -> technician, tax."""
    content = [w for w in words(phrase) if w not in STOP_WORDS]
    return (singular(content[-1]), " ".join(content[:-1])) if content else ("", "")


def name_heads(name: str) -> set[str]:
    """Stems of the head nouns of an occupation name (see `head_words`)."""
    return {stems(h)[0] for h in head_words(name) if stems(h)}
