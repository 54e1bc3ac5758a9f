"""Shared fixtures: temp corpora and stores, fast fake-embedder bots and one real-model index.

Every test runs in a working folder of its own with settings pointing into it (the autouse fixture
below), and `tests/guard.py` fails the run if the project's own corpus/ or vectorstore/ changed.
Tests about the shipped corpus read the files git tracks there, never uploads a user added.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerbot import CareerBot
from careerbot.documents import find_documents

pytest_plugins = ["tests.guard", "pytester"]

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SEED = SHARED / "seed" / "industrial-production-manager.txt"
CORPUS = PROJECT / "corpus"


def _tracked(folder: Path) -> list[Path]:
    """The files of `folder` that git tracks (all of them outside a git checkout, e.g. an sdist)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", folder.name],
            cwd=folder.parent,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return sorted(path for path in folder.rglob("*") if path.is_file())
    return sorted(folder.parent / name for name in listed.split("\0") if name)


SHIPPED = [path for path in _tracked(CORPUS) if path.is_file()]
# The shipped profiles, as find_documents would list them from a copy of the shipped corpus.
SHIPPED_DOCUMENTS = sorted(set(find_documents(CORPUS)) & set(SHIPPED))


def copy_shipped_corpus(target: Path) -> Path:
    """A copy of the shipped corpus (tracked files only) in `target`, which is returned."""
    for path in SHIPPED:
        destination = target / path.relative_to(CORPUS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return target


@pytest.fixture(scope="session", autouse=True)
def _model_cache(tmp_path_factory) -> Iterator[Path]:
    """The onnx embedder's export of the model: made once per test run, in the run's own folder, and
    set before any fixture (a session's bots included) makes an embedder."""
    cache = tmp_path_factory.getbasetemp() / "models"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREERBOT_MODEL_CACHE", str(cache))
        yield cache


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path_factory, _model_cache):
    """No CAREERBOT_* setting of the developer's leaks into a test; the working folder and the default
    corpus, store and model export are the test run's own; no network for models."""
    for key in list(os.environ):
        if key.startswith("CAREERBOT_"):
            monkeypatch.delenv(key)
    work = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(work)
    monkeypatch.setenv("CAREERBOT_CORPUS", str(work / "corpus"))
    monkeypatch.setenv("CAREERBOT_STORE", str(work / "vectorstore"))
    monkeypatch.setenv("CAREERBOT_MODEL_CACHE", str(_model_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def seed_corpus(tmp_path) -> Path:
    """A corpus folder holding only the seed profile."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    return corpus


@pytest.fixture
def fake_bot(seed_corpus, tmp_path) -> CareerBot:
    """A bot on the seed corpus with the instant hash embedder (same seams, no model)."""
    return CareerBot(corpus=seed_corpus, store=tmp_path / "store", embedder="hash")


@pytest.fixture(scope="session")
def bundled_bot(tmp_path_factory) -> CareerBot:
    """The real model and a real Chroma over a copy of the shipped corpus, indexed once."""
    root = tmp_path_factory.mktemp("bundled")
    bot = CareerBot(corpus=copy_shipped_corpus(root / "corpus"), store=root / "store")
    report = bot.index()
    assert not report.problems, report.summary()
    return bot
