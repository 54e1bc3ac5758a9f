"""Word (.docx) and PDF documents: python-docx and pypdf, the libraries behind LangChain's loaders."""

from __future__ import annotations

import io
import re
import zipfile

from careerbot.documents.limits import Budget
from careerbot.documents.outline import Outline
from careerbot.profiles import ProfileError

__all__ = ["docx_outline", "pdf_text"]

_HEADING_STYLE = re.compile(r"^(?:Title|Heading ([1-3]))$")


def docx_outline(data: bytes, budget: Budget) -> Outline:
    """Paragraphs and table rows in document order; the Title style (else the first Heading 1) is
    the title, Heading 1-3 start sections."""
    import docx
    from docx.text.paragraph import Paragraph

    # A few kilobytes of zip can hold megabytes of XML: measured before anything is unpacked (a
    # zip entry never yields more than the size it declares).
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            budget.expanded(sum(item.file_size for item in archive.infolist()), "its XML runs to", "bytes")
    except zipfile.BadZipFile as error:
        raise ProfileError(f"the file is not a readable Word document ({_reason(error)})") from None
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except Exception as error:  # damaged files raise zip, XML and key errors alike
        raise ProfileError(f"the file is not a readable Word document ({_reason(error)})") from None

    # python-docx looks a paragraph's style up among all the document's styles on every access
    # (about 3 ms each): once per style id instead, or 200,000 paragraphs take minutes.
    names: dict[str | None, str] = {}

    def style(paragraph: Paragraph) -> str:
        style_id = paragraph._p.style
        if style_id not in names:
            found = paragraph.style
            names[style_id] = found.name if found is not None and found.name else ""
        return names[style_id]

    texts = {}  # each paragraph's text, read once (python-docx runs XPath queries for it)
    for n, block in enumerate(blocks):
        if n % 1000 == 0:
            budget.check()
        if isinstance(block, Paragraph):
            texts[n] = block.text
    paragraphs = [n for n, text in texts.items() if text.strip()]
    title = next((n for n in paragraphs if style(blocks[n]) == "Title"), None)
    if title is None:
        title = next((n for n in paragraphs if style(blocks[n]) == "Heading 1"), None)

    outline = Outline(texts[title] if title is not None else "")
    for n, block in enumerate(blocks):
        if n % 1000 == 0:
            budget.check()
        if not isinstance(block, Paragraph):  # a table: one line per row, merged cells once
            for row in block.rows:
                outline.add(" ".join(dict.fromkeys(cell.text.strip() for cell in row.cells)))
        elif n != title:
            outline.add(texts[n], heading=bool(_HEADING_STYLE.match(style(block))))
    return outline


def pdf_text(data: bytes, budget: Budget) -> str:
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
        pages, size = [], 0
        for page in reader.pages:
            pages.append(page.extract_text())
            size += len(pages[-1])
            budget.expanded(size)
    except ProfileError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on damaged files
        raise ProfileError(f"the PDF can't be read ({_reason(error)})") from None
    lines = [" ".join(line.split()) for page in pages for line in page.splitlines()]
    budget.check()
    lines = [line for line in lines if line]
    if not lines:
        raise ProfileError("the PDF has no text layer (a scan?); run it through OCR first")
    return "\n".join(_unwrap(lines))


def _unwrap(lines: list[str]) -> list[str]:
    """Paragraphs from the page's lines: a nearly full-width line that doesn't end a sentence was
    wrapped, so the next line continues it (after a hyphen, without a space)."""
    full_width = max(0.7 * max(map(len, lines)), 40)
    paragraphs: list[list[str]] = []  # joined once at the end: growing one string is quadratic
    wrapped = False
    for line in lines:
        if wrapped:
            paragraphs[-1].append(line if paragraphs[-1][-1].endswith("-") else f" {line}")
        else:
            paragraphs.append([line])
        wrapped = len(line) >= full_width and not line.endswith((".", "!", "?", ":", ";"))
    return ["".join(parts) for parts in paragraphs]


def _reason(error: Exception) -> str:
    return str(error) or type(error).__name__
