"""Classification by meaning: a question is compared with the language table's example phrasings."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from weakref import WeakKeyDictionary

import numpy as np
from langchain_core.embeddings import Embeddings

from careerbot.retrieval.retriever import embed_texts
from careerbot.text import stem, words
from careerbot.understanding.language import LANGUAGE

__all__ = ["Examples", "embed", "examples_for"]

# Nearest examples averaged per label: one close paraphrase counts, a lone fluke less.
_NEAREST = 2
# What one cue word in the question adds to its label's score (cosines run 0..1).
_CUE_WEIGHT = 0.12
# An interest is read as a field of work ("numbers" -> accounting, finance ...) from this cosine.
_FIELD_MIN = 0.5


class Examples:
    """Every example phrasing of the table, embedded once, with its label ("pay", "explore", ...)."""

    def __init__(self, embeddings: Embeddings) -> None:
        labelled = [(name, text) for name, facet in LANGUAGE.facets.items() for text in facet.examples]
        labelled += [(name, text) for name, kind in LANGUAGE.kinds.items() for text in kind.examples]
        self.labels = np.array([label for label, _ in labelled])
        # As queries (they are short questions), in one batch where the embedder takes batches.
        self.vectors = embed(embeddings, [text for _, text in labelled])
        # A field is found by either of its names, its key ("numbers") or its heading ("numbers and
        # math"), then read in full: a one-word interest ("trade") is nearest the one-word name.
        self.fields = list(LANGUAGE.fields.values())
        names = [*LANGUAGE.fields, *(field.split(":")[0] for field in self.fields)]
        self.field_vectors = embed(embeddings, names)
        self.cues = {name: facet.cues for name, facet in LANGUAGE.facets.items()}
        self.cues |= {name: kind.cues for name, kind in LANGUAGE.kinds.items()}
        self.nearest = {name: kind.nearest for name, kind in LANGUAGE.kinds.items()}

    def scores(self, vector: np.ndarray, question: str) -> dict[str, float]:
        """Per label: the mean cosine of its nearest examples, plus a little for each cue word."""
        similarity = self.vectors @ vector
        asked = {stem(word) for word in words(question)}
        scores = {}
        for label, cues in self.cues.items():
            own = np.sort(similarity[self.labels == label])[-self.nearest.get(label, _NEAREST) :]
            scores[label] = float(own.mean()) + _CUE_WEIGHT * min(2, len(asked & cues))
        return scores

    def field(self, vector: np.ndarray) -> str | None:
        """The description of the field of work nearest to an interest, if one is near."""
        similarity = (self.field_vectors @ vector).reshape(2, -1).max(axis=0)
        best = int(np.argmax(similarity))
        return self.fields[best] if similarity[best] >= _FIELD_MIN else None


_CACHE: WeakKeyDictionary[Embeddings, Examples] = WeakKeyDictionary()
_LOCK = threading.Lock()


def examples_for(embeddings: Embeddings) -> Examples:
    """The table's examples embedded by this model: once per process and model."""
    with _LOCK:
        found = _CACHE.get(embeddings)
        if found is None:
            found = _CACHE[embeddings] = Examples(embeddings)
        return found


def embed(embeddings: Embeddings, texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of `texts`, as one batch where the embedder takes batches of queries."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return _unit(np.asarray(embed_texts(embeddings, list(texts)), dtype=np.float32))


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
