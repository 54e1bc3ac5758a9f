"""Several processes, one index: writers take turns and say whom they wait for; readers never wait;
a running app answers from a re-index another process finished.

Real `careerbot` processes throughout; a writer is held inside its run by tests/pause_at.py.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from careerbot import CareerBot
from careerbot.index import EMBEDDERS, Embedder, HashEmbeddings
from tests.processes import CAREERBOT, assert_same_as_clean_build, careerbot, wait_for
from tests.test_index import LOGISTICIAN

HASH = {"CAREERBOT_EMBEDDER": "hash"}
PLANT_MANAGER = "How do I become a plant manager?"


@pytest.fixture
def built(seed_corpus, tmp_path):
    """The seed indexed, then edited: the next run has something to write."""
    store = tmp_path / "store"
    CareerBot(corpus=seed_corpus, store=store, embedder="hash").index()
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    return seed_corpus, store


def options(corpus, store):
    return ["--corpus", str(corpus), "--store", str(store)]


def test_a_second_writer_waits_for_the_first_and_says_for_whom(built, tmp_path):
    corpus, store = built
    first = careerbot(
        tmp_path, "index", *options(corpus, store), env=HASH, name="first", pause_at="first-write"
    )
    first.wait_paused()
    second = careerbot(tmp_path, "index", *options(corpus, store), env=HASH, name="second")
    waiting = f"index is being updated by process {first.pid}, waiting..."
    wait_for(lambda: waiting in second.stderr(), 120, "the waiting message")
    assert second.process.poll() is None  # still waiting, not failed, not writing

    first.kill()  # the kernel frees the lock of a killed holder
    done = second.finish()
    assert done.returncode == 0, done.stderr
    assert "waited" in done.stdout and "for another process to finish updating the index" in done.stdout
    assert_same_as_clean_build(corpus, store, tmp_path / "clean", embedder="hash")


def test_a_writer_that_waits_too_long_gets_a_clear_error_and_changes_nothing(built, tmp_path):
    corpus, store = built
    holder = careerbot(
        tmp_path, "index", *options(corpus, store), env=HASH, name="holder", pause_at="first-write"
    )
    holder.wait_paused()
    impatient = {**HASH, "CAREERBOT_LOCK_TIMEOUT": "1"}
    before = CareerBot(corpus=corpus, store=store, embedder="hash").status()

    index = careerbot(tmp_path, "index", *options(corpus, store), env=impatient, name="index").finish()
    assert index.returncode == 1
    assert (
        f"Error: the index in {store} is still being updated by process {holder.pid} after 1 s"
        in index.stderr
    )
    assert "CAREERBOT_LOCK_TIMEOUT" in index.stderr and "Traceback" not in index.stderr

    welder = tmp_path / "welder.md"
    welder.write_text("# Welder\n\n## Duties\nWelders join metal parts.\n")
    add = careerbot(tmp_path, "add", str(welder), *options(corpus, store), env=impatient, name="add").finish()
    assert add.returncode == 1 and "still being updated" in add.stderr
    assert not (corpus / "welder.md").exists()  # nothing half done

    holder.kill()
    after = CareerBot(corpus=corpus, store=store, embedder="hash")
    assert after.status() == before
    assert after.doctor().healthy


def test_readers_answer_from_the_last_complete_index_while_a_write_is_held(built, tmp_path):
    corpus, store = built
    holder = careerbot(
        tmp_path, "index", *options(corpus, store), env=HASH, name="holder", pause_at="first-write"
    )
    holder.wait_paused()
    # The default lock timeout is 10 minutes: a reader that took the lock would time this out.
    ask = subprocess.run(
        [str(CAREERBOT), "ask", "--json", PLANT_MANAGER, *options(corpus, store)],
        env={**os.environ, **HASH},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert {c["source"] for c in answer["citations"]} == {"industrial-production-manager.txt"}
    status = subprocess.run(
        [str(CAREERBOT), "status", *options(corpus, store)],
        env={**os.environ, **HASH},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "documents: 1" in status.stdout  # the logistician is not in yet
    holder.kill()


class Chat:
    """A long-running `careerbot chat` process: questions in on stdin, answers read from its output."""

    def __init__(self, folder: Path, corpus: Path, store: Path) -> None:
        self.log = folder / "chat.out"
        self.process = subprocess.Popen(
            [str(CAREERBOT), "chat", *options(corpus, store)],
            stdin=subprocess.PIPE,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
            env=dict(os.environ),
        )
        self.turns = 0

    def ask(self, question: str) -> str:
        self.process.stdin.write(question + "\n")
        self.process.stdin.flush()
        self.turns += 1

        def answered() -> bool:  # the answer is complete when the next prompt is printed
            if self.process.poll() is not None:
                raise AssertionError(f"careerbot chat ended:\n{self.log.read_text()}")
            return self.log.read_text().count("you> ") > self.turns

        wait_for(answered, 300, f"the answer to {question!r}")
        return self.log.read_text().split("you> ")[self.turns]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.mark.model
def test_a_running_chat_answers_from_a_reindex_by_another_process(seed_corpus, tmp_path):
    store = tmp_path / "store"
    CareerBot(corpus=seed_corpus, store=store).index()
    chat = Chat(tmp_path, seed_corpus, store)
    try:
        assert "I have no profile for “logistician”" in chat.ask("What does a logistician do?")
        assert "bachelor’s degree" in chat.ask(PLANT_MANAGER)

        # Another process adds a profile and edits one, then re-indexes, while the chat runs.
        (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
        seed = seed_corpus / "industrial-production-manager.txt"
        seed.write_text(seed.read_text(encoding="utf-8").replace("bachelor’s degree", "master’s degree"))
        reindex = subprocess.run(
            [sys.executable, "-m", "careerbot", "index", *options(seed_corpus, store)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert reindex.returncode == 0, reindex.stderr

        plant_manager = chat.ask(PLANT_MANAGER)
        assert "master’s degree" in plant_manager and "bachelor’s degree" not in plant_manager
        logistician = chat.ask("What does a logistician do?")
        assert "logistician.txt" in logistician and "supply chain" in logistician
    finally:
        chat.close()


class HeldEmbeddings(HashEmbeddings):
    """The hash embedder, whose document embedding waits until the test lets it go on."""

    def __init__(self):
        super().__init__(256)
        self.inside = threading.Event()
        self.go_on = threading.Event()

    def embed_documents(self, texts):
        self.inside.set()
        assert self.go_on.wait(timeout=300)
        return super().embed_documents(texts)


def test_questions_are_answered_while_the_same_process_indexes_an_upload(seed_corpus, tmp_path, monkeypatch):
    """The web app's case: one thread adds a document, the others keep answering meanwhile."""
    held = HeldEmbeddings()
    monkeypatch.setitem(EMBEDDERS, "held", lambda settings: Embedder("hash-256", 256, held))
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store", embedder="held")
    held.go_on.set()
    bot.index()
    held.go_on.clear()
    upload = tmp_path / "logistician.txt"
    upload.write_text(LOGISTICIAN, encoding="utf-8")
    adding = threading.Thread(target=bot.add, args=([upload],))
    adding.start()
    try:
        assert held.inside.wait(timeout=120)
        answers = []
        asking = threading.Thread(target=lambda: answers.append((bot.ask(PLANT_MANAGER), bot.status())))
        asking.start()
        asking.join(timeout=60)
        assert answers, "the question waited for the upload's indexing"
        assert answers[0][0].occupations == ("Industrial Production Manager",)
        assert answers[0][1].documents == 1  # the last complete index
    finally:
        held.go_on.set()
        adding.join(timeout=120)
    assert "Logistician" in bot.occupations()
