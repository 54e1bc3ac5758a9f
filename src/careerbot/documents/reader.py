"""Find the documents of a corpus and read each into a Profile, or say why it can't be."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from careerbot.documents.html import html_outline
from careerbot.documents.limits import Budget, ReadLimits
from careerbot.documents.office import docx_outline, pdf_text
from careerbot.profiles import Profile, ProfileError, parse_profile

__all__ = ["DOCUMENT_SUFFIXES", "find_documents", "read_profile", "source_name"]


def _plain_text(data: bytes, budget: Budget) -> str:
    if b"\x00" in data[:8192]:
        raise ProfileError("the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProfileError(f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None


def _html_text(data: bytes, budget: Budget) -> str:
    if b"\x00" in data[:8192]:
        raise ProfileError("the file is binary, not HTML")
    return html_outline(data, budget).markdown()


# Every format becomes text that careerbot.profiles parses: pipe table, Markdown or plain text.
_READERS: dict[str, Callable[[bytes, Budget], str]] = {
    ".txt": _plain_text,
    ".md": _plain_text,
    ".markdown": _plain_text,
    ".html": _html_text,
    ".htm": _html_text,
    ".docx": lambda data, budget: docx_outline(data, budget).markdown(),
    ".pdf": pdf_text,
}
DOCUMENT_SUFFIXES = frozenset(_READERS)


def find_documents(corpus: Path) -> list[Path]:
    """Profile documents under `corpus`, sorted; READMEs, hidden files and outside links skipped."""
    root = corpus.resolve()
    found = []
    for path in sorted(corpus.rglob("*")):
        relative = path.relative_to(corpus)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() not in DOCUMENT_SUFFIXES or path.stem.upper() == "README":
            continue
        # A link may point anywhere; only what really lives in the corpus is read.
        try:
            inside = path.resolve(strict=True).is_relative_to(root)
        except FileNotFoundError:  # a dangling link, or a file gone since it was listed
            continue
        except (RuntimeError, OSError):  # a link loop, a folder that can't be searched
            found.append(path)  # reading it says what is wrong: one problem, not a stopped run
            continue
        if inside and path.is_file():
            found.append(path)
    return found


def source_name(path: Path, corpus: Path) -> str:
    """The path a citation shows: relative to the corpus, with forward slashes."""
    return path.relative_to(corpus).as_posix()


def read_profile(
    path: Path, corpus: Path, *, max_bytes: int | None = None, budget: Budget | None = None
) -> Profile:
    """Read one document within its budget (by default the ReadLimits defaults, or `max_bytes`);
    raises ProfileError with a reason a person can act on."""
    if budget is None:
        budget = Budget(ReadLimits() if max_bytes is None else ReadLimits(max_bytes=max_bytes))
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(_READERS))
        raise ProfileError(f"{path.suffix or 'a file without extension'} is not a format I read ({known})")
    size = path.stat().st_size
    limit = budget.limits.max_bytes
    if size > limit:
        raise ProfileError(f"the file is {size:,} bytes, over the {limit:,}-byte limit")
    data = path.read_bytes()
    try:
        text = reader(data, budget)
    except ProfileError:
        raise
    except Exception as error:  # a damaged file can fail a library anywhere: a problem for that file only
        raise ProfileError(f"the file can't be read ({type(error).__name__}: {error})") from None
    budget.expanded(len(text))
    profile = parse_profile(text, source_name(path, corpus))
    budget.sections(len(profile.sections))
    budget.aliases(len(profile.aliases))
    return profile
