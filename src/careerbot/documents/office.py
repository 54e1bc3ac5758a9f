"""Word (.docx) and PDF documents: python-docx and pypdf, the libraries behind LangChain's loaders."""

from __future__ import annotations

import io
import re

from careerbot.documents.outline import Outline
from careerbot.profiles import ProfileError

__all__ = ["docx_outline", "pdf_text"]

_HEADING_STYLE = re.compile(r"^(?:Title|Heading ([1-3]))$")


def docx_outline(data: bytes) -> Outline:
    """Paragraphs and table rows in document order; the Title style (else the first Heading 1) is
    the title, Heading 1-3 start sections."""
    import docx
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except Exception as error:  # damaged files raise zip, XML and key errors alike
        raise ProfileError(f"the file is not a readable Word document ({_reason(error)})") from None

    def style(paragraph: Paragraph) -> str:
        return paragraph.style.name if paragraph.style is not None else ""

    paragraphs = [b for b in blocks if isinstance(b, Paragraph) and b.text.strip()]
    title = next((p for p in paragraphs if style(p) == "Title"), None)
    if title is None:
        title = next((p for p in paragraphs if style(p) == "Heading 1"), None)

    outline = Outline(title.text if title is not None else "")
    for block in blocks:
        if not isinstance(block, Paragraph):  # a table: one line per row, merged cells once
            for row in block.rows:
                outline.add(" ".join(dict.fromkeys(cell.text.strip() for cell in row.cells)))
        elif block is not title:
            outline.add(block.text, heading=bool(_HEADING_STYLE.match(style(block))))
    return outline


def pdf_text(data: bytes) -> str:
    """The PDF's text, one paragraph per line. PDFs have no headings, so the plain-text rules apply:
    the first line is the title, short lines start sections."""
    from pypdf import PdfReader

    # Checked first: pypdf would try to repair a cut-off file and index half of it.
    if b"%%EOF" not in data.rstrip()[-1024:]:
        raise ProfileError("the PDF is truncated (its end-of-file marker is missing); copy it again")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ProfileError("the PDF is password-protected; save a copy without a password")
        pages = [page.extract_text() for page in reader.pages]
    except ProfileError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on damaged files
        raise ProfileError(f"the PDF can't be read ({_reason(error)})") from None
    lines = [" ".join(line.split()) for page in pages for line in page.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ProfileError("the PDF has no text layer (a scan?); run it through OCR first")
    return "\n".join(_unwrap(lines))


def _unwrap(lines: list[str]) -> list[str]:
    """Paragraphs from the page's lines: a nearly full-width line that doesn't end a sentence was
    wrapped, so the next line continues it (after a hyphen, without a space)."""
    full_width = max(0.7 * max(map(len, lines)), 40)
    paragraphs: list[str] = []
    wrapped = False
    for line in lines:
        if wrapped:
            paragraphs[-1] += line if paragraphs[-1].endswith("-") else f" {line}"
        else:
            paragraphs.append(line)
        wrapped = len(line) >= full_width and not line.endswith((".", "!", "?", ":", ";"))
    return paragraphs


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__
