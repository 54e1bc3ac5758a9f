"""Acceptance, with the real model and a real Chroma: `careerbot add` a PDF and a DOCX, then
`careerbot ask` about them, and the answers cite them."""

import json

import pytest
from click.testing import CliRunner

from careerbot.cli import cli
from tests.documents import COURT_REPORTER, WIND_TECH, write_docx, write_html, write_pdf

pytestmark = pytest.mark.model


def test_add_pdf_and_docx_then_ask_cites_them(seed_corpus, tmp_path):
    where = ["--corpus", str(seed_corpus), "--store", str(tmp_path / "store")]
    brochure = write_pdf(tmp_path / "Wind Turbine Technician.pdf", WIND_TECH)
    job_description = write_docx(tmp_path / "court-reporter.docx", COURT_REPORTER)
    runner = CliRunner()

    added = runner.invoke(cli, ["add", str(brochure), str(job_description), *where])
    assert added.exit_code == 0, added.output
    assert "3 documents" in added.output
    assert not [line for line in added.output.splitlines() if line.startswith("skipped ")]

    def ask(question):
        result = runner.invoke(cli, ["ask", "--json", question, *where])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    wind = ask("How do I become a wind turbine technician?")
    assert {c["source"] for c in wind["citations"]} == {"Wind-Turbine-Technician.pdf"}
    assert {c["section"] for c in wind["citations"]} >= {"How to Become One"}
    assert "technical school or community college" in wind["answer"]

    pay = ask("What does a windtech earn?")  # found by the alias the brochure introduces
    assert "$61,770" in pay["answer"]
    assert pay["citations"][0]["source"] == "Wind-Turbine-Technician.pdf"

    court = ask("What does a court reporter do?")
    assert {c["source"] for c in court["citations"]} == {"court-reporter.docx"}
    assert "word-for-word transcriptions" in court["answer"]

    plain = runner.invoke(cli, ["ask", "What certification does a stenographer need?", *where])
    assert "Registered Professional Reporter" in plain.output
    assert "court-reporter.docx" in plain.output


def test_an_html_page_added_through_the_api_is_cited(seed_corpus, tmp_path):
    from careerbot import CareerBot

    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store")
    report = bot.add([write_html(tmp_path / "wind-technician.html", WIND_TECH)])
    assert not report.problems
    answer = bot.ask("How much does a wind turbine technician make?")
    assert "$61,770" in answer.text
    assert {c.source for c in answer.citations} == {"wind-technician.html"}
