"""Document text is data: no image, link or tag in a profile becomes active in an answer, in the
API's text or in the page (where nothing may load from a host the document names)."""

from __future__ import annotations

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from careerbot import CareerBot
from careerbot.text import inert
from careerbot.web import launch


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("See ![pixel](http://127.0.0.1:9/leak.png) now.", "See pixel now."),
        ("Read [the site](javascript:alert(1)) first.", "Read the site first."),
        ("Nested [![logo](http://x/i.png)](http://x/) here.", "Nested logo here."),
        ("Mix <img src=x onerror=alert(1)> paint <b>well</b>.", "Mix  paint well."),
        ("Go to <http://x.example/a> or <!-- hidden --> not.", "Go to http://x.example/a or  not."),
        ("[1]: javascript:alert(1)\nCited [1].", "\nCited [1]."),
        ("Pay is 5 < 6 and [brackets] (kept).", "Pay is 5 < 6 and [brackets] (kept)."),
        ("Deep [[[[[x](a)](b)](c)](d)](e)", "Deep [[x] (d)] (e)"),
    ],
)
def test_inert_keeps_the_words_and_drops_what_a_renderer_would_act_on(text, shown):
    assert inert(text) == shown


ACTIVE = re.compile(r"!\[|\]\(|<\s*[a-z/!]|javascript:|onerror", re.I)


def hostile_profile(host: str) -> str:
    return (
        "# Signal Painter\n\n"
        "## Description\n"
        f"Signal painters paint road markings ![pixel](http://{host}/leak.png) for city crews.\n"
        "They follow plans from [the site](javascript:alert(1)) and from traffic engineers.\n"
        f'Signal painters mix paint <img src="http://{host}/img.png" onerror="alert(1)"> by hand.\n\n'
        "## Pay\n"
        f"Signal painters earn hourly wages <script src='http://{host}/x.js'></script> set by the city.\n\n"
        f"[1]: http://{host}/ref\n"
    )


def test_markup_from_a_document_is_inert_in_the_answer_and_its_citations(seed_corpus, tmp_path):
    (seed_corpus / "signal-painter.md").write_text(hostile_profile("127.0.0.1:9"), encoding="utf-8")
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store", embedder="hash")
    answer = bot.ask("What does a signal painter do?").to_dict()
    assert "Signal Painter" in answer["occupations"]
    assert "paint road markings pixel for city crews" in answer["answer"]
    assert "plans from the site and from traffic engineers" in answer["answer"]
    assert not ACTIVE.search(answer["answer"]), answer["answer"]
    for citation in answer["citations"]:
        assert not ACTIVE.search(citation["text"]), citation["text"]
    assert "127.0.0.1:9" not in answer["answer"]
    pay = bot.ask("What does a signal painter earn?").to_dict()
    assert "set by the city" in pay["answer"] and not ACTIVE.search(pay["answer"]), pay["answer"]


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.mark.model
def test_the_page_fetches_nothing_from_a_host_a_document_names(seed_corpus, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.test_web_browser import CHROMIUM, CHROMIUM_ARGS, ask, last_answer

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    trap = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)  # a real server the document points at
    threading.Thread(target=trap.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{trap.server_address[1]}"
    (seed_corpus / "signal-painter.md").write_text(hostile_profile(host), encoding="utf-8")
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store", embedder="hash")
    app = launch(bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    requested: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.on("request", lambda request: requested.append(request.url))
            page.goto(app.local_url)
            ask(page, "What does a signal painter do?")
            ask(page, "What does a signal painter earn?")
            answer = last_answer(page)
            assert "set by the city" in answer.inner_text()
            group = page.locator("#chat .thought-group").last
            group.locator(".title").click()
            group.get_by_text(" · ").first.wait_for()
            page.wait_for_timeout(500)  # anything an image or script would load, it has started
            chat = page.locator("#chat")
            assert chat.locator(f"img[src*='{host}'], script[src*='{host}'], a[href*='{host}']").count() == 0
            assert chat.locator("a[href^='javascript:' i], [onerror]").count() == 0
            browser.close()
    finally:
        app.close()
        trap.shutdown()
    assert not [url for url in requested if urlsplit(url).netloc == host]
    assert not _Recorder.hits


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
