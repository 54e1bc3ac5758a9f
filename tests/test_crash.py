"""SIGKILL `careerbot index` at each point of a run, run it again: the index equals a clean build.

Each case is a real `careerbot index` process stopped at a named point (tests/pause_at.py) and killed
with SIGKILL; then a plain `careerbot index` runs, and the store is compared with a clean build of the
same corpus: same chunk ids and texts, no duplicates, nothing missing, records == vectors, same manifest.
The hash embedder keeps the many runs fast; the last test does the same with the real model.
"""

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from careerbot import CareerBot
from careerbot.cli import cli
from tests.conftest import copy_shipped_corpus
from tests.processes import assert_same_as_clean_build, careerbot, index_state, wait_for

HASH = {"CAREERBOT_EMBEDDER": "hash"}


@pytest.fixture
def corpus(tmp_path):
    """The bundled corpus: 44 documents, 671 chunks, three batches of the indexing API."""
    return copy_shipped_corpus(tmp_path / "corpus")


def edit(corpus):
    """Remove three documents, edit two, add one: deletions for the cleanup to do."""
    for name in ["chef.txt", "carpenter.txt", "accountant.txt"]:
        (corpus / name).unlink()
    for name in ["data-scientist.txt", "dental-hygienist.txt"]:
        path = corpus / name
        path.write_text(path.read_text(encoding="utf-8").replace(" and ", " & "), encoding="utf-8")
    (corpus / "beekeeper.md").write_text(
        "# Beekeeper\n\n## Duties\nBeekeepers look after colonies of bees.\n"
    )


# (point, what is in the store before the killed run, extra arguments of the killed run)
CASES = {
    "first build, before the first write": ("first-write", "nothing", []),
    "first build, mid-embedding": ("mid-embedding", "nothing", []),
    "first build, before the manifest": ("manifest", "nothing", []),
    "update, during cleanup": ("cleanup", "built then edited", []),
    "update, before the manifest": ("manifest", "built then edited", []),
    "rebuild, records cleared": ("reset", "built", ["--rebuild"]),
    "rebuild, old vectors dropped": ("dropped", "built", ["--rebuild"]),
}


@pytest.mark.parametrize("case", CASES)
def test_killed_index_then_rerun_equals_a_clean_build(case, corpus, tmp_path):
    point, before, extra = CASES[case]
    store = tmp_path / "store"
    args = ["index", "--corpus", str(corpus), "--store", str(store)]
    if before != "nothing":
        assert not CareerBot(corpus=corpus, store=store, embedder="hash").index().problems
    if before == "built then edited":
        edit(corpus)

    killed = careerbot(tmp_path, *args, *extra, env=HASH, name="killed", pause_at=point)
    killed.wait_paused()
    killed.kill()

    rerun = careerbot(tmp_path, *args, env=HASH, name="rerun").finish()
    assert rerun.returncode == 0, rerun.stderr
    assert_same_as_clean_build(corpus, store, tmp_path / "clean", embedder="hash")


def test_doctor_finds_drift_and_repair_reembeds_only_that(corpus, tmp_path):
    store = tmp_path / "store"
    bot = CareerBot(corpus=corpus, store=store, embedder="hash")
    built = bot.index()
    ids = sorted(bot.store.vectors.get()["ids"])
    # langchain's known failure: the record says "indexed" but the vector is gone ...
    bot.store.vectors.delete(ids[:5])
    # ... and a vector left behind that no record knows (a crash between the two deletes).
    orphan = bot.store.vectors.get(ids=ids[5:6], include=["documents", "metadatas", "embeddings"])
    bot.store.records.delete_keys(ids[5:6])
    bot.store.vectors.delete(ids[5:6])
    bot.store.vectors._collection.add(
        ids=["orphan"],
        documents=orphan["documents"],
        metadatas=[{**orphan["metadatas"][0], "position": 999}],
        embeddings=orphan["embeddings"],
    )

    runner = CliRunner()
    options = ["--corpus", str(corpus), "--store", str(store)]
    found = runner.invoke(cli, ["doctor", *options], env=HASH)
    assert found.exit_code == 1
    assert "5 records whose vector is missing" in found.output
    assert "1 vectors that no record knows" in found.output
    assert "doctor --repair" in found.output

    repaired = runner.invoke(cli, ["doctor", "--repair", *options], env=HASH)
    assert repaired.exit_code == 0, repaired.output
    # Only what was wrong is embedded again: the five lost vectors and the orphan's own chunk.
    assert f"(added 6, updated 0, skipped {built.chunks - 6}, deleted 0)" in repaired.output
    assert "repaired 6 records or vectors" in repaired.output
    assert repaired.output.rstrip().endswith("healthy")
    assert_same_as_clean_build(corpus, store, tmp_path / "clean", embedder="hash")


def test_doctor_names_a_model_that_does_not_match(corpus, tmp_path):
    store = tmp_path / "store"
    CareerBot(corpus=corpus, store=store, embedder="hash").index()
    manifest = store / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"hash-256"', '"all-MiniLM-L6-v2"'))
    checkup = CareerBot(corpus=corpus, store=store, embedder="hash").doctor()
    assert not checkup.healthy
    assert "built with all-MiniLM-L6-v2 (256 dims), configured hash-256" in checkup.summary()
    assert "run `careerbot index` to rebuild it" in checkup.summary()


@pytest.mark.model
def test_real_model_rebuild_killed_while_embedding_then_rerun(bundled_bot, tmp_path):
    """The real model, killed at a moment chosen by watching its progress: a rebuild of the bundled
    index, once some of the new records are in. The re-run (no --rebuild) keeps what was finished."""
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    shutil.copytree(bundled_bot.settings.corpus, corpus)
    shutil.copytree(bundled_bot.settings.store, store)
    total = bundled_bot.status().chunks

    def records() -> int:
        try:
            with sqlite3.connect(f"file:{store / 'records.sqlite'}?mode=ro", uri=True, timeout=1) as db:
                return db.execute("select count(*) from upsertion_record").fetchone()[0]
        except sqlite3.Error:  # busy: try again
            return -1

    args = ["index", "--corpus", str(corpus), "--store", str(store)]
    killed = careerbot(tmp_path, *args, "--rebuild", env={}, name="killed")
    # The rebuild clears the records, then writes them again batch by batch.
    kept = wait_for(lambda: 0 < records() < total and records(), 600, "the rebuild's first batch")
    killed.kill()

    rerun = careerbot(tmp_path, *args, env={}, name="rerun").finish()
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped {kept}," in rerun.stdout  # what the killed run finished is not embedded again
    got = index_state(corpus, store)
    clean = index_state(bundled_bot.settings.corpus, bundled_bot.settings.store)
    assert got["ids"] == clean["ids"] == got["records"]
    assert got["texts"] == clean["texts"]
    assert got["checkup"].healthy, got["checkup"].summary()
