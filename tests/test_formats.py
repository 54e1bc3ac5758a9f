"""HTML, Word and PDF documents become profiles, sections taken from their headings where they have them."""

import io

import pytest

from careerbot.documents import DOCUMENT_SUFFIXES, read_profile
from careerbot.profiles import ProfileError
from tests.documents import COURT_REPORTER, WIND_TECH, write_docx, write_html, write_pdf

WRITERS = {"html": write_html, "docx": write_docx, "pdf": write_pdf}


def read(path):
    return read_profile(path, path.parent, max_bytes=10**7)


@pytest.mark.parametrize("kind", WRITERS)
def test_each_format_gives_title_sections_and_aliases(kind, tmp_path):
    profile = read(WRITERS[kind](tmp_path / f"wind.{kind}", WIND_TECH))
    assert profile.occupation == "Wind Turbine Technician"
    assert profile.source == f"wind.{kind}"
    assert [s.name for s in profile.sections] == list(WIND_TECH["sections"])
    for section in profile.sections:
        # Whole and in order; a PDF line that ends a sentence may keep its break, which ends it anyway.
        assert " ".join(section.text.split()) == WIND_TECH["sections"][section.name]
        assert all(line.endswith(".") for line in section.text.splitlines()[:-1])
    assert {"Windsmith", "Wind Energy Technician", "windtechs"} <= set(profile.aliases)


def test_the_formats_are_registered():
    assert {".html", ".htm", ".pdf", ".docx", ".txt", ".md"} <= DOCUMENT_SUFFIXES


def test_html_page_furniture_is_dropped_and_inline_text_stays_in_place(tmp_path):
    page = tmp_path / "electrician.htm"
    page.write_text(
        "<html><head><title>Electrician - City Jobs</title><script>var x = 'Position Title';</script></head>"
        "<body><nav>Home | Jobs | Contact</nav><header><h1>Electrician</h1></header>"
        "<p>Most electricians learn through a <b>four-year</b> <a href='#'>apprenticeship</a>.</p>"
        "<h2>Pay</h2><table><tr><th>Median wage</th><td>$61,590</td></tr></table>"
        "<h3>Licensing</h3><ul><li>Most states require a license.</li><li>#1 rule: safety.</li></ul>"
        "<footer>© City</footer></body></html>",
        encoding="utf-8",
    )
    profile = read(page)
    assert profile.occupation == "Electrician"
    assert profile.section("Overview").text == "Most electricians learn through a four-year apprenticeship."
    assert profile.section("Pay").text == "Median wage $61,590"
    assert profile.section("Licensing").text == "Most states require a license.\n #1 rule: safety."
    text = " ".join(s.text for s in profile.sections)
    assert "Home" not in text and "var x" not in text and "©" not in text


def test_html_without_h1_takes_the_page_title(tmp_path):
    page = tmp_path / "chef.html"
    page.write_text(
        "<html><head><meta charset='latin-1'><title>Chef | Careers</title></head>"
        "<body><h2>Duties</h2><p>Chefs plan menus and run the kitchen; crème brûlée included.</p></body>",
        encoding="latin-1",
    )
    profile = read(page)
    assert profile.occupation == "Chef"
    assert profile.section("Duties").text == "Chefs plan menus and run the kitchen; crème brûlée included."


def test_docx_with_heading_1_as_title_and_a_table(tmp_path):
    import docx

    path = write_docx(tmp_path / "court.docx", COURT_REPORTER, title_style="Heading 1")
    document = docx.Document(path)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Median pay (2023)", "$63,560"
    document.save(path)
    profile = read(path)
    assert profile.occupation == "Court Reporter"
    assert [s.name for s in profile.sections] == list(COURT_REPORTER["sections"])
    assert profile.section("How to Become One").text.endswith("Median pay (2023) $63,560")


def test_docx_without_headings_takes_its_first_line_as_title(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Farmer")
    document.add_paragraph("Farmers grow crops and raise livestock.")
    document.save(tmp_path / "farmer.docx")
    profile = read(tmp_path / "farmer.docx")
    assert profile.occupation == "Farmer"
    assert profile.section("Overview").text == "Farmers grow crops and raise livestock."


def test_pdf_paragraphs_are_unwrapped_whatever_the_line_spacing(tmp_path):
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    double = ParagraphStyle("double", parent=styles["BodyText"], leading=28)
    text = WIND_TECH["sections"]["How to Become One"]
    story = [Paragraph("Wind Turbine Technician", styles["Title"]), Paragraph("Training", styles["Heading2"])]
    SimpleDocTemplate(str(tmp_path / "spaced.pdf")).build([*story, Paragraph(text, double)])
    assert read(tmp_path / "spaced.pdf").section("Training").text == text


def _pdf_bytes(**encrypt) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt(**encrypt)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_without_text_layer_says_so(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(_pdf_bytes())
    with pytest.raises(ProfileError, match="no text layer"):
        read(tmp_path / "scan.pdf")


def test_password_protected_pdf_says_so(tmp_path):
    (tmp_path / "locked.pdf").write_bytes(_pdf_bytes(user_password="secret", algorithm="RC4-128"))
    with pytest.raises(ProfileError, match="password"):
        read(tmp_path / "locked.pdf")


def test_damaged_pdf_and_docx_are_reported(tmp_path):
    (tmp_path / "garbage.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf\n%%EOF\n")
    with pytest.raises(ProfileError, match="the PDF can't be read"):
        read(tmp_path / "garbage.pdf")
    (tmp_path / "fake.docx").write_bytes(b"just text with a .docx name")
    with pytest.raises(ProfileError, match="not a readable Word document"):
        read(tmp_path / "fake.docx")


def test_unknown_format_is_named(tmp_path):
    (tmp_path / "welder.rtf").write_text("{\\rtf1 Welder}")
    with pytest.raises(ProfileError, match=r"\.rtf is not a format I read"):
        read(tmp_path / "welder.rtf")
