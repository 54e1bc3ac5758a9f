"""Decisions learned from labelled questions, not set by hand.

`data/*.jsonl` holds messages people write to a careers adviser, each with its labels: what it
says of the person's situation ("no_degree", "avoid:blood", "want:remote") and which attribute of
a job it asks about ("asks:nights"). A logistic regression per label reads the embedder's vector
of a message beside its character n-grams (which catch spellings the model has never seen); each
label's threshold is the one that reads a held-out validation split best.

The fitted labeller is kept on disk under a fingerprint of the data, the recipe, scikit-learn and
the embedder's own vectors, so another model or new data trains it again (deterministically, in
seconds): `careerbot index` does so, and so does the first question after a change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import re
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from scipy.sparse import csr_matrix, hstack

from careerbot.understanding.meaning import embed

__all__ = ["Labelled", "Labeller", "labelled", "labeller_for", "train"]

log = logging.getLogger(__name__)

# Bump when the features or the fitting change: every stored labeller is then trained again.
RECIPE = "4"
# One message in this many (by a hash of its text) is kept apart to choose the thresholds.
_VALIDATION_EVERY = 5
# The regularisation, chosen on the validation split when the recipe was written (micro-F1 at 0.5:
# C=4 0.800, C=16 0.813); trying several at each training would double its time.
_STRENGTH = 16.0
_THRESHOLDS = np.round(np.arange(0.2, 0.81, 0.05), 2)
# Texts the embedder reads to tell one model from another.
_PROBES = ("I want to work outdoors without a degree.", "Do nurses work nights?")


@dataclass(frozen=True)
class Labelled:
    text: str
    labels: tuple[str, ...]

    @property
    def validation(self) -> bool:
        digest = hashlib.sha256(self.text.encode("utf-8")).digest()
        return digest[0] % _VALIDATION_EVERY == 0


def labelled() -> list[Labelled]:
    """Every labelled message of the package's data files."""
    found = []
    for path in sorted(_data_files(), key=lambda p: p.name):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                found.append(Labelled(" ".join(item["text"].split()), tuple(item["labels"])))
    return found


@dataclass
class Labeller:
    """Labels for a message, from its text and its embedding: one logistic regression per label,
    kept as one weight matrix so a message is read in one product."""

    labels: tuple[str, ...]
    thresholds: np.ndarray
    weights: np.ndarray  # labels x features
    bias: np.ndarray
    validation: dict[str, float]  # micro-F1 and per-label F1 on the validation split

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        return _sigmoid(_features(texts, vectors) @ self.weights.T + self.bias)

    def read(self, texts: Sequence[str], vectors: np.ndarray) -> tuple[str, ...]:
        """The labels whose probability reaches their threshold in any of `texts` (a message and
        its clauses: a long message says each thing in one of them)."""
        met = (self.probabilities(texts, vectors) >= self.thresholds).any(axis=0)
        return tuple(label for label, yes in zip(self.labels, met, strict=True) if yes)


def train(embeddings: Embeddings, data: Sequence[Labelled] | None = None) -> Labeller:
    """Fit a labeller on the training split and choose each threshold on the validation split."""
    from sklearn.metrics import f1_score  # fitting only: answering never imports scikit-learn

    data = list(data if data is not None else labelled())
    labels = tuple(sorted({label for item in data for label in item.labels}))
    vectors = embed(embeddings, [item.text for item in data])
    features = _features([item.text for item in data], vectors)
    truth = np.array([[label in item.labels for label in labels] for item in data])
    held = np.array([item.validation for item in data])
    models = _fit(features[~held], truth[~held])
    weights = np.vstack([m.coef_[0] for m in models])
    bias = np.array([m.intercept_[0] for m in models])
    chances = _sigmoid(features[held] @ weights.T + bias)
    thresholds = np.array([_threshold(truth[held, n], chances[:, n]) for n in range(len(labels))])
    predicted = chances >= thresholds
    validation = {"micro_f1": float(f1_score(truth[held], predicted, average="micro", zero_division=0))}
    validation |= {
        label: float(f1_score(truth[held, n], predicted[:, n], zero_division=0))
        for n, label in enumerate(labels)
    }
    return Labeller(labels, thresholds, weights, bias, validation)


_CACHE: dict[str, Labeller] = {}
_LOCK = threading.Lock()


def labeller_for(embeddings: Embeddings, cache: Path | None) -> Labeller:
    """The labeller for this embedder and data: from this process, from `cache` on disk, or trained
    now (and kept there)."""
    key = fingerprint(embeddings)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        path = cache / f"labeller-{key}.pkl" if cache else None
        labeller = _load(path)
        if labeller is None:
            log.info("training the question labeller (%s)", key)
            labeller = train(embeddings)
            if path is not None:
                _save(path, labeller)
        _CACHE[key] = labeller
        return labeller


def fingerprint(embeddings: Embeddings) -> str:
    """Names the data, the recipe, scikit-learn's version and the embedder (by its own vectors)."""
    digest = hashlib.sha256(f"{RECIPE} {version('scikit-learn')}".encode())
    for path in sorted(_data_files(), key=lambda p: p.name):
        digest.update(path.read_bytes())
    digest.update(np.round(embed(embeddings, list(_PROBES)), 3).astype(np.float32).tobytes())
    return digest.hexdigest()[:16]


def _data_files() -> list[Path]:
    folder = resources.files("careerbot.understanding") / "data"
    return [Path(str(p)) for p in folder.iterdir() if p.name.endswith(".jsonl")]


# Character n-grams of each word, hashed into this many columns (like scikit-learn's HashingVectorizer
# with char_wb, which answering would have to import): they catch spellings the model never saw.
_GRAM_COLUMNS = 2**12
_GRAMS = (2, 3, 4)


def _features(texts: Sequence[str], vectors: np.ndarray) -> csr_matrix:
    """The message's embedding beside its character n-grams (lower case, unit length)."""
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        counts: dict[int, float] = {}
        for word in re.findall(r"\w+", text.lower()):
            padded = f" {word} "
            for n in _GRAMS:
                for start in range(max(len(padded) - n + 1, 1)):
                    column = zlib.crc32(padded[start : start + n].encode("utf-8")) % _GRAM_COLUMNS
                    counts[column] = counts.get(column, 0.0) + 1.0
        norm = np.sqrt(sum(c * c for c in counts.values())) or 1.0
        rows += [row] * len(counts)
        columns += list(counts)
        values += [c / norm for c in counts.values()]
    grams = csr_matrix((values, (rows, columns)), shape=(len(texts), _GRAM_COLUMNS), dtype=np.float64)
    return hstack([csr_matrix(vectors), grams], format="csr")


def _fit(features: csr_matrix, truth: np.ndarray) -> list[Any]:
    from sklearn.linear_model import LogisticRegression

    return [
        LogisticRegression(C=_STRENGTH, class_weight="balanced", max_iter=1000).fit(features, truth[:, n])
        for n in range(truth.shape[1])
    ]


def _sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(scores)))


def _threshold(truth: np.ndarray, chances: np.ndarray) -> float:
    """The threshold that reads the validation split best, precision weighed twice recall (F0.5: a
    constraint the person never stated hides jobs from them, one missed can be said again), the
    higher on a tie; 0.5 when the split holds no example of the label."""
    from sklearn.metrics import fbeta_score

    if not truth.any():
        return 0.5
    scores = [(fbeta_score(truth, chances >= t, beta=0.5, zero_division=0), t) for t in _THRESHOLDS]
    return float(max(scores)[1])


def _load(path: Path | None) -> Labeller | None:
    if path is None or not path.exists():
        return None
    try:
        with path.open("rb") as file:
            found = pickle.load(file)  # our own file, named by its fingerprint
        return found if isinstance(found, Labeller) else None
    except Exception as error:  # a damaged or older file: train again
        log.warning("the stored question labeller %s is unreadable (%s): training again", path, error)
        return None


def _save(path: Path, labeller: Labeller) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_bytes(pickle.dumps(labeller))
        partial.replace(path)
    except OSError as error:  # a read-only cache: keep it in this process only
        log.warning("could not keep the question labeller in %s: %s", path.parent, error)
