"""The newcomer's path with the real MiniLM model and a real Chroma: index, ask, cite."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from careerbot import CareerBot
from careerbot.cli import cli
from tests.conftest import SEED

pytestmark = pytest.mark.model

PLANT_MANAGER = "How do I become a plant manager?"


def test_plant_manager_answer_cites_education_and_career_path(bundled_bot):
    answer = bundled_bot.ask(PLANT_MANAGER)
    sections = {(c.source, c.section) for c in answer.citations}
    assert (SEED.name, "Education & Training Level Description") in sections
    assert (SEED.name, "Job Skills") in sections
    assert "bachelor’s degree" in answer.text
    assert "begin as production workers" in answer.text
    assert "first-line supervisor" in answer.text
    assert answer.occupations == ("Industrial Production Manager",)
    for citation in answer.citations:
        assert f"[{citation.id}]" in answer.text


def test_off_topic_question_gets_no_citation(bundled_bot):
    answer = bundled_bot.ask("What is the capital of France?")
    assert answer.citations == ()
    assert "couldn't find" in answer.text
    assert "I can answer questions about" in answer.text  # says what it can answer instead


def test_empty_question_gets_a_helpful_reply(bundled_bot):
    answer = bundled_bot.ask("   \x00 ")
    assert answer.citations == () and "Please ask" in answer.text


def test_retrieve_returns_ranked_passages_with_sources(bundled_bot):
    passages = bundled_bot.retrieve("plant manager education", k=5)
    assert len(passages) == 5
    assert passages[0].source == SEED.name
    assert all(0 < p.score <= 1 for p in passages)
    assert all(p.text and p.section and p.occupation for p in passages)


def test_langchain_retriever_interface(bundled_bot):
    documents = bundled_bot.retriever.invoke("industrial production manager salary")
    assert documents and documents[0].metadata["source"]


def test_status_reports_the_index(bundled_bot):
    status = bundled_bot.status()
    assert status.documents >= 1 and status.chunks > status.documents
    assert status.model == "all-MiniLM-L6-v2-int8"
    assert status.last_update


def test_real_model_reindex_is_incremental(seed_corpus, tmp_path):
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store")
    assert bot.index().added > 0
    again = bot.index()
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)


def test_cli_ask_json(seed_corpus, tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    indexed = runner.invoke(cli, ["index", "--corpus", str(seed_corpus), "--store", str(store)])
    assert indexed.exit_code == 0, indexed.output
    assert "1 documents" in indexed.output
    result = runner.invoke(
        cli, ["ask", "--json", PLANT_MANAGER, "--corpus", str(seed_corpus), "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) >= {"answer", "citations"}
    assert {"id", "occupation", "section", "source", "text"} <= set(payload["citations"][0])
    assert {c["section"] for c in payload["citations"]} >= {
        "Education & Training Level Description",
        "Job Skills",
    }
    assert "bachelor’s degree" in payload["answer"]


def test_console_script_chat_with_piped_input(seed_corpus, tmp_path):
    env = {
        **os.environ,
        "CAREERBOT_CORPUS": str(seed_corpus),
        "CAREERBOT_STORE": str(tmp_path / "store"),
    }
    script = Path(sys.executable).with_name("careerbot")
    result = subprocess.run(
        [str(script), "chat"],
        input=f"{PLANT_MANAGER}\nWhat is the capital of France?\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "bachelor’s degree" in result.stdout
    assert "industrial-production-manager.txt" in result.stdout
    assert "couldn't find" in result.stdout
