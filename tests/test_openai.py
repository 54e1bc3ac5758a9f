"""careerbot as an OpenAI-compatible model: the official `openai` client against `careerbot serve`
(the real model over a copy of the shipped corpus, with a login), and against the app in-process on
the seed profile for the error cases and the login's shared slowdown."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import openai
import pytest
from click.testing import CliRunner
from gradio_client import Client

from careerbot import CareerBot
from careerbot.answer import Answer, Citation
from careerbot.cli import cli
from careerbot.errors import CareerBotError
from careerbot.web import launch
from careerbot.web.chat import sources_list
from careerbot.web.openai import MAX_BODY_BYTES
from tests.processes import free_port, wait_for

PASSWORD = "s3cret"
WELDER = "How do I become a welder?"
PAY = re.compile(r"\$\d[\d,]*(\.\d\d)?")


# -- `careerbot serve`, as the author checks it -------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory, bundled_bot, _model_cache) -> Iterator[str]:
    """`careerbot serve` on a free port with a login, over a copy of the shipped corpus and its index
    (the session's, so the server starts at once); yields the base url."""
    root = tmp_path_factory.mktemp("openai")
    shutil.copytree(bundled_bot.settings.corpus, root / "corpus")
    shutil.copytree(bundled_bot.settings.store, root / "store")
    port = free_port()
    env = {
        # Module-scoped, so set up before conftest's per-test isolation: do its job here.
        **{key: value for key, value in os.environ.items() if not key.startswith("CAREERBOT_")},
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "CAREERBOT_CORPUS": str(root / "corpus"),
        "CAREERBOT_STORE": str(root / "store"),
        "CAREERBOT_MODEL_CACHE": str(_model_cache),
        "CAREERBOT_USERNAME": "ada",
        "CAREERBOT_PASSWORD": PASSWORD,
        "CAREERBOT_LOGIN_DELAY": "0.05",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    careerbot = Path(sys.executable).with_name("careerbot")
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        [str(careerbot), "serve", "--port", str(port)],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"careerbot serve exited:\n{(root / 'server.log').read_text()}")
        return f"API (model 'careerbot') at {url}/v1" in (root / "server.log").read_text()  # it says where

    try:
        wait_for(serving, 300, "careerbot serve")
        assert httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {PASSWORD}"}).is_success
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _client(url: str, key: str = PASSWORD) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=120)


@pytest.mark.model
def test_the_official_client_lists_asks_streams_a_follow_up_and_is_refused_a_wrong_key(served):
    client = _client(served)
    assert [model.id for model in client.models.list()] == ["careerbot"]
    assert client.models.retrieve("careerbot").owned_by == "careerbot"

    asked = client.chat.completions.create(
        model="careerbot",
        messages=[{"role": "system", "content": "You are helpful."}, {"role": "user", "content": WELDER}],
        temperature=0.2,  # accepted and ignored, as any other option
        max_tokens=50,
        top_p=0.9,
        user="someone",
    )
    text = asked.choices[0].message.content
    assert asked.choices[0].finish_reason == "stop" and asked.model == "careerbot"
    assert "[1]" in text and "weld" in text.lower()
    cited = asked.citations  # the extra field, passed through by the client
    assert cited[0]["id"] == 1 and cited[0]["source"] == "welder.txt" and cited[0]["text"]
    _, _, sources = text.partition("\n\n**Sources**\n\n")
    assert f"- [1] {cited[0]['occupation']} · {cited[0]['section']} · `welder.txt`" in sources
    assert len(sources.splitlines()) == len(cited)

    history = [{"role": "user", "content": WELDER}, {"role": "assistant", "content": text}]
    chunks = list(
        client.chat.completions.create(
            model="careerbot",
            messages=[*history, {"role": "user", "content": "and what do they earn?"}],
            stream=True,
        )
    )
    pieces = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    assert len(pieces) >= 2  # the answer, then its sources: streamed, not sent at once
    followed = "".join(pieces)
    assert PAY.search(followed.partition("**Sources**")[0]), followed
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {c["source"] for c in chunks[-1].citations} == {"welder.txt"}

    # The same follow-up without its history doesn't know who "they" are.
    alone = client.chat.completions.create(
        model="careerbot", messages=[{"role": "user", "content": "and what do they earn?"}]
    )
    assert "welder.txt" not in {c["source"] for c in alone.citations}

    for key in ["wrong", ""]:
        with pytest.raises(openai.AuthenticationError) as refused:
            _client(served, key or "-").models.list()
        assert refused.value.status_code == 401
        with pytest.raises(openai.AuthenticationError):
            _client(served, key or "-").chat.completions.create(
                model="careerbot", messages=[{"role": "user", "content": WELDER}]
            )


@pytest.mark.model
def test_the_stream_is_server_sent_events_ending_with_done(served):
    body = {"model": "careerbot", "messages": [{"role": "user", "content": WELDER}], "stream": True}
    headers = {"Authorization": f"Bearer {PASSWORD}"}
    with httpx.stream(
        "POST", f"{served}/v1/chat/completions", json=body, headers=headers, timeout=120
    ) as got:
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/event-stream")
        events = [line for line in got.iter_lines() if line]
    assert all(line.startswith("data: ") for line in events)
    assert events[-1] == "data: [DONE]" and events[-2].count('"finish_reason":"stop"') == 1


@pytest.mark.model
def test_malformed_requests_get_openai_shaped_errors(served):
    headers = {"Authorization": f"Bearer {PASSWORD}"}
    url = f"{served}/v1/chat/completions"
    cases = [
        (b'{"model": "careerbot", "messages": [', "not valid JSON", None),
        (b"[]", "must be a JSON object", None),
        (b'{"model": "careerbot"}', "messages: Field required", "messages"),
        (b'{"model": "careerbot", "messages": []}', "messages: List should have at least 1", "messages"),
        (
            b'{"model": "careerbot", "messages": [{"content": "hi"}]}',
            "role: Field required",
            "messages.0.role",
        ),
        (b'{"model": "careerbot", "messages": "hi"}', "messages: Input should be a valid array", "messages"),
        (
            b'{"model": "careerbot", "messages": [{"role": "assistant", "content": "hi"}]}',
            "last message must be the user's",
            "messages",
        ),
    ]
    for body, message, param in cases:
        got = httpx.post(url, content=body, headers={**headers, "Content-Type": "application/json"})
        assert got.status_code == 400, body
        error = got.json()["error"]
        assert message in error["message"] and error["type"] == "invalid_request_error", (body, error)
        assert error["param"] == param and "code" in error
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        _client(served).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": WELDER}]
        )
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        _client(served).models.retrieve("gpt-4o")
    with pytest.raises(openai.BadRequestError, match="Field required"):
        _client(served).chat.completions.create(model="careerbot", messages=[{"content": WELDER}])


@pytest.mark.model
def test_the_page_and_ask_still_work_beside_it(served):
    assert httpx.get(f"{served}/config").status_code == 401  # the page still asks for its login
    client = Client(f"{served}/", auth=("ada", PASSWORD), verbose=False)
    answer = client.predict(WELDER, [], api_name="/ask")
    assert "[1]" in answer["answer"] and answer["citations"][0]["source"] == "welder.txt"
    assert "**Sources**" not in answer["answer"]  # the sources list is the OpenAI reply's only


# -- in-process, on the seed profile --------------------------------------------------------------


@contextmanager
def _serving(bot: CareerBot) -> Iterator[str]:
    app = launch(bot, port=free_port(), prevent_thread_lock=True, quiet=True)
    try:
        yield app.local_url.rstrip("/")
    finally:
        app.close()


def test_without_a_login_any_key_will_do(fake_bot):
    with _serving(fake_bot) as url:
        reply = _client(url, "anything").chat.completions.create(
            model="careerbot",
            messages=[
                {"role": "user", "content": [{"type": "text", "text": "How do I become a plant manager?"}]}
            ],
        )
        assert "bachelor" in reply.choices[0].message.content and reply.citations


def test_a_body_too_large_is_refused_unread(fake_bot):
    with _serving(fake_bot) as url:
        huge = {"model": "careerbot", "messages": [{"role": "user", "content": "x" * MAX_BODY_BYTES}]}
        got = httpx.post(f"{url}/v1/chat/completions", json=huge, timeout=60)
        assert got.status_code == 413 and "over 4,000,000 bytes" in got.json()["error"]["message"]
        ok = {"model": "careerbot", "messages": [{"role": "user", "content": "x" * 100_000}]}
        assert httpx.post(f"{url}/v1/chat/completions", json=ok, timeout=60).status_code == 200


def test_wrong_keys_and_wrong_page_passwords_slow_each_other(fake_bot):
    """One throttle: failures on the API make the page's next login wait longer, and the other way."""
    delay = 0.1
    bot = CareerBot(settings=fake_bot.settings, username="ada", password=PASSWORD, login_delay=delay)
    with _serving(bot) as url:

        def page_login(password: str) -> tuple[int, float]:
            started = time.perf_counter()
            got = httpx.post(f"{url}/login", data={"username": "ada", "password": password}, timeout=60)
            return got.status_code, time.perf_counter() - started

        def api_key(key: str) -> tuple[int, float]:
            started = time.perf_counter()
            got = httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {key}"}, timeout=60)
            return got.status_code, time.perf_counter() - started

        assert [api_key("guess")[0] for _ in range(2)] == [401, 401]  # waits 0.1 s, then 0.2 s
        status, seconds = page_login("guess")  # the third failure in a row: 0.4 s
        assert status == 400 and seconds >= 4 * delay
        status, seconds = api_key("guess")  # the fourth: 0.8 s
        assert status == 401 and seconds >= 8 * delay
        # Keys sent at once wait their turn: 1.6 + 3.2 s.
        with ThreadPoolExecutor(2) as pool:
            started = time.perf_counter()
            assert set(pool.map(lambda key: api_key(key)[0], ["a", "b"])) == {401}
            assert time.perf_counter() - started >= 48 * delay
        assert api_key(PASSWORD)[0] == 200  # the right key is let in, and resets the slowdown
        assert page_login("guess")[1] < 5  # 0.1 s, where one more failure in a row would wait 6.4 s


def test_an_error_while_answering_is_an_openai_error(fake_bot, monkeypatch):
    def broken(question, history=None, *, situation=None):
        yield "The start of an answer. "
        raise CareerBotError("the Chroma server at http://127.0.0.1:9 is not answering")

    def crash(question, history=None, *, situation=None):
        raise RuntimeError("secret internals")

    with _serving(fake_bot) as url:
        client = _client(url)
        monkeypatch.setattr(fake_bot, "stream", broken)
        with pytest.raises(openai.APIError, match=r"Chroma server at http://127\.0\.0\.1:9 is not answering"):
            for _ in client.chat.completions.create(
                model="careerbot", messages=[{"role": "user", "content": "pay?"}], stream=True
            ):
                pass
        monkeypatch.setattr(fake_bot, "ask", crash)
        with pytest.raises(openai.InternalServerError) as failed:
            client.chat.completions.create(model="careerbot", messages=[{"role": "user", "content": "pay?"}])
        assert "server log" in str(failed.value) and "secret" not in str(failed.value)
        monkeypatch.undo()
        assert client.chat.completions.create(
            model="careerbot", messages=[{"role": "user", "content": "What does a plant manager earn?"}]
        ).citations  # and it keeps serving


def test_document_text_in_the_sources_list_is_shown_literally():
    hostile = Citation(
        1, "Welder <img src=x onerror=alert(1)>", "Pay [click](http://evil.test)", "we`lder.md", "text"
    )
    shown = sources_list(Answer("Welders weld. [1]", (hostile,)))
    assert shown == (
        r"- [1] Welder \<img src=x onerror=alert\(1\)\> · Pay \[click\]\(http://evil.test\) · `welder.md`"
    )


def test_serve_help_says_where_the_api_is():
    shown = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "OpenAI-compatible API at /v1" in shown and "/v1/chat/completions" in shown
    assert "CAREERBOT_PASSWORD" in shown
