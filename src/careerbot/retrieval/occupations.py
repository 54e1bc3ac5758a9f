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

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings
from rapidfuzz import fuzz, process, utils

from careerbot.index.search import SearchIndex
from careerbot.text import STOP_WORDS, head_words, singular, stems, words

__all__ = ["OccupationFinder", "OccupationMatch", "Signals", "name_heads", "role_and_field"]

# Chunks taken as candidates from each of the dense and BM25 lists (see `OccupationFinder.scores`).
CANDIDATES = 200


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
        # Names by length, for the spelling signal (see `_spelt`).
        written = [utils.default_process(n) for n in search.names]
        self._by_length = sorted(range(len(written)), key=lambda n: len(written[n]))
        self._choices = [written[n] for n in self._by_length]
        self._lengths = [len(c) for c in self._choices]
        # The last phrase scored: its candidates, their scores and closest names.
        self._last: tuple[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
        self._head_at = {head: i for i, head in enumerate(search.heads)}
        # Each occupation's head nouns, as indexes into search.heads.
        self._heads_of = [
            np.array(
                sorted({self._head_at[h] for n in search.names_of[o] for h in head_words(search.names[n])}),
                dtype=np.int64,
            )
            for o in range(count)
        ]
        self._owner = {source: i for i, source in enumerate(search.sources)}

    def owner(self, source: str) -> int:
        """The index of a profile among the search index's occupations."""
        return self._owner[source]

    def rank(self, phrase: str, vector: np.ndarray, *, limit: int = 10) -> list[OccupationMatch]:
        """The `limit` best occupations for a job phrase and its embedding, best first."""
        # A question is often resolved twice (is a job named? then its passages): score it once.
        last = self._last
        if last is not None and last[0] == phrase:
            owners, scores, best_name = last[1]
        else:
            owners, scores, best_name = self.scores(phrase, vector)
            self._last = (phrase, (owners, scores, best_name))
        order = np.argsort(-scores, kind="stable")[:limit]
        return [
            OccupationMatch(
                self.search.occupations[owners[i]],
                self.search.sources[owners[i]],
                self.search.names[best_name[i]],
                round(float(scores[i]), 4),
            )
            for i in order
        ]

    def scores(self, phrase: str, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The candidate occupations (indexes into the search index's), their fused scores, and the
        index of each one's closest name.

        Only candidates are scored: the occupations of the chunks nearest the phrase, of the best
        chunks by BM25, and of near-spelt names. One in none of those lists is too far from the
        phrase to rank among the first (on the O*NET dev questions the first five were the same as
        with every occupation scored, at 1x and 10x), and scoring every occupation and every name
        grew with the index.
        """
        search, weights = self.search, self.signals
        words = search.lexical_scores(phrase)  # BM25 reads only the phrase's words' postings
        head, rest = role_and_field(phrase)
        spelt = self._spelt(phrase)
        owners = self._candidates(vector, words, spelt)

        name_rows, name_at = _gather(search.names_of, owners)
        names, best_name = _closest(search.name_vectors[name_rows] @ vector, name_rows, name_at, len(owners))
        rows, at = _gather(search.chunks_of, owners)
        passages, _ = _closest(search.chunk_vectors[rows] @ vector, rows, at, len(owners))
        lexical = np.zeros(len(owners), dtype=np.float32)
        np.maximum.at(lexical, at, words[rows])
        if words.max(initial=0) > 0:
            lexical /= words.max()  # the best of every occupation's (their chunks' best)

        total = weights.names * names + weights.passages * passages + weights.words * lexical
        head_stem = _head(phrase)
        if head_stem:
            total += weights.head * np.array([head_stem in self._title_heads[o] for o in owners])
            total += weights.alias_head * np.array([head_stem in self._alias_heads[o] for o in owners])
        if head and self.embeddings is not None and search.heads:
            role = self._role(head, owners)
            field = np.zeros(len(owners), dtype=np.float32)  # none for a one-word phrase
            if rest:
                cosine = search.chunk_vectors[rows] @ self._embed(rest)
                field, _ = _closest(cosine, rows, at, len(owners), floor=0.0)
            total += weights.role * role + weights.role_and_field * role * field
        spelling = np.zeros(len(owners), dtype=np.float32)
        for owner, similarity in spelt:
            i = np.searchsorted(owners, owner)  # candidates are in index order
            spelling[i] = max(spelling[i], similarity)
        total += weights.spelling * spelling
        return owners, total, best_name

    def _candidates(
        self, vector: np.ndarray, words: np.ndarray, spelt: list[tuple[int, float]]
    ) -> np.ndarray:
        """The occupations worth scoring, in index order (see `scores`)."""
        nearest = self.search.nearest(vector, CANDIDATES)
        lexical = np.flatnonzero(words > 0)  # BM25's best chunks: those sharing a word with the phrase
        if len(lexical) > CANDIDATES:
            lexical = lexical[np.argpartition(-words[lexical], CANDIDATES)[:CANDIDATES]]
        owners = self.search.chunk_owner[np.concatenate([nearest, lexical])]
        return np.unique(np.concatenate([owners, np.array([o for o, _ in spelt], dtype=np.int64)]))

    def _role(self, head: str, owners: np.ndarray) -> np.ndarray:
        """Per occupation, how close its closest head noun is to the phrase's head (at least 0)."""
        at = self._head_at.get(head)
        head_vector = self.search.head_vectors[at] if at is not None else self._embed(head)
        heads, owner_at = _gather(self._heads_of, owners)
        role = np.zeros(len(owners), dtype=np.float32)
        np.maximum.at(role, owner_at, (self.search.head_vectors @ head_vector)[heads])
        return role

    def _spelt(self, phrase: str) -> list[tuple[int, float]]:
        """(occupation, similarity) of the five names spelt most like the phrase, 90% alike or more
        (typos, word order)."""
        query = utils.default_process(phrase)
        # fuzz.ratio is 1 - distance / (both lengths), and the distance is at least the difference
        # of the lengths: only names within 9/11 to 11/9 of the phrase's length can reach 90%.
        low = bisect_left(self._lengths, -(-9 * len(query) // 11))
        high = bisect_right(self._lengths, 11 * len(query) // 9)
        found = process.extract(
            query, self._choices[low:high], scorer=fuzz.ratio, limit=None, score_cutoff=90
        )
        found.sort(key=lambda f: (-f[1], self._by_length[low + f[2]]))  # ties: in name order
        return [
            (int(self.search.name_owner[self._by_length[low + n]]), similarity / 100)
            for _, similarity, n in found[:5]
        ]

    def _embed(self, text: str) -> np.ndarray:
        assert self.embeddings is not None
        vector = np.asarray(self.embeddings.embed_query(text), dtype=np.float32)
        return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _gather(members: list[np.ndarray], owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of `owners`, and for each row the index into `owners` of the one it belongs to."""
    groups = [members[o] for o in owners]
    at = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    return (np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)), at


def _closest(
    cosine: np.ndarray, rows: np.ndarray, at: np.ndarray, count: int, floor: float = -1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Per owner, the highest `cosine` of its rows (`floor` if it has none), and the last row that
    reaches it."""
    best = np.full(count, floor, dtype=np.float32)
    np.maximum.at(best, at, cosine)
    closest = np.zeros(count, dtype=np.int64)
    hits = np.flatnonzero(cosine >= best[at] - 1e-6)
    closest[at[hits]] = rows[hits]
    return best, closest


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
