"""The web app as its users meet it: `python app.py` on a free loopback port, the real model and a
real Chroma over a copy of the bundled corpus, driven by Debian's chromium and by gradio_client.

Screenshots of each step go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from playwright.sync_api import expect, sync_playwright

from careerbot.web import launch
from tests.conftest import PROJECT, SEED, SHIPPED_DOCUMENTS, copy_shipped_corpus

pytestmark = pytest.mark.model

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = PROJECT / "test-artifacts"
BUNDLED = len(SHIPPED_DOCUMENTS)
PLANT_MANAGER = "How do I become a plant manager?"
SOURCES_TITLE = re.compile(r"\d+ sources?: ")
# Answers take well under a second; the generous limit covers a busy 2-core machine.
ANSWER_MS = 60_000

BEEKEEPER = """# Beekeeper

Also called apiarists.

## Description
Beekeepers tend colonies of honey bees to produce honey, beeswax and pollination services.

## Education
Most beekeepers learn on the job through an apprenticeship with an experienced beekeeper.
A short course in apiculture helps new beekeepers avoid losing their colonies.

## Pay
Beekeepers earned a median wage of $40,000 a year.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[dict]:
    """`python app.py` on a free port over a copy of corpus/; yields its url and folders."""
    root = tmp_path_factory.mktemp("web")
    copy_shipped_corpus(root / "corpus")
    port = _free_port()
    env = {
        # Module-scoped, so set up before conftest's per-test isolation: do its job here.
        **{key: value for key, value in os.environ.items() if not key.startswith("CAREERBOT_")},
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "CAREERBOT_CORPUS": str(root / "corpus"),
        "CAREERBOT_STORE": str(root / "store"),
        "CAREERBOT_PORT": str(port),
        "PYTHONPATH": os.pathsep.join([str(PROJECT / "src"), os.environ.get("PYTHONPATH", "")]),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    log = (root / "server.log").open("w")
    # cwd is the temp folder: nothing the server does can touch the repository.
    process = subprocess.Popen(
        [sys.executable, str(PROJECT / "app.py")], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(url, process, root / "server.log")
        yield {"url": url, "corpus": root / "corpus", "root": root, "log": root / "server.log"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(ANSWER_MS)
    page.goto(server["url"])
    yield page
    context.close()


# -- the three scenarios of the issue ---------------------------------------------------------


def test_ask_plant_manager_and_see_sources(page):
    expect_welcome(page)
    shoot(page, "1-1-page-loaded")
    ask(page, PLANT_MANAGER)
    answer = last_answer(page)
    assert "bachelor’s degree" in answer.inner_text()
    sources = open_sources(page)
    text = sources.inner_text()
    shoot(page, "1-2-answer-with-sources")
    assert "Industrial Production Manager" in page.locator("#chat .thought-group .title").last.inner_text()
    assert SEED.name in text
    # Every [n] in the answer has its numbered source.
    markers = set(re.findall(r"\[(\d+)\]", answer.inner_text()))
    assert markers and markers == set(re.findall(r"^\[(\d+)\] Industrial Production Manager · ", text, re.M))

    # Readable on a phone: nothing wider than the window.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "1-3-phone-width")


def test_upload_a_profile_see_it_listed_and_cited(page, server):
    uploads = server["root"] / "uploads"
    uploads.mkdir()
    (uploads / "beekeeper.md").write_text(BEEKEEPER, encoding="utf-8")
    (uploads / "notes.txt").write_bytes(b"\x00\x01 not text")

    known = expect_welcome(page)
    page.get_by_role("tab", name="Documents").click()
    chosen = [uploads / "beekeeper.md", uploads / "notes.txt"]
    page.locator("#uploads input[type=file]").set_input_files(chosen)
    page.get_by_text("beekeeper.md").first.wait_for()
    shoot(page, "2-1-files-chosen")
    page.locator("#add").click()
    results = page.locator("#results")
    results.get_by_text("refused").filter(visible=True).first.wait_for()
    assert "added" in results.inner_text() and "Beekeeper" in results.inner_text()
    assert "binary" in results.inner_text()
    page.locator("#documents-message").get_by_text("Index:").first.wait_for()
    page.locator("#profiles input[placeholder^='Search']").fill("Beekeeper")
    page.locator("#profiles").get_by_text("beekeeper.md").filter(visible=True).first.wait_for()
    shoot(page, "2-2-uploaded-and-listed")
    assert (server["corpus"] / "beekeeper.md").read_text(encoding="utf-8") == BEEKEEPER
    assert not (server["corpus"] / "notes.txt").exists()

    page.get_by_role("tab", name="Chat").click()
    page.locator("#welcome").get_by_text(f"{known + 1} occupations").wait_for()
    ask(page, "How do I become a beekeeper?")
    assert "apprenticeship" in last_answer(page).inner_text()
    assert "Beekeeper" in page.locator("#chat .thought-group .title").last.inner_text()
    assert "beekeeper.md" in open_sources(page).inner_text()
    shoot(page, "2-3-new-profile-cited")


def test_an_ambiguous_job_offers_the_others_as_buttons(page):
    ask(page, "What does a teacher do all day?")
    first = page.locator("#chat .thought-group .title").last.inner_text()
    assert "Teacher" in first
    options = page.locator("#chat button.option")
    options.first.wait_for()
    labels = options.all_inner_texts()
    assert {"High School Teacher", "Elementary School Teacher"} & set(labels)
    shoot(page, "4-1-did-you-mean")
    other = next(label for label in labels if label not in first)
    page.locator("#chat button.option").filter(has_text=other).first.click()
    titles = page.locator("#chat .thought-group .title")
    titles.filter(has_text=other).last.wait_for()
    shoot(page, "4-2-alternative-chosen")


def test_each_browser_session_has_its_own_conversation(browser, server, page):
    ask(page, PLANT_MANAGER)
    other = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        second = other.new_page()
        second.goto(server["url"])
        expect_welcome(second)
        assert second.locator("#chat .message-row").count() == 0
        shoot(second, "3-1-second-session-empty")
        ask(second, "What does a logistician earn?")
        assert "Logistician" in second.locator("#chat .thought-group .title").last.inner_text()
        assert PLANT_MANAGER not in second.locator("#chat").inner_text()
        shoot(second, "3-2-second-session-own-answer")
    finally:
        other.close()
    assert "logistician" not in page.locator("#chat").inner_text().lower()
    assert page.locator("#chat .user-row").count() == 1

    page.locator("#chat button[aria-label='Clear']").click()
    page.locator("#chat .message-row").first.wait_for(state="detached")
    expect(page.get_by_placeholder("How do I become …?")).to_be_editable()
    shoot(page, "3-3-first-session-cleared")


def test_documents_actions_answer_in_the_page(browser, fake_bot):
    """Rebuild, and Add with nothing chosen, on a one-profile app (hash embedder: instant)."""
    app = launch(fake_bot, port=_free_port(), prevent_thread_lock=True, quiet=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(app.local_url)
        page.get_by_role("tab", name="Documents").click()
        page.locator("#add").click()
        page.locator("#documents-message").get_by_text("Choose one or more files first.").wait_for()
        page.locator("#rebuild").click()
        page.locator("#documents-message").get_by_text("1 documents, 10 chunks (added 10,").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shoot(page, "4-1-rebuilt-phone-width")
    finally:
        context.close()
        app.close()


# -- the named endpoints over HTTP ------------------------------------------------------------


def test_ask_endpoint_answers_with_citations(server):
    answer = Client(server["url"], verbose=False).predict(PLANT_MANAGER, [], api_name="/ask")
    assert "bachelor’s degree" in answer["answer"]
    assert answer["occupations"] == ["Industrial Production Manager"]
    for citation in answer["citations"]:
        assert set(citation) == {"id", "occupation", "section", "source", "text"}
        assert f"[{citation['id']}]" in answer["answer"]


def test_ask_endpoint_follows_up_on_the_history(server):
    client = Client(server["url"], verbose=False)
    first = client.predict(PLANT_MANAGER, [], api_name="/ask")
    history = [
        {"role": "user", "content": PLANT_MANAGER},
        {"role": "assistant", "content": first["answer"]},
    ]
    pay = client.predict("And the pay?", history, api_name="/ask")
    assert pay["occupations"] == ["Industrial Production Manager"]
    assert {c["section"] for c in pay["citations"]} == {"Estimated/Expected Salary"}


def test_a_follow_up_in_the_page_stays_on_the_occupation(page):
    ask(page, PLANT_MANAGER)
    ask(page, "What skills do I need?")
    assert "Industrial Production Manager" in page.locator("#chat .thought-group .title").last.inner_text()
    assert "Job Skills" in open_sources(page).inner_text()
    shoot(page, "4-1-follow-up")


def test_several_users_are_answered_at_once(server):
    questions = {
        "How do I become a plant manager?": "Industrial Production Manager",
        "What does a logistician earn?": "Logistician",
        "What skills does a welder need?": "Welder",
        "What does a pharmacist do?": "Pharmacist",
    }

    def ask_alone(question: str) -> list[str]:
        return Client(server["url"], verbose=False).predict(question, [], api_name="/ask")["occupations"]

    with ThreadPoolExecutor(len(questions)) as pool:
        answered = list(pool.map(ask_alone, questions))
    assert [occupations[:1] for occupations in answered] == [[o] for o in questions.values()]


def test_status_endpoint(server):
    status = Client(server["url"], verbose=False).predict(api_name="/status")
    assert status["documents"] >= BUNDLED and status["chunks"] > status["documents"]
    assert status["model"] == "all-MiniLM-L6-v2-int8" and status["last_update"]
    assert "Industrial Production Manager" in status["occupations"]


def test_add_endpoint_keeps_a_different_file_unless_forced(server, tmp_path):
    client = Client(server["url"], verbose=False)
    first = tmp_path / "a" / "glassblower.md"
    first.parent.mkdir()
    first.write_text(BEEKEEPER.replace("Beekeeper", "Glassblower"), encoding="utf-8")
    [added] = client.predict([handle_file(first)], False, api_name="/add")["files"]
    assert added["result"] == "added" and "Glassblower" in added["detail"]

    second = tmp_path / "b" / "glassblower.md"
    second.parent.mkdir()
    second.write_text(BEEKEEPER.replace("Beekeeper", "Glass Artist"), encoding="utf-8")
    [refused] = client.predict([handle_file(second)], False, api_name="/add")["files"]
    assert refused["result"] == "refused" and "Replace" in refused["detail"]
    assert (server["corpus"] / "glassblower.md").read_bytes() == first.read_bytes()

    [replaced] = client.predict([handle_file(second)], True, api_name="/add")["files"]
    assert replaced["result"] == "replaced" and "Glass Artist" in replaced["detail"]


def test_nothing_outside_the_uploads_is_read_or_served(server):
    url = server["url"]
    for path in ["/etc/passwd", str(server["corpus"] / SEED.name), str(PROJECT / "app.py")]:
        assert httpx.get(f"{url}gradio_api/file={path}").status_code in {403, 404}
    # A caller naming a server path instead of uploading a file gets an error, and nothing is copied.
    event = httpx.post(
        f"{url}gradio_api/call/add",
        json={"data": [[{"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}], False]},
    ).json()["event_id"]
    stream = httpx.get(f"{url}gradio_api/call/add/{event}", timeout=60).text
    assert "event: error" in stream and "root:" not in stream
    assert not (server["corpus"] / "passwd").exists()
    # ... and the app keeps serving.
    assert Client(url, verbose=False).predict(api_name="/status")["documents"] >= BUNDLED


def test_readme_api_example_runs(server, tmp_path, monkeypatch, capsys):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## HTTP API.*?```python\n(.*?)```", readme, re.S)[1]
    monkeypatch.chdir(tmp_path)
    exec(example.replace("http://127.0.0.1:7860/", server["url"]), {})
    printed = capsys.readouterr().out
    assert "Industrial Production Manager" in printed and "'result': 'added'" in printed
    assert "['without a degree', 'no blood']" in printed and "['from home', 'no blood']" in printed
    assert (server["corpus"] / "sommelier.md").exists()


# -- helpers ----------------------------------------------------------------------------------


def ask(page, question: str) -> None:
    """Type `question`, send it, wait for the reply to finish."""
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator("#chat .user-row").get_by_text(question).last.wait_for()
    # The sources block comes with the complete answer; the textbox is given back when all is done.
    page.locator("#chat .thought-group .title").filter(has_text=SOURCES_TITLE).last.wait_for()
    expect(box).to_be_editable(timeout=ANSWER_MS)


def last_answer(page):
    return page.locator("#chat .bot-row .message:not(.thought)").last


def open_sources(page):
    """Open the last sources block and return it."""
    group = page.locator("#chat .thought-group").last
    group.locator(".title").click()
    group.get_by_text(" · ").first.wait_for()
    # It slides open: wait until it has, so screenshots show it.
    page.wait_for_function("group => group.getBoundingClientRect().height > 100", arg=group.element_handle())
    return group


def expect_welcome(page) -> int:
    """The number of occupations the welcome line names."""
    line = page.locator("#welcome").get_by_text(re.compile(r"I know \d+ occupations"))
    line.wait_for()
    return int(re.search(r"(\d+) occupations", line.inner_text())[1])


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"web-{name}.png")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the app did not serve {url} within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


# -- the page at every width: phone (390 px) and desktop (1280 px) --------------------------------

COMPARISON = "Compare electrician and plumber"
FIRST_FILE = SHIPPED_DOCUMENTS[0].name  # the profiles table's first row: rendered at once
WIDTHS = [(1280, 860), (390, 844)]

# Lines an element's text occupies, and how many words it has.
_CELL_LINES = """cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  const words = cell.innerText.split(/\\s+/).filter(Boolean);
  return {text: cell.innerText, lines: tops.size, words: words.length};
}"""


@pytest.fixture
def fresh_page(page):
    """A new browser session (its own empty conversation), at the desktop size, welcomed."""
    expect_welcome(page)
    return page


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_comparison_reads_without_scrolling_sideways(fresh_page, width, height):
    fresh_page.set_viewport_size({"width": width, "height": height})
    ask(fresh_page, COMPARISON)
    answer = last_answer(fresh_page)
    assert answer.locator("table").count() == 0  # blocks per row, not a table wider than a phone
    labels = answer.locator("li strong")  # each line's occupation
    assert labels.count() >= 8
    for n in range(labels.count()):
        cell = labels.nth(n).evaluate(_CELL_LINES)
        # A one-word label on two lines is broken inside the word.
        assert cell["lines"] <= cell["words"], cell
        assert cell["words"] > 1 or cell["lines"] == 1, cell
    assert answer.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert fresh_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(fresh_page, f"comparison-{width}")


def test_question_box_on_screen_on_a_phone_with_and_without_an_answer(fresh_page):
    fresh_page.set_viewport_size({"width": 390, "height": 844})
    box = fresh_page.locator("#question textarea")
    expect(box).to_be_in_viewport(ratio=1)
    assert fresh_page.evaluate("window.scrollY") == 0
    ask(fresh_page, PLANT_MANAGER)
    fresh_page.evaluate("window.scrollTo(0, 0)")
    expect(box).to_be_in_viewport(ratio=1)
    ask(fresh_page, COMPARISON)
    fresh_page.evaluate("window.scrollTo(0, 0)")
    expect(box).to_be_in_viewport(ratio=1)


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_page_keeps_one_width_across_chat_answer_and_documents(fresh_page, width, height):
    fresh_page.set_viewport_size({"width": width, "height": height})
    fresh_page.wait_for_timeout(300)

    def frame() -> tuple[int, int]:
        box = fresh_page.locator(".gradio-container").first.bounding_box()
        return round(box["x"]), round(box["width"])

    empty = frame()
    ask(fresh_page, COMPARISON)
    answered = frame()
    fresh_page.get_by_role("tab", name="Documents").click()
    fresh_page.locator("#profiles").get_by_text(FIRST_FILE).wait_for()
    documents = frame()
    assert empty == answered == documents


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_documents_tab_is_tidy(fresh_page, width, height):
    fresh_page.set_viewport_size({"width": width, "height": height})
    fresh_page.get_by_role("tab", name="Documents").click()
    fresh_page.locator("#profiles").get_by_text(FIRST_FILE).wait_for()
    for button in ("#add", "#rebuild"):
        fits = fresh_page.locator(button).evaluate("b => b.scrollWidth <= b.clientWidth + 1")
        assert fits, f"{button}'s label overflows"
        line = fresh_page.locator(button).evaluate(_CELL_LINES)
        assert line["lines"] == 1, line
    for cell in ("#profiles td", "#facts-table th"):
        font = fresh_page.locator(cell).first.evaluate("c => getComputedStyle(c).fontFamily")
        assert "mono" not in font.lower(), (cell, font)
    assert fresh_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(fresh_page, f"documents-{width}")


# Scroll the conversation so that an element of it shows at its top, below the "Conversation" label.
_SCROLL_TO_TOP = """el => {
  let box = el.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY)))
    box = box.parentElement;
  box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - 36;
}"""
SITUATION = "I faint at the sight of blood and I don't want to go to college, what could I do?"


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_situation_shows_as_chips_and_a_removed_one_is_forgotten(fresh_page, width, height):
    page = fresh_page
    page.set_viewport_size({"width": width, "height": height})
    situation, chips = page.locator("#situation"), page.locator("#situation .token")
    expect(situation).to_be_hidden()  # nothing told yet
    ask(page, SITUATION)
    expect(chips).to_have_text(["without a degree", "no blood"])
    expect(situation).to_contain_text("Your situation")
    answer = last_answer(page)
    assert answer.inner_text().startswith("Without a degree, no blood")
    assert answer.locator("li strong").count() >= 3  # the jobs that fit, one line each
    # The question box and the chips under it stay on screen, and nothing is wider than the window.
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator("#question textarea")).to_be_in_viewport(ratio=1)
    expect(situation).to_be_in_viewport(ratio=1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#chat .user-row").last.evaluate(_SCROLL_TO_TOP)  # the question, for the picture
    shoot(page, f"situation-{width}")

    # Removing "without a degree": the next question is asked without it.
    chips.filter(has_text="without a degree").locator(".token-remove").click()
    expect(chips).to_have_text(["no blood"])
    ask(page, "What could I do from home?")
    expect(chips).to_have_text(["from home", "no blood"])
    assert last_answer(page).inner_text().startswith("From home, no blood")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"situation-{width}-removed")

    # Clearing the chat forgets the situation.
    page.locator("#chat button[aria-label='Clear']").click()
    page.locator("#chat .message-row").first.wait_for(state="detached")
    expect(situation).to_be_hidden()
    ask(page, PLANT_MANAGER)
    expect(situation).to_be_hidden()


def test_the_log_offers_no_share_link(server):
    log = server["log"].read_text(encoding="utf-8")
    assert "careerbot is serving http://127.0.0.1:" in log
    assert "share=True" not in log and "public link" not in log
