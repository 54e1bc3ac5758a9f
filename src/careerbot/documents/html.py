"""HTML pages as an outline: the first h1 (or the page title) names the occupation, h2/h3 start sections."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag

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
    titles = [t for t in soup.find_all("title") if t.find_parent(_FURNITURE) is None]
    page_title = _TITLE_SUFFIX.sub("", titles[0].get_text(" ", strip=True)) if titles else ""
    main_heading: list[str] = []  # the first h1's text, once the walk has met it
    text = "".join(_pieces(soup, main_heading, skip=titles[:1]))
    budget.expanded(len(text))
    outline = Outline(main_heading[0] if main_heading else page_title)
    for line in text.splitlines():
        if line.startswith(Outline.HEADING):
            outline.add(line.removeprefix(Outline.HEADING), heading=True)
        else:
            outline.add(line)
    return outline


def _pieces(soup: BeautifulSoup, main_heading: list[str], *, skip: list[Tag]) -> Iterator[str]:
    """The page's text in document order, a line break around each block and a marked line per
    heading; page furniture left out. One pass with a stack: BeautifulSoup's insert and decompose
    search the parent's children each time, which made a page of many paragraphs take minutes."""
    furniture, blocks, skipped = set(_FURNITURE), set(_BLOCKS), {id(tag) for tag in skip}
    stack: list[PageElement | str] = [soup]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            yield node  # a separator pushed below
        elif isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):  # not comments, doctypes, scripts
                yield str(node)
        elif isinstance(node, Tag) and node.name not in furniture and id(node) not in skipped:
            if node.name in _SECTION_HEADINGS:
                text = node.get_text(" ", strip=True)
                if node.name == "h1" and not main_heading:
                    main_heading.append(text)
                else:
                    yield f"\n{Outline.HEADING}{text}\n"
                continue
            after = "\n" if node.name in blocks else " " if node.name in ("td", "th") else ""
            if after:
                stack.append(after)
            stack.extend(reversed(node.contents))
            if after == "\n":
                yield "\n"
