"""Turn document text into a Profile: the seed's pipe table, Markdown headings, or plain text."""

from __future__ import annotations

import re

from careerbot.profiles.profile import Profile, ProfileError, Section
from careerbot.text import inert

__all__ = ["find_aliases", "parse_profile", "profile_from_sections"]

TITLE_FIELD = "Position Title"
ALIAS_SECTION = re.compile(r"alternate title|also known as|other titles|job titles", re.I)

_SEPARATOR = re.compile(r"^\s*:?-{3,}:?\s*\|\s*:?-{3,}:?\s*\|?\s*$")
_ROW = re.compile(r"^(?P<field>[^|]+?)\s*\|(?P<rest>.*)$")
# "also called plant managers", "often called quality control systems managers"
_ALSO_CALLED = re.compile(
    r"\b(?:also|often|sometimes|commonly)\s+(?:called|known\s+as|referred\s+to\s+as)\s+"
    r"(?:an?\s+|the\s+)?(?P<names>[A-Za-z][A-Za-z\s\-/&']{2,80}?)"
    r"(?=\s*[,.;:()]|\s+(?:who|which|that|may|can|is|are|in|at|for|these|they)\b|\s*$)",
    re.I,
)


def parse_profile(text: str, source: str) -> Profile:
    """Parse a document's text, choosing the format from its content."""
    if not text.strip():
        raise ProfileError("the document is empty")
    if _is_pipe_table(text):
        return _from_pipe_table(text, source)
    if _first_line(text).startswith("# "):
        return _from_markdown(text, source)
    return _from_plain_text(text, source)


def profile_from_sections(title: str, sections: list[Section], source: str) -> Profile:
    """Build a profile from a title and sections, collecting aliases from the sections.

    Every profile is built here, so this is where document text becomes inert: no link, image or
    tag in a file can become active in an answer, a source block or a page that quotes it.
    """
    title = " ".join(inert(title).split())
    sections = [Section(inert(section.name).strip(), inert(section.text)) for section in sections]
    if not title:
        raise ProfileError("the document has no occupation title")
    aliases: list[str] = []
    for section in sections:
        if ALIAS_SECTION.search(section.name):
            aliases += re.split(r"\s*[,;\n]\s*", section.text)
        aliases += find_aliases(section.text)
    return Profile(
        occupation=title,
        source=source,
        sections=tuple(sections),
        aliases=_unique(aliases, exclude=title),
    )


def find_aliases(text: str) -> list[str]:
    """Names introduced by phrases like "also called X" or "often called X or Y"."""
    names: list[str] = []
    for match in _ALSO_CALLED.finditer(text):
        names += re.split(r"\s+or\s+|\s*,\s*", match["names"])
    return names


def _from_pipe_table(text: str, source: str) -> Profile:
    title = ""
    sections: list[Section] = []
    for field, value in _pipe_rows(text):
        if field.casefold() == TITLE_FIELD.casefold():
            title = value
        else:
            sections.append(Section(field, value))
    return profile_from_sections(title, sections, source)


def _pipe_rows(text: str) -> list[tuple[str, str]]:
    """`Field | value |` rows; a `Field |` row takes the following lines until one ends in `|`."""
    rows: list[tuple[str, list[str]]] = []
    open_row: list[str] | None = None  # lines of a multi-line value still being read
    for line in text.splitlines():
        stripped = line.strip()
        if open_row is not None:
            if stripped.endswith("|") and not open_row and _is_bare_header(stripped):
                # The previous multi-line value was empty; this line opens the next one.
                rows.append((stripped[:-1].strip(), []))
                open_row = rows[-1][1]
                continue
            if stripped.endswith("|"):
                open_row.append(stripped[:-1].rstrip())
                open_row = None
            elif stripped:
                open_row.append(stripped)
            continue
        if not stripped or _SEPARATOR.match(stripped):
            continue
        row = _ROW.match(stripped)
        if row is None:
            if rows:  # stray text after a row belongs to it
                rows[-1][1].append(stripped)
            continue
        rest = row["rest"].strip()
        if rest:
            value = rest[:-1].strip() if rest.endswith("|") else rest
            rows.append((row["field"], [value] if value else []))
        else:
            rows.append((row["field"], []))
            open_row = rows[-1][1]
    return [(field.strip(), "\n".join(lines).strip()) for field, lines in rows]


def _is_bare_header(line: str) -> bool:
    body = line[:-1].strip()
    return 0 < len(body) <= 60 and "|" not in body and not body.endswith((".", "!", "?"))


def _is_pipe_table(text: str) -> bool:
    head = [line for line in text.splitlines()[:6] if line.strip()]
    return any(_SEPARATOR.match(line) for line in head) or (
        bool(head) and head[0].strip().casefold().startswith(TITLE_FIELD.casefold())
    )


def _from_markdown(text: str, source: str) -> Profile:
    title = ""
    sections: list[Section] = []
    name, lines = "Overview", []
    for line in text.splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if heading and len(heading[1]) == 1 and not title:
            title = heading[2]
        elif heading:
            _close_section(sections, name, lines)
            name, lines = heading[2], []
        else:
            lines.append(line)
    _close_section(sections, name, lines)
    return profile_from_sections(title, sections, source)


def _from_plain_text(text: str, source: str) -> Profile:
    """Title from the first line; short unpunctuated lines (or `Heading:`) start sections."""
    title, *body = text.strip().splitlines()
    sections: list[Section] = []
    name, lines = "Overview", []
    for line in body:
        stripped = line.strip()
        if _looks_like_heading(stripped):
            _close_section(sections, name, lines)
            name, lines = stripped.rstrip(":"), []
        else:
            lines.append(line)
    _close_section(sections, name, lines)
    return profile_from_sections(title.strip().lstrip("#").strip(), sections, source)


def _looks_like_heading(line: str) -> bool:
    words = line.rstrip(":").split()
    return (
        0 < len(words) <= 6
        and line[0].isupper()
        and not line.endswith((".", "!", "?", ","))
        and ("," not in line)
    )


def _close_section(sections: list[Section], name: str, lines: list[str]) -> None:
    text = "\n".join(lines).strip()
    if text or name != "Overview":
        sections.append(Section(name.strip(), text))


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _unique(names: list[str], *, exclude: str) -> tuple[str, ...]:
    seen = {exclude.casefold()}
    kept = []
    for name in names:
        name = " ".join(name.split()).strip(" .;:-")
        if name and name.casefold() not in seen and len(name) <= 80:
            seen.add(name.casefold())
            kept.append(name)
    return tuple(kept)
