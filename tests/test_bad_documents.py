"""Bad documents: each is named in the index report (API and CLI) with its reason; nothing else is lost.

The fast hash embedder stands in for the model: what is tested here is reading and bookkeeping.
"""

import pytest
from click.testing import CliRunner

from careerbot import CareerBot
from careerbot.cli import cli
from tests.documents import WIND_TECH, write_docx, write_pdf
from tests.test_index import LOGISTICIAN

MAX_BYTES = 100_000


def truncated_pdf(path):
    whole = write_pdf(path, WIND_TECH).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


BAD = {
    "empty": ("notes.txt", lambda p: p.write_text("  \n\n "), "the document is empty"),
    "binary": ("photo.txt", lambda p: p.write_bytes(b"\x89PNG\r\n\x00\x00\x00\rIHDR"), "binary"),
    "undecodable": ("cafe.txt", lambda p: p.write_bytes("Café Owner\nA café.".encode("cp1252")), "UTF-8"),
    "truncated pdf": ("brochure.pdf", truncated_pdf, "the PDF is truncated"),
    "huge": ("manual.txt", lambda p: p.write_text("Huge\n" + "x" * MAX_BYTES), "over the 100,000-byte limit"),
    "no title": (
        "untitled.txt",
        lambda p: p.write_text("Alternate Title(s) | Packer |\n---|---|\nJob Skills | Speed. |\n"),
        "no occupation title",
    ),
    "same occupation": (
        "logisticians-2.txt",
        lambda p: p.write_text(LOGISTICIAN.replace("| Logistician |", "| Logisticians |")),
        "Logisticians is already described by logistician.txt",
    ),
}


@pytest.fixture
def bot(fake_bot, seed_corpus):
    """Seed and logistician indexed: what every bad document must leave in place."""
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    bot = CareerBot(settings=fake_bot.settings, max_document_bytes=MAX_BYTES)
    assert not bot.index().problems
    return bot


@pytest.mark.parametrize("case", BAD)
def test_bad_document_is_reported_and_the_rest_indexes(case, bot, seed_corpus):
    name, write, reason = BAD[case]
    write(seed_corpus / name)
    (seed_corpus / "welder.md").write_text("# Welder\n\n## Duties\nWelders join metal parts.\n")
    before = bot.status().chunks

    report = bot.index()
    assert [(p.source, reason in p.reason) for p in report.problems] == [(name, True)]
    assert bot.occupations() == ["Industrial Production Manager", "Logistician", "Welder"]
    assert report.deleted == 0 and bot.status().chunks == before + 1
    assert (seed_corpus / name).exists()  # reported, never removed

    settings = bot.settings
    result = CliRunner().invoke(
        cli,
        ["index", "--corpus", str(settings.corpus), "--store", str(settings.store)],
        env={"CAREERBOT_EMBEDDER": "hash", "CAREERBOT_MAX_DOCUMENT_BYTES": str(MAX_BYTES)},
    )
    assert result.exit_code == 0, result.output
    assert f"skipped {name}: " in result.output and reason in result.output
    assert "3 documents" in result.output


def test_a_truncated_copy_of_an_indexed_pdf_keeps_the_last_good_version(bot, seed_corpus):
    write_pdf(seed_corpus / "wind.pdf", WIND_TECH)
    good = bot.index()
    assert "Wind Turbine Technician" in bot.occupations()
    truncated_pdf(seed_corpus / "wind.pdf")
    report = bot.index()
    assert report.problems[0].source == "wind.pdf"
    assert report.problems[0].reason.endswith("(its last indexed version is kept)")
    assert report.deleted == 0 and report.chunks == good.chunks
    assert "Wind Turbine Technician" in bot.occupations()
    # Even a rebuild keeps it: documents are read before the index is emptied.
    assert bot.index(rebuild=True).chunks == good.chunks


def test_same_occupation_in_a_fresh_index_goes_to_the_first_path(fake_bot, seed_corpus):
    (seed_corpus / "b-logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    (seed_corpus / "a-logistician.md").write_text("# Logisticians\n\n## Duties\nThey plan supply chains.\n")
    report = fake_bot.index()
    assert [(p.source, p.reason) for p in report.problems] == [
        ("b-logistician.txt", "Logistician is already described by a-logistician.md; retitle or remove one")
    ]
    assert {p.source for p in fake_bot.retrieve("logistician", k=50)} >= {"a-logistician.md"}
    assert "b-logistician.txt" not in {p.source for p in fake_bot.retrieve("logistician", k=50)}


def test_the_document_already_indexed_keeps_its_occupation(bot, seed_corpus):
    (seed_corpus / "a-logistician.md").write_text("# Logistician\n\n## Duties\nThey plan supply chains.\n")
    for _ in range(2):  # the same answer every time, and after a rebuild
        report = bot.index()
        assert [p.source for p in report.problems] == ["a-logistician.md"]
        assert "already described by logistician.txt" in report.problems[0].reason
    assert [p.source for p in bot.index(rebuild=True).problems] == ["a-logistician.md"]
    # Retitled in the plural, it is still the same occupation, and still its document.
    plural = LOGISTICIAN.replace("| Logistician |", "| Logisticians |")
    (seed_corpus / "logistician.txt").write_text(plural, encoding="utf-8")
    assert [p.source for p in bot.index().problems] == ["a-logistician.md"]
    assert "Logisticians" in bot.occupations()


def test_an_edit_that_claims_another_occupation_keeps_its_last_version(bot, seed_corpus):
    (seed_corpus / "welder.md").write_text("# Welder\n\n## Duties\nWelders join metal parts.\n")
    bot.index()
    (seed_corpus / "welder.md").write_text("# Logistician\n\n## Duties\nCopied by mistake.\n")
    report = bot.index()
    assert report.problems[0].source == "welder.md"
    assert report.problems[0].reason.endswith("(its last indexed version is kept)")
    assert bot.occupations() == ["Industrial Production Manager", "Logistician", "Welder"]


def test_add_refuses_a_second_document_for_an_indexed_occupation(bot, seed_corpus, tmp_path):
    other = tmp_path / "logistics-analyst.docx"
    write_docx(other, {"title": "Logisticians", "sections": {"Duties": "They plan supply chains."}})
    report = bot.add([other])
    assert report.problems[0].source == "logistics-analyst.docx"
    assert "already described by logistician.txt" in report.problems[0].reason
    assert not (seed_corpus / "logistics-analyst.docx").exists()


def test_add_copies_pdf_and_docx_and_indexes_them(bot, seed_corpus, tmp_path):
    pdf = write_pdf(tmp_path / "Wind Turbine Tech.PDF", WIND_TECH)
    docx = write_docx(tmp_path / "welder.docx", {"title": "Welder", "sections": {"Duties": "Welders weld."}})
    report = bot.add([pdf, docx])
    assert not report.problems and report.documents == 4
    assert (seed_corpus / "Wind-Turbine-Tech.pdf").read_bytes() == pdf.read_bytes()
    assert (seed_corpus / "welder.docx").read_bytes() == docx.read_bytes()
    assert {"Wind Turbine Technician", "Welder"} <= set(bot.occupations())
