"""Chroma server mode against a real `chroma run`: index and ask through it; a server that stops or
hangs mid-conversation is a clear error (no traceback, no hang), and the conversation goes on when
it is back. The record manager lives in the database CAREERBOT_RECORDS_URL names."""

import json
import threading

import chromadb
import pytest
from click.testing import CliRunner

from careerbot import CareerBot, CareerBotError, StoreUnavailableError
from careerbot.cli import cli
from tests.processes import ChromaServer, free_port

PLANT_MANAGER = "How do I become a plant manager?"
FOLLOW_UP = "What skills do they need?"


@pytest.fixture
def server(tmp_path):
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


@pytest.mark.model
def test_index_and_ask_through_a_chroma_server(server, seed_corpus, tmp_path):
    store = tmp_path / "store"
    records = tmp_path / "elsewhere" / "records.sqlite"
    records.parent.mkdir()
    records_url = f"sqlite:///{records}"
    bot = CareerBot(corpus=seed_corpus, store=store, chroma_url=server.url, records_url=records_url)
    report = bot.index()
    assert report.added > 0 and not report.problems
    assert bot.settings.store_backend == "chroma-server"
    # The vectors are on the server, the records where the URL says; no local Chroma.
    assert chromadb.HttpClient(host="127.0.0.1", port=server.port).get_collection("careerbot").count() == (
        report.chunks
    )
    assert records.exists() and not (store / "records.sqlite").exists() and not (store / "chroma").exists()

    answer = bot.ask(PLANT_MANAGER)
    assert "bachelor’s degree" in answer.text
    assert {c.section for c in answer.citations} >= {"Education & Training Level Description", "Job Skills"}

    runner = CliRunner()
    options = ["--corpus", str(seed_corpus), "--store", str(store), "--chroma-url", server.url]
    env = {"CAREERBOT_RECORDS_URL": records_url}
    asked = runner.invoke(cli, ["ask", "--json", PLANT_MANAGER, *options], env=env)
    assert asked.exit_code == 0, asked.output
    assert "bachelor’s degree" in json.loads(asked.output)["answer"]
    again = runner.invoke(cli, ["index", *options], env=env)
    assert "(added 0, updated 0, skipped" in again.output  # the records were found where they live
    assert (
        CareerBot(corpus=seed_corpus, store=store, chroma_url=server.url, records_url=records_url)
        .doctor()
        .healthy
    )


@pytest.mark.model
def test_server_stopped_mid_conversation_answers_from_the_last_index_and_writes_say_why(
    server, seed_corpus, tmp_path
):
    """Questions read the search files the last index run wrote beside the manifest, so a
    conversation goes on while the server is down; what needs the server says so clearly."""
    store = tmp_path / "store"
    bot = CareerBot(corpus=seed_corpus, store=store, chroma_url=server.url)
    bot.index()
    conversation = bot.chat()
    assert "bachelor’s degree" in conversation.ask(PLANT_MANAGER).text

    server.stop()
    down = f"the Chroma server at {server.url} is not answering"
    follow_up = conversation.ask(FOLLOW_UP)
    assert follow_up.occupations == ("Industrial Production Manager",)
    assert any(c.section == "Job Skills" for c in follow_up.citations)
    with pytest.raises(StoreUnavailableError, match=down):
        bot.status()
    with pytest.raises(StoreUnavailableError, match=down):
        bot.index()
    result = CliRunner().invoke(
        cli, ["index", "--corpus", str(seed_corpus), "--store", str(store), "--chroma-url", server.url]
    )
    assert result.exit_code != 0 and f"Error: {down}" in result.output
    assert "Traceback" not in result.output

    server.start()
    assert bot.status().chunks == bot.index().chunks
    assert conversation.ask("And the pay?").occupations == ("Industrial Production Manager",)


def test_a_server_that_stops_answering_times_out_instead_of_hanging(server, seed_corpus, tmp_path):
    where = {"corpus": seed_corpus, "store": tmp_path / "store", "embedder": "hash", "chroma_url": server.url}
    CareerBot(**where).index()
    # The short timeout only for the calls made against the frozen server: a busy machine may be slow.
    bot = CareerBot(**where, chroma_timeout=2)
    (seed_corpus / "baker.txt").write_text("Baker\nBakers bake bread for shops.\n", encoding="utf-8")
    server.freeze()
    outcome: list[BaseException | object] = []
    indexing = threading.Thread(target=lambda: outcome.append(_attempt(bot.index)), daemon=True)
    indexing.start()
    indexing.join(timeout=120)
    server.thaw()
    assert not indexing.is_alive(), "indexing hung on a server that does not answer"
    assert isinstance(outcome[0], StoreUnavailableError) and "ReadTimeout" in str(outcome[0])
    assert CareerBot(**where).index().documents == 2  # done once the server answers again


def test_no_server_at_that_url_or_no_url_at_all_says_so(seed_corpus, tmp_path):
    nobody = f"http://127.0.0.1:{free_port()}"
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store", embedder="hash", chroma_url=nobody)
    with pytest.raises(StoreUnavailableError, match=f"the Chroma server at {nobody} is not answering"):
        bot.index()
    options = ["--corpus", str(seed_corpus), "--store", str(tmp_path / "store")]
    result = CliRunner().invoke(cli, ["index", *options, "--chroma-url", "localhost:8000"])
    assert result.exit_code == 1
    assert "Error: 'localhost:8000' is not a Chroma server URL like http://127.0.0.1:8000" in result.output
    with pytest.raises(CareerBotError, match="CAREERBOT_RECORDS_URL"):
        CareerBot(
            corpus=seed_corpus, store=tmp_path / "store", embedder="hash", records_url="nosuch://x"
        ).index()


def _attempt(function, *args):
    try:
        return function(*args)
    except BaseException as error:
        return error
