"""A BERT sentence encoder in plain torch, for short queries: it starts in a fraction of the time.

Importing sentence-transformers pulls in transformers, scikit-learn and scipy (measured: 6.6 s of a
cold `careerbot ask`, against 1.5 s for torch alone). This reads the same folder (tokenizer.json,
config.json, model.safetensors, mean pooling, normalised) and computes the same vectors (a test holds
it to sentence-transformers within float error); indexing still uses sentence-transformers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

__all__ = ["BertQueryEncoder", "supports"]


def supports(folder: Path) -> bool:
    """Whether `folder` is a model this encoder reproduces: a BERT, mean pooling, normalised."""
    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in _json(folder / "modules.json")]
        pooling = _json(folder / "1_Pooling" / "config.json")
        config = _json(folder / "config.json")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode_") and v}
    return (
        modules == ["Transformer", "Pooling", "Normalize"]
        and modes == {"pooling_mode_mean_tokens"}
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and (folder / "tokenizer.json").is_file()
        and (folder / "model.safetensors").is_file()
    )


class BertQueryEncoder:
    """`encode(texts)` -> unit vectors, as sentence-transformers gives for the same folder."""

    def __init__(self, folder: Path) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        self.torch = torch
        config = _json(folder / "config.json")
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        max_length = _json(folder / "sentence_bert_config.json").get("max_seq_length", 256)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding(pad_id=config.get("pad_token_id", 0))
        weights = load_file(str(folder / "model.safetensors"))
        # Some checkpoints prefix every name with the model's ("bert.embeddings..."), some don't.
        self.w = {name.removeprefix("bert."): tensor.float() for name, tensor in weights.items()}

    def encode(self, texts: list[str]) -> list[list[float]]:
        torch, w = self.torch, self.w
        batch = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in batch])
        mask = torch.tensor([e.attention_mask for e in batch], dtype=torch.float32)
        types = torch.tensor([e.type_ids for e in batch])
        with torch.inference_mode():
            positions = torch.arange(ids.shape[1])
            x = (
                w["embeddings.word_embeddings.weight"][ids]
                + w["embeddings.position_embeddings.weight"][positions]
                + w["embeddings.token_type_embeddings.weight"][types]
            )
            x = self._norm(x, "embeddings.LayerNorm")
            bias = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
            for n in range(self.layers):
                x = self._layer(x, bias, f"encoder.layer.{n}.")
            summed = (x * mask[:, :, None]).sum(1)
            mean = summed / mask.sum(1, keepdim=True).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=1).tolist()

    def _layer(self, x, bias, p: str):
        torch = self.torch
        batch, length, width = x.shape
        size = width // self.heads

        def heads(name: str):
            return self._linear(x, p + name).view(batch, length, self.heads, size).transpose(1, 2)

        q, k, v = heads("attention.self.query"), heads("attention.self.key"), heads("attention.self.value")
        scores = q @ k.transpose(-1, -2) / math.sqrt(size) + bias
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, width)
        attended = self._linear(context, p + "attention.output.dense")
        x = self._norm(attended + x, p + "attention.output.LayerNorm")
        inner = torch.nn.functional.gelu(self._linear(x, p + "intermediate.dense"))
        return self._norm(self._linear(inner, p + "output.dense") + x, p + "output.LayerNorm")

    def _linear(self, x, name: str):
        return self.torch.nn.functional.linear(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"])

    def _norm(self, x, name: str):
        width = x.shape[-1]
        return self.torch.nn.functional.layer_norm(
            x, (width,), self.w[f"{name}.weight"], self.w[f"{name}.bias"], self.eps
        )


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
