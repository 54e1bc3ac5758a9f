"""A full disk, and an index folder careerbot may not write: one sentence naming the cause and the
folder, nothing of the corpus lost, and reading (`ask`, `status`) still works on a read-only store."""

from __future__ import annotations

import errno
import hashlib
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from chromadb.errors import InternalError
from sqlalchemy.exc import OperationalError

from careerbot import CareerBot
from careerbot.errors import StoreError
from careerbot.index.store import disk_trouble
from tests.conftest import copy_shipped_corpus
from tests.filesystems import grow, read_only, small_disk
from tests.processes import CAREERBOT, assert_same_as_clean_build

PLANT_MANAGER = "How do I become a plant manager?"
STORE = Path("/srv/careerbot/vectorstore")


def _sqlalchemy(message: str) -> OperationalError:
    return OperationalError("INSERT INTO upsertion_record ...", {}, sqlite3.OperationalError(message))


FULL = {
    "the OS": OSError(errno.ENOSPC, "No space left on device"),
    "SQLite, through SQLAlchemy": _sqlalchemy("database or disk is full"),
    "chromadb's database": InternalError("error returned from database: (code: 13) database or disk is full"),
    "chromadb's compaction": InternalError(
        "Error in compaction: Failed to apply logs to the metadata segment"
    ),
}
READ_ONLY = {
    "the OS": OSError(errno.EROFS, "Read-only file system", str(STORE / "index.lock")),
    "permissions": PermissionError(errno.EACCES, "Permission denied", str(STORE / "manifest.json")),
    "chromadb's database": InternalError(
        "error returned from database: (code: 8) attempt to write a readonly database"
    ),
}


@pytest.mark.parametrize("case", FULL)
def test_a_full_disk_is_named_whatever_library_says_it(case):
    trouble = disk_trouble(FULL[case], STORE)
    assert trouble is not None and not trouble.read_only
    said = str(trouble)
    assert str(STORE) in said and "disk" in said and "full" in said
    assert said.endswith("free some space, then run `careerbot index` again")


@pytest.mark.parametrize("case", READ_ONLY)
def test_a_folder_that_cant_be_written_is_named_whatever_library_says_it(case):
    trouble = disk_trouble(READ_ONLY[case], STORE)
    assert trouble is not None and trouble.read_only
    assert str(trouble).startswith(f"careerbot may not write to {STORE} (")
    assert "it answers from the index there but can't change it" in str(trouble)


def test_other_errors_are_not_taken_for_disk_trouble():
    assert (
        disk_trouble(ValueError("Collection expecting embedding with dimension of 384, got 256"), STORE)
        is None
    )
    assert (
        disk_trouble(InternalError("Query error: Database error: no such table: collections"), STORE) is None
    )


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


# Store sizes at which indexing the shipped corpus fills the disk in each of the ways seen: SQLite
# full, Chroma's compaction failing, a search file cut short (which one depends on Chroma's files).
@pytest.mark.parametrize("size", ["200k", "1500k", "3m"])
def test_a_full_disk_while_indexing_says_so_and_the_next_run_after_freeing_space_finishes(size, tmp_path):
    corpus = copy_shipped_corpus(tmp_path / "corpus")
    before = _digests(corpus)
    store = tmp_path / "store"
    with small_disk(store, size):
        bot = CareerBot(corpus=corpus, store=store, embedder="hash")
        with pytest.raises(StoreError, match=rf"{re.escape(str(store))}.*full.*free some space") as raised:
            bot.index()
        assert not raised.value.read_only
        grow(store, "200m")  # space was freed
        CareerBot(corpus=corpus, store=store, embedder="hash").index()
        assert_same_as_clean_build(corpus, store, tmp_path / "clean", embedder="hash")
    assert _digests(corpus) == before


def _careerbot(*args: str, settings) -> subprocess.CompletedProcess:
    where = ["--corpus", str(settings.corpus), "--store", str(settings.store)]
    env = {"CAREERBOT_EMBEDDER": "hash", "CAREERBOT_MODEL_CACHE": str(settings.model_cache)}
    import os

    return subprocess.run(
        [CAREERBOT, *args, *where], capture_output=True, text=True, env={**os.environ, **env}, timeout=300
    )


def test_a_read_only_store_answers_and_says_why_it_cant_change(fake_bot, tmp_path):
    fake_bot.index()
    store = fake_bot.settings.store
    status = fake_bot.status()
    new = tmp_path / "welder.txt"
    new.write_text("# Welder\n\n## Education\nMost welders learn in a trade school.\n")
    before = _digests(store)
    with read_only(store):
        bot = CareerBot(settings=fake_bot.settings)  # as a new process would: nothing opened yet
        assert bot.status() == status
        answer = bot.ask(PLANT_MANAGER)
        assert "bachelor’s degree" in answer.text and answer.citations
        said = f"careerbot may not write to {store} ("
        for change in (bot.index, bot.doctor, lambda: bot.add([new])):
            with pytest.raises(StoreError) as raised:
                change()
            assert str(raised.value).startswith(said) and raised.value.read_only
        # The command line: status reads, index says the one sentence.
        shown = _careerbot("status", settings=fake_bot.settings)
        assert shown.returncode == 0 and f"chunks: {status.chunks}" in shown.stdout, shown.stderr
        refused = _careerbot("index", settings=fake_bot.settings)
        assert refused.returncode == 1 and refused.stderr.startswith(f"Error: {said}"), refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert _digests(store) == before
    assert not (fake_bot.settings.corpus / "welder.txt").exists()
