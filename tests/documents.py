"""Occupation documents built in code: an HTML page, a Word file and a PDF brochure."""

from __future__ import annotations

import html
from pathlib import Path

# A job the bundled corpus doesn't describe, so a citation can only come from the new document.
WIND_TECH = {
    "title": "Wind Turbine Technician",
    "sections": {
        "Alternate Titles": "Wind Technician, Windsmith, Wind Energy Technician",
        "Overview": (
            "Wind turbine technicians, also called windtechs, install, inspect, maintain and repair "
            "wind turbines. They climb towers to reach the nacelle, where they troubleshoot the "
            "generator, gearbox, blades and braking systems."
        ),
        "How to Become One": (
            "Most wind turbine technicians learn their trade at a technical school or community "
            "college, in a wind energy technology program that lasts from several months to two "
            "years. New technicians then receive about twelve months of on-the-job training from "
            "their employer. Many employers look for the Global Wind Organisation basic safety "
            "training certificate."
        ),
        "Pay": (
            "The median annual wage for wind turbine service technicians was $61,770 in May 2023, "
            "according to the U.S. Bureau of Labor Statistics."
        ),
    },
}

COURT_REPORTER = {
    "title": "Court Reporter",
    "sections": {
        "Alternate Titles": "Stenographer, Captioner, Realtime Reporter",
        "Job Description": (
            "Court reporters create word-for-word transcriptions at trials, depositions and other "
            "legal proceedings. Some provide live captioning of television programs for deaf or "
            "hard-of-hearing viewers."
        ),
        "How to Become One": (
            "Court reporters usually complete a stenography program at a community college or "
            "technical institute, and many states require a license or a certification such as "
            "the Registered Professional Reporter credential of the National Court Reporters "
            "Association."
        ),
    },
}


def write_html(path: Path, profile: dict, *, with_furniture: bool = True) -> Path:
    sections = "".join(
        f"<h2>{html.escape(name)}</h2><p>{html.escape(text)}</p>"
        for name, text in profile["sections"].items()
    )
    furniture = (
        '<nav><a href="/">Home</a> | <a href="/jobs">Jobs</a></nav><script>var tracking = 1;</script>'
        if with_furniture
        else ""
    )
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{profile['title']} | Careers</title>"
        f"<style>p {{ color: #333 }}</style></head><body>{furniture}<main>"
        f"<h1>{html.escape(profile['title'])}</h1>{sections}</main>"
        "<footer>© Careers Portal</footer></body></html>"
    )
    path.write_text(page, encoding="utf-8")
    return path


def write_docx(path: Path, profile: dict, *, title_style: str = "Title") -> Path:
    import docx

    document = docx.Document()
    document.add_heading(profile["title"], 0 if title_style == "Title" else 1)
    for name, text in profile["sections"].items():
        document.add_heading(name, 1 if title_style == "Title" else 2)
        document.add_paragraph(text)
    document.save(path)
    return path


def write_pdf(path: Path, profile: dict) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = [Paragraph(profile["title"], styles["Title"])]
    for name, text in profile["sections"].items():
        story += [Paragraph(name, styles["Heading2"]), Paragraph(text, styles["BodyText"])]
    SimpleDocTemplate(str(path), pagesize=letter, title=profile["title"]).build(story)
    return path


def write_tiny_paragraphs_docx(path: Path, paragraphs: int) -> Path:
    """A small .docx whose XML expands to `paragraphs` one-word paragraphs (a zip bomb of sorts)."""
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_heading("Tiny Paragraph Maker", 0)
    document.add_paragraph("PLACEHOLDER")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                many = "</w:t></w:r></w:p><w:p><w:r><w:t>".join(f"Step {n % 7}." for n in range(paragraphs))
                data = data.replace(b"PLACEHOLDER", many.encode())
            target.writestr(item, data)
    return path


def big_markdown(sections: int, *, title: str = "Bulk Profile Writer") -> str:
    """A Markdown profile of `sections` sections, each a few sentences (about 900 bytes apiece)."""
    body = (
        "Workers in this role check each batch against the written plan. They record what they find "
        "in a shared log, and they raise problems with the shift lead before the next run starts. "
    ) * 3
    return f"# {title}\n\n" + "".join(f"## Duty {n}\n\n{body}\n\n" for n in range(sections))
