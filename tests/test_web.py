"""The web layer without a browser: upload checks, per-file results, the chat's messages, the login,
and the named endpoints over a real HTTP server (hash embedder: same seams, no model)."""

import itertools
import socket
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import gradio as gr
import httpx
import pytest
from gradio_client import Client, handle_file

from careerbot import CareerBot, CareerBotError
from careerbot.web import launch
from careerbot.web.app import _auth, _removed, chat_reply
from careerbot.web.chat import plain_history, plain_situation, reply_messages, sources_markdown, stream_answer
from careerbot.web.documents import add_uploads, check_content
from tests.processes import wait_for

BEEKEEPER = """# Beekeeper

## Description
Beekeepers tend colonies of honey bees to produce honey, beeswax and pollination services.

## Education
Most beekeepers learn on the job through an apprenticeship with an experienced beekeeper.
"""


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- checking uploads by content --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("beekeeper.md", BEEKEEPER, None),
        ("beekeeper.exe", BEEKEEPER, "not a document type I read"),
        ("noextension", BEEKEEPER, "without an extension"),
        ("empty.txt", "", "empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin.md", "# Caf\xe9\n\nA caf\xe9 owner.".encode("latin-1"), "not UTF-8"),
    ],
)
def test_check_content(tmp_path, name, content, reason):
    found = check_content(write(tmp_path / name, content), max_bytes=10_000)
    assert found is None if reason is None else reason in found


def test_check_content_refuses_a_file_over_the_size_limit(tmp_path):
    reason = check_content(write(tmp_path / "big.txt", "word " * 1000), max_bytes=1_000)
    assert "5,000 bytes, over the 1,000-byte limit" in reason


def test_check_content_knows_pdf_and_docx_by_their_bytes(tmp_path, monkeypatch):
    # Whatever the corpus reader supports at run time is accepted; here it is told it reads both.
    monkeypatch.setattr("careerbot.web.documents.DOCUMENT_SUFFIXES", frozenset({".pdf", ".docx", ".txt"}))
    assert check_content(write(tmp_path / "real.pdf", b"%PDF-1.7\n%\xe2\xe3"), max_bytes=10_000) is None
    assert "PDF" in check_content(write(tmp_path / "fake.pdf", BEEKEEPER), max_bytes=10_000)
    with zipfile.ZipFile(tmp_path / "real.docx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert check_content(tmp_path / "real.docx", max_bytes=10_000) is None
    assert "Word document" in check_content(write(tmp_path / "fake.docx", BEEKEEPER), max_bytes=10_000)
    with zipfile.ZipFile(tmp_path / "other.docx", "w") as archive:
        archive.writestr("hello.txt", "not word")
    assert "Word document" in check_content(tmp_path / "other.docx", max_bytes=10_000)


# -- adding uploads -----------------------------------------------------------------------------


def test_upload_is_saved_indexed_and_reported_per_file(fake_bot, seed_corpus, tmp_path):
    uploads = tmp_path / "uploads"
    good = write(uploads / "beekeeper.md", BEEKEEPER)
    binary = write(uploads / "notes.txt", b"\x00\x01\x02 binary")
    titled_only = write(uploads / "title-only.md", "# Astronaut\n")
    results, report = add_uploads(fake_bot, [good, binary, titled_only])

    by_file = {r.file: r for r in results}
    assert [r.file for r in results] == ["beekeeper.md", "notes.txt", "title-only.md"]
    assert by_file["beekeeper.md"].result == "added"
    assert (
        "Beekeeper" in by_file["beekeeper.md"].detail
        and "saved as beekeeper.md" in by_file["beekeeper.md"].detail
    )
    assert (by_file["notes.txt"].result, by_file["title-only.md"].result) == ("refused", "refused")
    assert "binary" in by_file["notes.txt"].detail and "no text" in by_file["title-only.md"].detail
    # Only the good file reached the corpus, and it is in the index.
    assert sorted(p.name for p in seed_corpus.iterdir()) == [
        "beekeeper.md",
        "industrial-production-manager.txt",
    ]
    assert "Beekeeper" in fake_bot.occupations()
    assert report.documents == 2


def test_a_different_file_of_the_same_name_is_kept_until_replace_is_ticked(fake_bot, seed_corpus, tmp_path):
    add_uploads(fake_bot, [write(tmp_path / "first" / "beekeeper.md", BEEKEEPER)])
    edited = write(tmp_path / "second" / "beekeeper.md", BEEKEEPER.replace("honey bees", "bumblebees"))

    [refused], _ = add_uploads(fake_bot, [edited])
    assert refused.result == "refused"
    assert "Replace files with the same name" in refused.detail and "--force" not in refused.detail
    assert "honey bees" in (seed_corpus / "beekeeper.md").read_text(encoding="utf-8")

    [same], _ = add_uploads(fake_bot, [write(tmp_path / "third" / "beekeeper.md", BEEKEEPER)])
    assert same.result == "unchanged"

    [replaced], _ = add_uploads(fake_bot, [edited], force=True)
    assert replaced.result == "replaced"
    assert "bumblebees" in (seed_corpus / "beekeeper.md").read_text(encoding="utf-8")


def test_upload_names_cannot_leave_the_corpus(fake_bot, seed_corpus, tmp_path):
    sneaky = write(tmp_path / "uploads" / "..\\..\\Bee keeper;rm -rf.md", BEEKEEPER)
    [result], _ = add_uploads(fake_bot, [sneaky])
    assert result.result == "added"
    saved = {p.name for p in seed_corpus.iterdir()} - {"industrial-production-manager.txt"}
    assert saved == {"Bee-keeper-rm--rf.md"}
    assert not any(p.name.endswith(".md") for p in tmp_path.iterdir())


def test_uploads_that_would_share_a_name_are_a_problem_for_the_second(fake_bot, seed_corpus, tmp_path):
    first = write(tmp_path / "a" / "dup.md", BEEKEEPER)
    second = write(tmp_path / "b" / "dup.md", BEEKEEPER.replace("Beekeeper", "Bee Inspector"))
    third = write(tmp_path / "c" / "dup!.md", BEEKEEPER.replace("Beekeeper", "Hive Builder"))
    results, report = add_uploads(fake_bot, [first, second, third])
    assert [(r.file, r.result, r.saved) for r in results] == [
        ("dup.md", "added", "dup.md"),
        ("dup.md", "refused", None),
        ("dup!.md", "refused", None),
    ]
    assert results[1].detail.startswith("it would be saved as dup.md, like dup.md uploaded with it")
    assert "saved as dup.md, like dup.md" in results[2].detail
    assert (seed_corpus / "dup.md").read_bytes() == first.read_bytes()  # the first kept, not overwritten
    assert fake_bot.occupations() == ["Beekeeper", "Industrial Production Manager"]
    assert not report.problems


def test_a_file_the_index_skips_is_reported_as_such(fake_bot, seed_corpus, tmp_path):
    [readme], _ = add_uploads(fake_bot, [write(tmp_path / "README.md", BEEKEEPER)])
    assert (readme.result, readme.detail) == ("not indexed", "saved as README.md, which the index skips")


def test_progress_is_reported_while_adding(fake_bot, tmp_path):
    steps = []
    add_uploads(
        fake_bot, [write(tmp_path / "beekeeper.md", BEEKEEPER)], progress=lambda f, m: steps.append((f, m))
    )
    assert steps[0] == (0.0, "checking beekeeper.md")
    assert any("indexing" in message for _, message in steps)
    assert steps[-1] == (1.0, "done")


# -- the chat -----------------------------------------------------------------------------------


def test_answer_grows_then_brings_its_sources(fake_bot):
    answers = list(stream_answer(fake_bot, "How do I become a plant manager?", []))
    final = fake_bot.ask("How do I become a plant manager?")
    assert answers[-1] == final and final.citations
    assert len(answers) > 2
    for earlier, later in itertools.pairwise(answers):
        assert later.text.startswith(earlier.text) and len(later.text) > len(earlier.text)
    assert all(not partial.citations for partial in answers[:-1])

    text, sources = reply_messages(final)
    assert text.content == final.text and not text.metadata
    assert sources.metadata["title"].endswith("Industrial Production Manager")
    assert sources.metadata["status"] == "done"  # collapsed until opened
    for citation in final.citations:
        assert f"[{citation.id}]" in final.text
        assert f"**[{citation.id}] Industrial Production Manager · " in sources.content
        assert f"`{citation.source}`" in sources.content


def test_document_text_in_sources_is_shown_literally(fake_bot):
    answer = fake_bot.ask("How do I become a plant manager?")
    citation = answer.citations[0]
    hostile = type(citation)(
        1,
        citation.occupation,
        citation.section,
        citation.source,
        "![x](http://tracker.example/p.png) <b>hi</b>",
    )
    markdown = sources_markdown(type(answer)(answer.text, (hostile,)))
    assert "!\\[x\\]\\(http://tracker.example/p.png\\) \\<b\\>hi\\</b\\>" in markdown


def test_a_reply_without_sources_has_no_sources_block(fake_bot):
    [only] = reply_messages(fake_bot.ask("   "))
    assert "Please ask" in only.content


def test_plain_history_keeps_the_turns_and_drops_the_sources():
    history = [
        {"role": "user", "content": [{"type": "text", "text": "How do I become a plant manager?"}]},
        {"role": "assistant", "content": "Get a bachelor's degree. [1]"},
        {"role": "assistant", "content": "**[1]** ...", "metadata": {"title": "1 source: X"}},
    ]
    assert plain_history(history) == [
        {"role": "user", "content": "How do I become a plant manager?"},
        {"role": "assistant", "content": "Get a bachelor's degree. [1]"},
    ]


# -- the situation chips ---------------------------------------------------------------------------

SITUATION_QUESTION = "I faint at the sight of blood and I don't want to go to college, what could I do?"


def _sent_situations(bot, monkeypatch) -> list:
    """The `situation` of each question the bot is asked from now on."""
    sent, stream = [], bot.stream

    def spy(question, history=None, *, situation=None):
        sent.append(situation)
        return stream(question, history, situation=situation)

    monkeypatch.setattr(bot, "stream", spy)
    return sent


def test_the_chat_shows_the_situation_as_chips_and_sends_back_only_those_kept(fake_bot, monkeypatch):
    sent = _sent_situations(fake_bot, monkeypatch)
    # The chips come with the whole answer only: a growing one leaves them as they are.
    *growing, _ = chat_reply(fake_bot, "How do I become a plant manager?", [], None)
    assert growing and all(outputs[3:] == (gr.skip(), gr.skip()) for outputs in growing)

    *_, (messages, _, _, kept, chips) = chat_reply(fake_bot, SITUATION_QUESTION, [], None)
    assert sent == [None, None]  # a new conversation: the history (none) tells the situation
    assert kept == ["without a degree", "no blood"]
    assert chips["value"] == chips["choices"] == kept and chips["visible"]

    # "without a degree" removed with its x: kept is what is left, and nothing else is offered.
    kept, chips = _removed(["no blood"])
    assert kept == ["no blood"] and chips["choices"] == ["no blood"] and chips["visible"]
    history = [  # as the page sends it: content parts, the sources block, the "Did you mean" options
        {"role": "user", "content": [{"type": "text", "text": SITUATION_QUESTION}]},
        *[{**m.__dict__, "content": [{"type": "text", "text": m.content}]} for m in messages],
    ]
    assert [turn["role"] for turn in plain_history(history)] == ["user", "assistant"]
    *_, (_, _, _, kept_after, chips) = chat_reply(fake_bot, "What could I do from home?", history, kept)
    assert sent[-1] == ["no blood"]
    assert kept_after == ["from home", "no blood"] and "without a degree" not in chips["value"]

    # Every chip removed: the row hides, and an empty situation is sent (not "let the history tell").
    kept, chips = _removed([])
    assert kept == [] and not chips["visible"]
    *_, (_, _, _, kept_after, chips) = chat_reply(fake_bot, "Hi there", history, kept)
    assert sent[-1] == [] and kept_after == [] and not chips["visible"]

    # Left out (a new tab, or a question undone): the history tells it again.
    *_, (_, _, _, kept_after, _) = chat_reply(fake_bot, "What could I do from home?", history, None)
    assert kept_after == ["without a degree", "from home", "no blood"]


def test_a_failed_answer_leaves_the_chips_as_they_are(fake_bot, monkeypatch):
    def crash(question, history=None, *, situation=None):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(fake_bot, "stream", crash)
    [(messages, *rest)] = chat_reply(fake_bot, SITUATION_QUESTION, [], ["no blood"])
    assert "Sorry, something went wrong" in messages[0].content
    assert rest == [gr.skip()] * 4


@pytest.mark.parametrize(
    ("situation", "wrong"),
    [("no blood", "not str 'no blood'"), ([1, 2], "not list [1, 2]"), ({"a": 1}, "not dict")],
)
def test_plain_situation_wants_a_list_of_words(situation, wrong):
    with pytest.raises(ValueError, match="situation must be a list of words") as raised:
        plain_situation(situation)
    assert wrong in str(raised.value)
    assert plain_situation(None) is None and plain_situation(("no blood",)) == ["no blood"]


# -- login ------------------------------------------------------------------------------------


def test_login_needs_both_username_and_password(fake_bot):
    assert _auth(fake_bot.settings) is None
    both = CareerBot(settings=fake_bot.settings, username="ada", password="s3cret")
    assert _auth(both.settings) == ("ada", "s3cret")
    with pytest.raises(CareerBotError, match="both CAREERBOT_USERNAME and CAREERBOT_PASSWORD"):
        _auth(CareerBot(settings=fake_bot.settings, password="s3cret").settings)


def test_password_from_the_environment_protects_the_page_and_the_api(fake_bot, monkeypatch):
    monkeypatch.setenv("CAREERBOT_USERNAME", "ada")
    monkeypatch.setenv("CAREERBOT_PASSWORD", "s3cret")
    bot = CareerBot(corpus=fake_bot.settings.corpus, store=fake_bot.settings.store, embedder="hash")
    app = launch(bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    url = app.local_url
    try:
        assert httpx.get(f"{url}config").status_code == 401
        with pytest.raises(Exception, match=r"(?i)auth|login|401"):
            Client(url, verbose=False)
        answer = Client(url, auth=("ada", "s3cret"), verbose=False).predict(
            "How do I become a plant manager?", api_name="/ask"
        )
        assert answer["citations"]
    finally:
        app.close()


# -- the named endpoints over HTTP (the model-backed ones are in test_web_browser.py) -------------


def test_named_endpoints_over_http(fake_bot, seed_corpus, tmp_path):
    app = launch(fake_bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    url = app.local_url
    try:
        client = Client(url, verbose=False)
        assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {
            "/ask",
            "/status",
            "/add",
        }
        status = client.predict(api_name="/status")
        assert status["documents"] == 1 and status["occupations"] == ["Industrial Production Manager"]
        assert "store" not in status and "corpus" not in status  # no server paths over HTTP

        added = client.predict(
            [handle_file(write(tmp_path / "up" / "beekeeper.md", BEEKEEPER))], False, api_name="/add"
        )
        assert added["files"] == [
            {
                "file": "beekeeper.md",
                "result": "added",
                "detail": "Beekeeper, 2 chunks (saved as beekeeper.md)",
                "saved": "beekeeper.md",
            }
        ]
        assert client.predict(api_name="/status")["documents"] == 2

        answer = client.predict("How do beekeepers learn the job?", [], api_name="/ask")
        assert any(c["source"] == "beekeeper.md" for c in answer["citations"])
    finally:
        app.close()


def test_an_existing_index_is_served_at_once_and_brought_up_to_date_after(fake_bot, seed_corpus, monkeypatch):
    fake_bot.index()
    write(seed_corpus / "beekeeper.md", BEEKEEPER)  # added while the app was down
    catching_up, go_on = threading.Event(), threading.Event()
    index = fake_bot.index

    def slow_index(**options):
        catching_up.set()
        go_on.wait(60)
        return index(**options)

    monkeypatch.setattr(fake_bot, "index", slow_index)
    app = launch(fake_bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    try:
        assert catching_up.wait(60)
        # Served, and answering from the index as it was, while the new profile is being indexed.
        client = Client(app.local_url, verbose=False)
        assert client.predict(api_name="/status")["occupations"] == ["Industrial Production Manager"]
        assert client.predict("How do I become a plant manager?", [], api_name="/ask")["citations"]
        go_on.set()
        wait_for(lambda: "Beekeeper" in client.predict(api_name="/status")["occupations"], 60, "the catch-up")
    finally:
        go_on.set()
        app.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_errors_are_friendly_and_the_app_keeps_serving(fake_bot, monkeypatch):
    app = launch(fake_bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    client = Client(app.local_url, verbose=False)
    try:

        def crash(question, history=None, *, situation=None):
            raise RuntimeError("internal detail at /srv/secret")

        def refuse(question, history=None, *, situation=None):
            raise CareerBotError("the index was built with another model; run `careerbot index --rebuild`")

        monkeypatch.setattr(fake_bot, "stream", crash)
        page_reply = str(client.predict("How do I become a plant manager?", api_name="/chat"))
        assert "Sorry, something went wrong while answering" in page_reply
        assert "secret" not in page_reply and "Traceback" not in page_reply
        with pytest.raises(Exception) as raised:
            client.predict("How do I become a plant manager?", api_name="/ask")
        assert "secret" not in str(raised.value)

        monkeypatch.setattr(fake_bot, "stream", refuse)
        assert "run `careerbot index --rebuild`" in str(client.predict("Hi?", api_name="/chat"))
        with pytest.raises(Exception, match="run `careerbot index --rebuild`"):
            client.predict("Hi?", api_name="/ask")

        monkeypatch.undo()
        assert client.predict("How do I become a plant manager?", api_name="/ask")["citations"]
    finally:
        app.close()


def test_endpoint_parameters_are_documented(fake_bot):
    app = launch(fake_bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    try:
        endpoints = Client(app.local_url, verbose=False).view_api(print_info=False, return_format="dict")
        ask = endpoints["named_endpoints"]["/ask"]
        assert [p["parameter_name"] for p in ask["parameters"]] == ["question", "history", "situation"]
        assert [p["parameter_name"] for p in endpoints["named_endpoints"]["/add"]["parameters"]] == [
            "documents",
            "force",
        ]
    finally:
        app.close()


def test_ask_endpoint_checks_its_history(fake_bot, seed_corpus):
    (seed_corpus / "welder.md").write_text(
        "# Welder\n\n## Pay\nWelders earn an hourly wage.\n\n## Duties\nWelders join metal.\n",
        encoding="utf-8",
    )
    app = launch(fake_bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    client = Client(app.local_url, verbose=False)
    question = "How do I become a plant manager?"
    try:
        for history, wrong in [
            (5, "history must be a list of messages, not int 5"),
            ("hello", "history must be a list of messages, not str"),
            ({"role": "user"}, "history must be a list of messages, not dict"),
            (["hello", "there"], 'history[0] must be a {"role", "content"} message or a (user, bot) pair'),
            ([["a", "b", "c"]], "history[0] must be a (user, bot) pair of texts"),
        ]:
            with pytest.raises(Exception) as raised:
                client.predict(question, history, api_name="/ask")
            assert f"bad history: {wrong}" in str(raised.value), history
        assert client.predict(question, api_name="/ask")["citations"]  # left out: no history
        pairs = [["What do welders do?", "Welders join metal [1]."]]
        follow_up = client.predict("And the pay?", pairs, api_name="/ask")
        messages = [
            {"role": "user", "content": "What do welders do?"},
            {"role": "assistant", "content": "..."},
        ]
        assert (
            follow_up["occupations"]
            == client.predict("And the pay?", messages, api_name="/ask")["occupations"]
        )
        assert follow_up["occupations"] == ["Welder"]
        assert client.predict("And the pay?", api_name="/ask")["occupations"] != ["Welder"]
    finally:
        app.close()


def test_ask_endpoint_returns_the_situation_and_takes_it_back(fake_bot):
    app = launch(fake_bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    client = Client(app.local_url, verbose=False)
    try:
        first = client.predict(SITUATION_QUESTION, [], api_name="/ask")  # two arguments, as before
        assert first["situation"] == ["without a degree", "no blood"]
        history = [{"role": "user", "content": SITUATION_QUESTION}, {"role": "assistant", "content": "..."}]
        told = client.predict("What could I do from home?", history, api_name="/ask")
        assert told["situation"] == ["without a degree", "from home", "no blood"]
        kept = client.predict("What could I do from home?", history, ["no blood"], api_name="/ask")
        assert kept["situation"] == ["from home", "no blood"]
        with pytest.raises(Exception, match="bad situation: situation must be a list of words"):
            client.predict("What could I do from home?", history, "no blood", api_name="/ask")
    finally:
        app.close()


def test_failed_logins_are_slowed_and_the_route_list_needs_the_login(fake_bot):
    bot = CareerBot(settings=fake_bot.settings, username="ada", password="s3cret", login_delay=0.05)
    app = launch(bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    url = app.local_url

    def attempt(password: str) -> tuple[int, float]:
        started = time.perf_counter()
        response = httpx.post(f"{url}login", data={"username": "ada", "password": password}, timeout=60)
        return response.status_code, time.perf_counter() - started

    try:
        for path in ["openapi.json", "gradio_api/openapi.json", "gradio_api/info", "config", "docs"]:
            response = httpx.get(f"{url}{path}")
            assert response.status_code in {401, 404} and "/ask" not in response.text, path
        waits = [attempt("guess") for _ in range(3)]  # each failure doubles the next wait
        assert [status for status, _ in waits] == [400] * 3
        assert all(seconds >= 0.05 * 2**n for n, (_, seconds) in enumerate(waits)), waits
        # Guesses sent at once wait their turn: four more take 0.4 + 0.8 + 1.6 + 3.2 s in all.
        with ThreadPoolExecutor(4) as pool:
            started = time.perf_counter()
            assert set(pool.map(lambda p: attempt(p)[0], ["a", "b", "c", "d"])) == {400}
            assert time.perf_counter() - started >= 6.0
        status, seconds = attempt("s3cret")  # the right password is answered at once, and resets
        assert status == 200 and seconds < 5
        assert attempt("guess")[1] < 1
        cookies = httpx.post(f"{url}login", data={"username": "ada", "password": "s3cret"}).cookies
        assert "/ask" in httpx.get(f"{url}gradio_api/info", cookies=cookies).text
    finally:
        app.close()
