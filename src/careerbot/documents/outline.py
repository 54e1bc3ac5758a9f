"""A document reduced to a title and lines, some of them headings, written as Markdown for the one parser."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Outline"]


@dataclass
class Outline:
    title: str = ""
    lines: list[tuple[str, bool]] = field(default_factory=list)  # (text, is a heading)

    # Marks a heading inside extracted text; a private-use character no document contains.
    HEADING = "\ue000"

    def add(self, text: str, *, heading: bool = False) -> None:
        text = " ".join(text.split())
        if text:
            self.lines.append((text, heading))

    def markdown(self) -> str:
        """`# title` and `## heading` lines; without a title, the first line is the title."""
        lines = list(self.lines)
        title = " ".join(self.title.split())
        if not title and lines:
            title = lines.pop(0)[0]
        if not title:
            return ""
        body = [f"## {text}" if heading else _escaped(text) for text, heading in lines]
        return "\n".join([f"# {title}", *body])


def _escaped(text: str) -> str:
    """A line of text that starts with # must not read as a heading."""
    return f" {text}" if text.startswith("#") else text
