"""Questions built to stall every user: the work of reading one is bounded, whatever it holds.

A question of repeated initials cut at 2,000 characters ("RN LPN HVAC ...") had 835 texts embedded
(836,000 characters: a title of almost the whole question per name) and took 90-340 s; one long
message in the history was read uncut; a lone surrogate in the history crashed the tokenizer. Work
is counted at the embedder seam; the real model's CPU time is compared with an ordinary question's.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from langchain_core.embeddings import Embeddings

from careerbot import CareerBot
from careerbot.index.embedder import CachedQueries
from careerbot.text import MAX_QUESTION_CHARS, clean_question
from tests.conftest import copy_shipped_corpus
from tests.processes import free_port


class Counting(Embeddings):
    """The embedder seam, counting the texts it embeds and their characters."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.texts = self.chars = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        self.chars += sum(map(len, texts))
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _stuffed(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


# Each repeats to any length; what each stuffs the question with.
HOSTILE = {
    "initials": "RN LPN HVAC OTR EMT CPA ",  # a name each, and each a title's first word
    "initials between commas": "RN, LPN, HVAC, OTR, EMT, CPA, ",  # a clause each
    "names": "welder, electrician, plumber, nurse, ",
    "job phrases": "steel mill operator. paper plant worker. night shift crew lead. river barge hand. ",
    "words joined by or": "zorp worker or blick hand or ",  # the parts of one phrase
    "topic words": "jobs for people who like animals plants rocks maps trains boats stars music art ",
}
# At most this many texts are embedded for one question (a few long ones: the question, masked, as
# clauses; the rest are names and phrases of a few words). Before, the initials question had 835.
MOST_TEXTS = 60


@pytest.fixture(scope="module")
def shipped_bot(tmp_path_factory) -> CareerBot:
    """The shipped corpus (its initials: RN, LPN, HVAC ...) indexed with the hash embedder, counted."""
    root = tmp_path_factory.mktemp("hostile")
    bot = CareerBot(corpus=copy_shipped_corpus(root / "corpus"), store=root / "store", embedder="hash")
    bot.index()
    # Counted behind the cache every real embedder has: a text said twice is embedded once.
    bot.embedder = replace(bot.embedder, embeddings=CachedQueries(Counting(bot.embedder.embeddings)))
    bot.ask("How do I become a plant manager?")  # the language table's examples are embedded once
    return bot


def _work(bot: CareerBot, question: str, history: list | None = None) -> tuple[int, int]:
    cached = bot.embedder.embeddings
    cached.forget()  # nothing from an earlier question's cache
    counting = cached.inner
    counting.texts = counting.chars = 0
    answer = bot.ask(question, history=history)
    assert answer.text
    return counting.texts, counting.chars


@pytest.mark.parametrize("case", HOSTILE)
def test_the_texts_embedded_for_a_question_stop_growing_with_it(case, shipped_bot):
    for length in (MAX_QUESTION_CHARS, 20_000):  # longer still, it is cut
        texts, chars = _work(shipped_bot, _stuffed(HOSTILE[case], length))
        assert texts <= MOST_TEXTS and chars <= 12 * MAX_QUESTION_CHARS, (length, texts, chars)


@pytest.mark.parametrize("case", HOSTILE)
def test_a_history_message_is_cut_like_a_question(case, shipped_bot):
    told = [
        {"role": "user", "content": _stuffed(HOSTILE[case], 20_000)},
        {"role": "assistant", "content": "..."},
    ]
    cut = [{"role": "user", "content": clean_question(told[0]["content"])}, told[1]]  # as it is read
    _work(shipped_bot, "and the pay?", cut)  # fills the finder's own caches (of head nouns, ...)
    assert _work(shipped_bot, "and the pay?", told) == _work(shipped_bot, "and the pay?", cut)


def test_a_long_history_is_read_up_to_twice_a_questions_length(shipped_bot):
    """Eight stuffed messages read again at each question would be eight questions' work."""
    one = _stuffed(HOSTILE["initials"], MAX_QUESTION_CHARS)
    texts, _ = _work(shipped_bot, "and the pay?", [{"role": "user", "content": one}])
    many, _ = _work(shipped_bot, "and the pay?", [{"role": "user", "content": one}] * 8)
    assert many <= 2 * texts


def test_what_was_told_early_in_a_real_conversation_is_still_read(shipped_bot):
    history = [
        {"role": "user", "content": "I faint at the sight of blood"},
        *[{"role": "user", "content": f"what does a welder earn in year {n}?"} for n in range(6)],
    ]
    answer = shipped_bot.ask("what could I do?", history=history)
    assert "no blood" in answer.situation


# -- the real model ------------------------------------------------------------------------------------
SURROGATE = "How do I become a plant manager? \ud800"


@pytest.mark.model
def test_a_lone_surrogate_in_the_question_or_the_history_is_read_as_a_space(bundled_bot):
    assert "bachelor’s degree" in bundled_bot.ask(SURROGATE).text
    history = [{"role": "user", "content": SURROGATE}, {"role": "assistant", "content": "\udfff"}]
    answer = bundled_bot.ask("and the pay?", history=history)
    assert answer.occupations == ("Industrial Production Manager",) and answer.citations


def _cpu(bot: CareerBot, question: str, history: list | None = None) -> float:
    bot.embedder.embeddings.forget()  # nothing from an earlier question's cache
    started = time.process_time()
    bot.ask(question, history=history)
    return time.process_time() - started


@pytest.mark.model
def test_the_initials_question_and_a_20_kb_history_message_cost_about_an_ordinary_question(bundled_bot):
    """Measured here (CPU, 2 loaded cores): an ordinary 2,000-character question 0.46 s, the initials
    question 1.2 s (before: 90-340 s), the 20 KB history message 1.1 s."""
    ordinary = _cpu(
        bundled_bot, _stuffed("I like working with people and I hate blood, ", MAX_QUESTION_CHARS)
    )
    initials = _stuffed(HOSTILE["initials"], MAX_QUESTION_CHARS)
    assert _cpu(bundled_bot, initials) < 10 * ordinary
    history = [{"role": "user", "content": _stuffed(HOSTILE["initials"], 20_000)}]
    assert _cpu(bundled_bot, "and the pay?", history) < 10 * ordinary


@pytest.mark.model
def test_four_stuffed_questions_over_http_leave_an_ordinary_one_answered(bundled_bot):
    """Before, four such requests took every answering slot and an ordinary question waited 590 s."""
    from gradio_client import Client

    from careerbot.web import launch

    app = launch(bundled_bot, port=free_port(), prevent_thread_lock=True, quiet=True)
    try:
        client = Client(app.local_url, verbose=False)
        initials = _stuffed(HOSTILE["initials"], 20_000)
        with ThreadPoolExecutor(5) as pool:
            started = time.monotonic()
            stuffed = [pool.submit(client.predict, initials, [], api_name="/ask") for _ in range(4)]
            ordinary = pool.submit(client.predict, "What does a welder earn?", [], api_name="/ask")
            assert "$" in ordinary.result(timeout=300)["answer"]
            assert all(future.result(timeout=300)["answer"] for future in stuffed)
            took = time.monotonic() - started
        assert took < 120, took  # generous: a few seconds on a quiet machine
    finally:
        app.close()
