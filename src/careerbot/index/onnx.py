"""The onnx embedder: a sentence-transformers folder exported once to ONNX (int8 by default) and run
by onnxruntime with the model's own fast tokenizer, so answering never loads torch.

The export is made on this machine from the local weights (never downloaded), cached under a
name that holds a hash of the weights and of the recipe below: new weights mean a new export.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from careerbot.errors import CareerBotError

__all__ = ["OnnxEmbeddings", "export"]

# Bump when the export or quantisation below changes: every cached export is then made anew.
RECIPE = "2: torchscript, opset 17; per-channel int8 weight matmuls but the feed-forward outputs"
BATCH = 32
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OnnxEmbeddings(Embeddings):
    """Mean- or CLS-pooled, unit-length sentence vectors from an exported transformer."""

    def __init__(self, model: Path, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        pooling, max_tokens = _layout(folder)
        self.pooling = pooling
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.no_padding()  # each batch is padded to its own longest text below
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # its warnings are about graph rewrites, not about our inputs
        self.session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # Shortest first: texts of like length share a batch, so little of it is padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[]] * len(texts)
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            for i, vector in zip(batch, self._embed([texts[i] for i in batch]).tolist(), strict=True):
                vectors[i] = vector
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text])[0].tolist()

    def _embed(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        tokens = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        if self.pooling == "cls":
            pooled = tokens[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def export(folder: Path, name: str, cache: Path, *, quantize: bool) -> Path:
    """The ONNX file for the model in `folder`, exported into `cache` as `name` unless already there."""
    _layout(folder)  # a folder we can't run says so before any export
    target = cache / f"{name}-{_fingerprint(folder)[:16]}.onnx"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".export-") as work:
        exported = Path(work) / "model.onnx"
        _export_transformer(folder, exported)
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantized = Path(work) / "model-int8.onnx"
            logging.disable(logging.WARNING)  # it advises a pre-processing step that changed nothing here
            try:
                # Only the weight matmuls, per output channel, and not the feed-forward outputs, whose
                # inputs have the outliers: vectors within 0.004 cosine of float32 on average (all
                # matmuls: 0.09), retrieval as good, about twice as fast.
                quantize_dynamic(
                    exported,
                    quantized,
                    weight_type=QuantType.QInt8,
                    per_channel=True,
                    op_types_to_quantize=["MatMul"],
                    nodes_to_exclude=_feed_forward_outputs(exported),
                    extra_options={"MatMulConstBOnly": True},
                )
            finally:
                logging.disable(logging.NOTSET)
            exported = quantized
        os.replace(exported, target)  # atomic: another process sees no file or the whole one
    return target


def _feed_forward_outputs(model: Path) -> list[str]:
    """The names of the matmuls that close each feed-forward block (BERT's "layer.N/output/dense")."""
    import onnx

    nodes = onnx.load(str(model), load_external_data=False).graph.node
    return [
        n.name
        for n in nodes
        if n.op_type == "MatMul" and n.name.endswith("/output/dense/MatMul") and "/attention/" not in n.name
    ]


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
