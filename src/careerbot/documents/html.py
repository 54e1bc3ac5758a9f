"""HTML pages as an outline: the first h1 (or the page title) names the occupation, h2/h3 start sections."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from careerbot.documents.limits import Budget
from careerbot.documents.outline import Outline

__all__ = ["html_outline"]

# Page furniture, never part of what a page says about an occupation.
_FURNITURE = ["script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "button"]
# Elements that end a line of text; inline ones (b, a, span...) stay inside their sentence.
_BLOCKS = (
    "address article blockquote br dd div dl dt figcaption figure h4 h5 h6 hr li main ol p pre"
    " section table tr ul".split()
)
_SECTION_HEADINGS = ["h1", "h2", "h3"]
# "Welder | Careers | ACME" -> "Welder"
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+.*$")


def html_outline(data: bytes, budget: Budget) -> Outline:
    """The page's title and its lines of text, headings marked; encoding read from the page itself."""
    soup = BeautifulSoup(data, "html.parser")
    budget.check()
    for tag in soup(_FURNITURE):
        tag.decompose()
    page_title = _TITLE_SUFFIX.sub("", soup.title.get_text(" ", strip=True)) if soup.title else ""
    if soup.title:
        soup.title.decompose()

    main_heading = soup.find("h1")
    title = main_heading.get_text(" ", strip=True) if main_heading else page_title
    if main_heading:
        main_heading.decompose()
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" ")

    outline = Outline(title)
    for heading in soup.find_all(_SECTION_HEADINGS):
        heading.replace_with(f"\n{Outline.HEADING}{heading.get_text(' ', strip=True)}\n")
    text = soup.get_text()
    budget.expanded(len(text))
    for line in text.splitlines():
        if line.startswith(Outline.HEADING):
            outline.add(line.removeprefix(Outline.HEADING), heading=True)
        else:
            outline.add(line)
    return outline
