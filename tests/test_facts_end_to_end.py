"""Career facts through the index: bot.facts(), `careerbot facts`, rank() and relation() answers with
the real model and Chroma; the incremental run keeping facts in step with the corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from careerbot import CareerBot
from careerbot.answer.rank import rank, relation
from tests.conftest import CORPUS

HEALTHCARE = {
    "Registered Nurse",
    "Licensed Practical Nurse",
    "Pharmacist",
    "Physical Therapist",
    "Dental Hygienist",
    "Medical Assistant",
    "Paramedic",
}


@pytest.mark.model
def test_bot_facts_for_one_occupation_cite_an_indexed_chunk(bundled_bot):
    facts = bundled_bot.facts("Electrician")
    assert facts.median_annual_pay == 61590
    assert facts.growth_percent == 11.0
    assert facts.entry_education == "high school"
    passages = {p.chunk_id: p for p in bundled_bot.profile(facts.source)}
    for evidence in facts.citations.values():
        assert evidence.chunk_id in passages  # the chunk the index holds ...
        assert evidence.sentence in passages[evidence.chunk_id].text  # ... contains the sentence


@pytest.mark.model
def test_bot_facts_by_alias_plural_or_file_and_none_for_unknown(bundled_bot):
    assert bundled_bot.facts("journeyman electrician").occupation == "Electrician"
    assert bundled_bot.facts("Plumbers").median_annual_pay == 61550
    assert bundled_bot.facts("welder.txt").occupation == "Welder"
    assert bundled_bot.facts("astronaut") is None
    seed = bundled_bot.facts("plant manager")
    assert seed.occupation == "Industrial Production Manager" and seed.median_annual_pay is None


@pytest.mark.model
def test_bot_facts_lists_every_occupation(bundled_bot):
    every = bundled_bot.facts()
    assert len(every) == 44
    assert [f.occupation for f in every] == sorted((f.occupation for f in every), key=str.casefold)
    assert sum(f.median_annual_pay is not None for f in every) == 41  # 2 ranges, the seed has none


@pytest.mark.model
def test_cli_facts_reads_stored_facts_without_loading_the_model(bundled_bot):
    corpus, store = str(bundled_bot.settings.corpus), str(bundled_bot.settings.store)
    script = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from careerbot.cli import cli\n"
        f"args = ['--corpus', {corpus!r}, '--store', {store!r}]\n"
        "table = CliRunner().invoke(cli, ['facts', *args, '--sort', 'pay'])\n"
        "one = CliRunner().invoke(cli, ['facts', 'electrician', *args, '--json'])\n"
        "loaded = [m for m in ('torch', 'sentence_transformers', 'chromadb') if m in sys.modules]\n"
        "codes = [table.exit_code, one.exit_code]\n"
        "print(json.dumps({'table': table.output, 'one': one.output, 'codes': codes, 'loaded': loaded}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(run.stdout)
    assert result["codes"] == [0, 0]
    assert result["loaded"] == []
    rows = result["table"].splitlines()
    assert rows[1].startswith("Purchasing Manager | $136,380 a year")
    assert rows[-1].startswith("Industrial Production Manager | —")  # no figure: last
    one = json.loads(result["one"])
    assert one["median_annual_pay"] == 61590 and one["entry_education"] == "high school"
    assert "$61,590" in one["pay"]["evidence"]["sentence"]


def test_cli_facts_without_an_index_says_to_build_one(tmp_path):
    from click.testing import CliRunner

    from careerbot.cli import cli

    result = CliRunner().invoke(cli, ["facts", "--corpus", str(tmp_path), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "careerbot index" in result.output


def _assert_cited(answer):
    """Every [n] in the text is a citation whose passage holds the sentence quoted before it."""
    by_id = {c.id: c for c in answer.citations}
    for line in answer.text.splitlines():
        if line[:2].rstrip(".").isdigit() or line.startswith("- **"):
            quoted = line.split(": ", 1)[1].rsplit(" [", 1)[0].split(" [")[0]
            marker = int(line.split(quoted, 1)[1].split("[", 1)[1].split("]")[0])
            assert quoted in by_id[marker].text, line


@pytest.mark.model
def test_rank_lowest_pay_quotes_and_cites_each_figure(bundled_bot):
    answer = rank(bundled_bot.facts(), bundled_bot.profile, measure="pay", descending=False, limit=3)
    assert answer.occupations == ("Photographer", "Medical Assistant", "Quality Control Inspector")
    assert "$40,760" in answer.text.splitlines()[2]
    assert (
        "1 of the 44 profiles doesn't state a yearly median pay: Industrial Production Manager."
        in answer.text
    )
    # Each line cites its pay, then what it takes to enter.
    assert [c.section for c in answer.citations][::2] == ["Estimated/Expected Salary"] * 3
    _assert_cited(answer)


@pytest.mark.model
def test_rank_within_a_field(bundled_bot):
    answer = rank(bundled_bot.facts(), bundled_bot.profile, measure="pay", among=HEALTHCARE, limit=3)
    assert answer.occupations[0] == "Pharmacist"
    assert answer.text.startswith("**Highest median pay among 7 occupations**")
    _assert_cited(answer)


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "measure", "lowest"),
    [
        ("which occupation in your database pays the least?", "pay", True),
        ("top earning career with no degree", "pay", False),
        ("what jobs are disappearing the fastest", "growth", True),
        ("what career is growing the fastest rn", "growth", False),  # "rn": right now, here
    ],
)
def test_a_ranking_whose_other_words_name_no_field_ranks_every_profile(
    bundled_bot, question, measure, lowest
):
    # "in your database", "no degree", "disappearing": how to rank, not among which jobs.
    asked = bundled_bot.ask(question)
    heading = next(
        line for line in asked.text.splitlines() if line.startswith("**")
    )  # after any "*situation*"
    assert "in the profiles" in heading, asked.text
    degree = "postsecondary certificate" if "degree" in question else None
    expected = rank(
        bundled_bot.facts(),
        bundled_bot.profile,
        measure=measure,
        descending=not lowest,
        at_most_education=degree,
    )
    assert asked.occupations[:2] == expected.occupations[:2]


@pytest.mark.model
def test_a_ranking_among_the_jobs_a_question_lists(bundled_bot):
    answer = bundled_bot.ask("of welders, carpenters, plumbers and machinists, who earns the least?")
    assert answer.text.startswith("**Lowest median pay among 4 occupations**"), answer.text
    pay = {o: bundled_bot.facts(o).median_annual_pay for o in ("Welder", "Carpenter", "Plumber", "Machinist")}
    assert answer.occupations == tuple(sorted(pay, key=pay.get))


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    [
        "which healthcare jobs can I get into without a degree?",
        "careers working outdoors that take a year or less of training",
        "what could I do without a degree?",  # no interest: every job open without one
    ],
)
def test_a_search_by_interest_without_a_degree_lists_only_jobs_open_without_one(bundled_bot, question):
    answer = bundled_bot.ask(question)
    assert len(answer.occupations) >= 2, answer.text
    for occupation in answer.occupations:
        assert bundled_bot.facts(occupation).entry_education in {
            "none",
            "high school",
            "postsecondary certificate",
        }


@pytest.mark.model
def test_a_field_written_as_initials_limits_a_ranking(bundled_bot):
    answer = bundled_bot.ask("highest paying IT career?")
    assert answer.text.startswith("**Highest median pay among ")
    assert answer.occupations[0] in {"Software Developer", "Information Security Analyst", "Data Scientist"}


@pytest.mark.model
def test_rank_best_paid_without_a_degree_cites_pay_and_education(bundled_bot):
    answer = rank(
        bundled_bot.facts(), bundled_bot.profile, measure="pay", at_most_education="high school", limit=3
    )
    assert answer.occupations[0] == "Electrical Power-Line Installer and Repairer"
    sections = {c.section for c in answer.citations}
    assert sections == {"Estimated/Expected Salary", "Education & Training Level"}
    for occupation in answer.occupations:
        assert bundled_bot.facts(occupation).entry_education == "high school"
    _assert_cited(answer)


@pytest.mark.model
def test_rank_jobs_paying_over_an_amount_and_shrinking_jobs(bundled_bot):
    facts = bundled_bot.facts()
    over = rank(facts, bundled_bot.profile, measure="pay", min_pay=100_000, limit=10)
    assert len(over.occupations) == 6
    assert all(bundled_bot.facts(o).median_annual_pay >= 100_000 for o in over.occupations)
    shrinking = rank(facts, bundled_bot.profile, measure="growth", descending=False, limit=3)
    assert shrinking.occupations[:2] == (
        "Network and Computer Systems Administrator",
        "Quality Control Inspector",
    )
    assert "**Farmer**" in shrinking.text  # projected to decline, with no figure: named and cited
    _assert_cited(shrinking)
    none = rank(facts, bundled_bot.profile, measure="pay", min_pay=500_000)
    assert none.citations == () and none.occupations == ()
    assert none.text.startswith("None of the 44 profiles")


@pytest.mark.model
def test_relation_states_the_stated_figures(bundled_bot):
    electrician, plumber = bundled_bot.facts("electrician"), bundled_bot.facts("plumber")
    said = relation(electrician, plumber, "pay", cite=("[1]", "[2]"))
    assert said == "Electricians and Plumbers earn about the same: $61,590 [1] and $61,550 [2] a year."
    nurse, practical = bundled_bot.facts("registered nurse"), bundled_bot.facts("licensed practical nurse")
    assert relation(practical, nurse, "pay").startswith("Registered Nurses earn more than Licensed Practical")
    assert "Bachelor's degree and Postsecondary nondegree award" in relation(nurse, practical, "education")
    carpenter, welder = bundled_bot.facts("carpenter"), bundled_bot.facts("welder")
    assert relation(carpenter, welder, "growth") == (
        "Employment of Carpenters is projected to grow faster than that of Welders: "
        "4 percent and about 2 percent, 2023 to 2033."
    )
    assert relation(bundled_bot.facts("plant manager"), plumber, "pay") is None  # no figure: no relation


# -- the incremental run keeps facts in step (instant hash embedder: the same indexing code) --------
def test_facts_follow_edits_deletions_and_rebuilds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("electrician.txt", "plumber.txt", "welder.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    bot = CareerBot(corpus=corpus, store=tmp_path / "store", embedder="hash")
    bot.index()
    plumber_before = bot.facts("plumber")
    assert bot.facts("welder").median_annual_pay == 48940

    welder = corpus / "welder.txt"
    welder.write_text(welder.read_text(encoding="utf-8").replace("$48,940", "$50,120"), encoding="utf-8")
    (corpus / "electrician.txt").unlink()
    report = bot.index()
    assert report.documents == 2
    edited = bot.facts("welder")
    assert edited.median_annual_pay == 50120
    assert "$50,120" in edited.pay.evidence.sentence
    passages = {p.chunk_id: p.text for p in bot.profile("welder.txt")}
    assert edited.pay.evidence.sentence in passages[edited.pay.evidence.chunk_id]  # the new chunk
    assert bot.facts("electrician") is None
    assert bot.facts("plumber") == plumber_before  # unchanged: not read again, facts kept

    bot.index(rebuild=True)
    assert bot.facts("plumber") == plumber_before
    assert [f.occupation for f in bot.facts()] == ["Plumber", "Welder"]
