"""The command line a newcomer meets: quick commands that don't load the model, quiet ones that do,
answers readable in a terminal and in a pipe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert status["code"] == 0 and "model: all-MiniLM-L6-v2-int8" in status["output"]
    assert status["loaded"] == [], status["loaded"]
    doctor = _probe("doctor", *where)
    assert doctor["code"] == 0, doctor["output"]
    assert doctor["loaded"] == []


@pytest.mark.model
def test_an_answer_never_loads_torch(where):
    # The onnx embedder runs the exported model (made by the index beforehand): no torch to answer.
    answer = _probe("ask", "How do I become a machinist?", *where)
    assert answer["code"] == 0 and "Machinist" in answer["output"]
    assert answer["loaded"] == [], answer["loaded"]


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
