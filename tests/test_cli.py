"""The command line a newcomer meets: quick commands that don't load the model, quiet ones that do,
answers readable in a terminal and in a pipe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from careerbot.index.bert import BertQueryEncoder, supports
from careerbot.index.embedder import _bundled_minilm, _folder_dimension

# Runs one command in a fresh interpreter, then says which heavy libraries it imported.
PROBE = """
import json, sys
from click.testing import CliRunner
from careerbot.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
heavy = ["torch", "sentence_transformers", "transformers", "langchain_huggingface", "sklearn"]
print(json.dumps({"code": result.exit_code, "output": result.output,
                  "loaded": [m for m in heavy if m in sys.modules]}))
"""


def _probe(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1]) | {"stderr": done.stderr}


@pytest.fixture(scope="module")
def where(bundled_bot) -> list[str]:
    return ["--corpus", str(bundled_bot.settings.corpus), "--store", str(bundled_bot.settings.store)]


@pytest.mark.model
def test_status_and_doctor_never_load_the_model(where):
    status = _probe("status", *where)
    assert status["code"] == 0 and "model: all-MiniLM-L6-v2" in status["output"]
    assert status["loaded"] == [], status["loaded"]
    doctor = _probe("doctor", *where)
    assert doctor["code"] == 0, doctor["output"]
    assert doctor["loaded"] == []


@pytest.mark.model
def test_ask_embeds_the_question_without_sentence_transformers_and_quietly(where):
    asked = _probe("ask", "What skills does a welder need?", *where)
    assert asked["code"] == 0 and "[1] Welder" in asked["output"]
    assert "sentence_transformers" not in asked["loaded"] and "sklearn" not in asked["loaded"]
    assert "Loading weights" not in asked["stderr"] and "Loading weights" not in asked["output"]


@pytest.mark.model
def test_a_piped_answer_is_plain_text(where):
    done = subprocess.run(
        [Path(sys.executable).with_name("careerbot"), "ask", "Compare electrician and plumber", *where],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "**" not in done.stdout and "\x1b[" not in done.stdout  # no Markdown marks, no colour codes
    assert "Electrician" in done.stdout and "Sources:" in done.stdout
    assert all(line == line.rstrip() for line in done.stdout.splitlines())
    assert "Loading weights" not in done.stderr


@pytest.mark.model
def test_the_quick_query_encoder_gives_the_models_own_vectors():
    from sentence_transformers import SentenceTransformer

    folder = Path(_bundled_minilm())
    assert supports(folder)
    texts = ["plant manager", "How do I become someone who repairs elevators?", "x", "Café naïve 日本 " * 80]
    quick = np.array(BertQueryEncoder(folder).encode(texts))
    model = SentenceTransformer(str(folder), device="cpu")
    expected = model.encode(texts, normalize_embeddings=True)
    assert np.abs(quick - expected).max() < 1e-5
    assert _folder_dimension(folder) == model.get_embedding_dimension() == 384


def test_the_quick_encoder_declines_what_it_does_not_reproduce(tmp_path):
    assert not supports(tmp_path)
    (tmp_path / "modules.json").write_text('[{"type": "sentence_transformers.models.Transformer"}]')
    assert not supports(tmp_path)
