"""The onnx embedder: a sentence-transformers folder exported once to ONNX (int8 by default) and run
by onnxruntime with the model's own fast tokenizer, so answering never loads torch.

The export is made on this machine from the local weights (never downloaded), cached under a
name that holds a hash of the weights and of the recipe below: new weights mean a new export. Its
checksum is recorded beside it, and an export that no longer matches it is made again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from filelock import FileLock
from langchain_core.embeddings import Embeddings

from careerbot.errors import CareerBotError

__all__ = ["OnnxEmbeddings", "damage", "export", "export_problems"]

log = logging.getLogger(__name__)

# Bump when the export or quantisation below changes: every cached export is then made anew.
RECIPE = "3: torchscript, opset 17; MatMulNBits int8 weights, blocks of 32, accuracy level 4"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Tokens per model run (texts x longest): measured on 2 cores, short names embed 3-7 times faster
# in runs of 128-512 tokens than one by one, and long sections faster alone than in batches of 32.
TOKENS = 256


class OnnxEmbeddings(Embeddings):
    """Mean- or CLS-pooled, unit-length sentence vectors from an exported transformer."""

    def __init__(self, model: Path, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        pooling, max_tokens = _layout(folder)
        self.pooling = pooling
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # its warnings are about graph rewrites, not about our inputs
        self.session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # Shortest first, in runs of about TOKENS tokens: many names share a run, a long section has
        # one to itself, and little of any run is padding. (A text's vector doesn't depend on the
        # texts beside it: the int8 products scale each token's inputs on their own.)
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors: list[list[float]] = [[]] * len(texts)
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and len(encodings[order[end]].ids) * (end + 1 - start) <= TOKENS:
                end += 1
            run = order[start:end]
            for i, vector in zip(run, self._run([encodings[i].ids for i in run]).tolist(), strict=True):
                vectors[i] = vector
            start = end
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def _run(self, texts: list[list[int]]) -> np.ndarray:
        ids = np.zeros((len(texts), max(len(t) for t in texts)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(texts):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        tokens = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        if self.pooling == "cls":
            pooled = tokens[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / weights.sum(axis=1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def export(folder: Path, name: str, cache: Path, *, quantize: bool) -> Path:
    """The ONNX file for the model in `folder`: the export in `cache` if it matches the checksum recorded
    when it was made, else a new one made there; where `cache` can't be written, one made in a private
    temporary folder for this process. A damaged export or an unwritable cache is said in a log line."""
    _layout(folder)  # a folder we can't run says so before any export
    target = cache / f"{name}-{_fingerprint(folder)[:16]}.onnx"
    if damage(target) is None:
        return target
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with FileLock(cache / ".export.lock"):  # one export at a time: another may have made it meanwhile
            found = damage(target)
            if found is None:
                return target
            if target.exists():
                log.warning("the model export %s %s: exporting it again", target, found)
            _export_into(target, folder, name, quantize=quantize)
            return target
    except OSError as error:  # a read-only or full cache folder
        private = Path(tempfile.mkdtemp(prefix="careerbot-model-"))
        log.warning(
            "can't keep the model export in %s (%s): exporting it into %s for this process",
            cache,
            error.strerror or error,
            private,
        )
        try:
            return _export_into(private / target.name, folder, name, quantize=quantize)
        except OSError as again:
            raise CareerBotError(
                f"can't export the model into {cache} ({error.strerror or error}) nor into {private} "
                f"({again.strerror or again}); set CAREERBOT_MODEL_CACHE to a writable folder"
            ) from None


def damage(export: Path) -> str | None:
    """What is wrong with an export, by the checksum recorded when it was made; None if nothing."""
    try:
        record = json.loads(_record(export).read_text(encoding="utf-8"))
        found = export.stat()
    except FileNotFoundError:
        return "has no recorded checksum" if export.exists() else "is missing"
    except (OSError, ValueError) as error:
        return f"has an unreadable checksum record ({error})"
    if _identity(found) == record.get("file"):  # untouched since it was recorded: no need to read it
        return None
    if _sha256(export) != record.get("sha256"):
        return "doesn't match the checksum recorded when it was made"
    return None


def export_problems(folder: Path, name: str, cache: Path) -> list[str]:
    """What is wrong with the model's export in `cache`, if it has been made (for `careerbot doctor`)."""
    target = cache / f"{name}-{_fingerprint(folder)[:16]}.onnx"
    found = damage(target) if target.exists() else None
    return [f"the model export {target} {found}: the next question makes it again"] if found else []


def _export_into(target: Path, folder: Path, name: str, *, quantize: bool) -> Path:
    """Export into a work folder beside `target`, record its checksum, then put it in place."""
    cache = target.parent
    for left in cache.glob(".export-*"):  # left by an export that was killed (the lock is ours)
        shutil.rmtree(left, ignore_errors=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".export-") as work:
        exported = Path(work) / "model.onnx"
        _export_transformer(folder, exported)
        if quantize:
            exported = _quantize(exported)
        digest = _sha256(exported)
        os.replace(exported, target)  # atomic: another process sees no file or the whole one
        record = Path(work) / "record.json"
        record.write_text(json.dumps({"sha256": digest, "file": _identity(target.stat())}), encoding="utf-8")
        os.replace(record, _record(target))
    for stale in cache.glob(f"{name}-*.onnx"):  # exports of this model's earlier weights
        if stale != target:
            stale.unlink(missing_ok=True)
            _record(stale).unlink(missing_ok=True)
    return target


def _record(export: Path) -> Path:
    return export.with_suffix(".json")


def _identity(found: os.stat_result) -> list[int]:
    """Changes with any write to the file (a rewrite sets its ctime, which no tool can set back)."""
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _quantize(model: Path) -> Path:
    """int8 weights in blocks of 32, multiplied in int8 with each token's inputs scaled on their own.
    Measured on MiniLM: vectors within 0.0004 cosine of float32, 1.2 times as fast. (Dynamic
    quantisation, one scale for all the tokens, was faster still, but its vectors were 0.004 cosine
    off and it lost 0.007 of hit@1 on the title test.)"""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        DefaultWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )

    config = DefaultWeightOnlyQuantConfig(block_size=32, is_symmetric=True, accuracy_level=4, bits=8)
    quantizer = MatMulNBitsQuantizer(onnx.load(str(model)), algo_config=config)
    logging.disable(logging.INFO)  # a line per matrix
    try:
        quantizer.process()
    finally:
        logging.disable(logging.NOTSET)
    quantized = model.with_name("model-int8.onnx")
    quantizer.model.save_model_to_file(str(quantized), use_external_data_format=False)
    return quantized


def _export_transformer(folder: Path, target: Path) -> None:
    """torch and transformers are needed here only, once per machine and model."""
    import inspect
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a "Loading weights" bar for a one-second step

    model = AutoModel.from_pretrained(str(folder)).eval()
    accepted = inspect.signature(model.forward).parameters
    names = [name for name in INPUTS if name in accepted]

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state

    sample = torch.ones(2, 8, dtype=torch.long)
    axes = {0: "texts", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracing warnings about shapes that the dynamic axes cover
        torch.onnx.export(
            LastHiddenState(),
            tuple(sample for _ in names),
            str(target),
            dynamo=False,
            input_names=names,
            output_names=["token_embeddings"],
            dynamic_axes={name: axes for name in [*names, "token_embeddings"]},
            opset_version=17,
        )


def _layout(folder: Path) -> tuple[str, int]:
    """The pooling ("mean" or "cls") and token limit of a sentence-transformers folder we can run."""
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling_folder = next(m["path"] for m in modules if m["type"].endswith(".Pooling"))
        pooling = json.loads((folder / pooling_folder / "config.json").read_text(encoding="utf-8"))
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, StopIteration) as error:
        raise CareerBotError(
            f"{folder} is not a sentence-transformers model folder the onnx embedder reads ({error})"
        ) from None
    modes = [mode for mode in ("mean_tokens", "cls_token") if pooling.get(f"pooling_mode_{mode}")]
    others = set(kinds) - {"Transformer", "Pooling", "Normalize"}
    if len(modes) != 1 or others or not (folder / "tokenizer.json").exists():
        raise CareerBotError(
            f"the onnx embedder runs a transformer with mean or CLS pooling and a tokenizer.json; {folder} "
            "has more (use CAREERBOT_EMBEDDER=sentence-transformers for it)"
        )
    return ("mean" if modes == ["mean_tokens"] else "cls"), int(config.get("max_seq_length", 512))


@lru_cache(maxsize=8)
def _fingerprint(folder: Path) -> str:
    """A hash of the weights, the model's configuration and the export recipe (about 0.07 s for MiniLM)."""
    digest = hashlib.sha256(RECIPE.encode())
    for path in sorted(folder.iterdir()):
        if path.suffix in {".safetensors", ".bin"} or path.name in {"config.json", "tokenizer.json"}:
            digest.update(path.name.encode())
            with path.open("rb") as file:
                digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()
