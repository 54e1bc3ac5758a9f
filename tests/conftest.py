"""Shared fixtures: temp corpora and stores, fast fake-embedder bots and one real-model index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from careerbot import CareerBot

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SEED = SHARED / "seed" / "industrial-production-manager.txt"
CORPUS = PROJECT / "corpus"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch):
    """No CAREERBOT_* setting of the developer's leaks into a test; no network for models."""
    import os

    for key in list(os.environ):
        if key.startswith("CAREERBOT_"):
            monkeypatch.delenv(key)
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
    """The real model and a real Chroma over a copy of the bundled corpus, indexed once."""
    root = tmp_path_factory.mktemp("bundled")
    shutil.copytree(CORPUS, root / "corpus")
    bot = CareerBot(corpus=root / "corpus", store=root / "store")
    report = bot.index()
    assert not report.problems, report.summary()
    return bot
