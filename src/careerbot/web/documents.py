"""The documents area: what is indexed, and uploads checked by content before `bot.add` saves them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from careerbot.bot import CareerBot, safe_file_name
from careerbot.documents import DOCUMENT_SUFFIXES
from careerbot.index import IndexReport

__all__ = ["FileResult", "add_uploads", "check_content", "profile_rows", "status_markdown"]

# The wording bot.add uses for the CLI, and the page's equivalent of --force.
_FORCE_HINT = ("use --force to replace it", "tick “Replace files with the same name” to replace it")


@dataclass(frozen=True)
class FileResult:
    file: str  # the name it was uploaded with
    result: str  # added, replaced, unchanged, refused or not indexed
    detail: str  # what was indexed, or why the file was refused
    saved: str | None = None  # the name it has in the corpus; None when it was not saved


def check_content(path: Path, *, max_bytes: int) -> str | None:
    """Why `path` can't be a document of its extension's type, or None when it can."""
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        accepted = ", ".join(sorted(DOCUMENT_SUFFIXES))
        return f"{suffix or 'a file without an extension'} is not a document type I read ({accepted})"
    size = path.stat().st_size
    if size > max_bytes:
        return f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit"
    if size == 0:
        return "the file is empty"
    check = _CONTENT_CHECKS.get(suffix, _is_text)
    return check(path)


def add_uploads(
    bot: CareerBot,
    paths: Sequence[str | Path],
    *,
    force: bool = False,
    progress: Callable[[float, str], None] = lambda fraction, message: None,
) -> tuple[list[FileResult], IndexReport | None]:
    """Check each upload, add the good ones with `bot.add` (it saves and indexes); say what became of each.

    Uploads are told apart by position and by the name they are saved under: two that would be
    saved under one name are a problem for the second, which is not saved.
    """
    paths = [Path(p) for p in paths]
    saved_as = [safe_file_name(path.name) for path in paths]
    reasons: list[str | None] = []
    first: dict[str, int] = {}  # saved name -> the upload that has it
    for n, path in enumerate(paths):
        progress(0.2 * n / len(paths), f"checking {path.name}")
        earlier = first.setdefault(saved_as[n], n)
        if earlier != n:
            reasons.append(
                f"it would be saved as {saved_as[n]}, like {paths[earlier].name} uploaded with it; "
                "rename one and add it again"
            )
        else:
            reasons.append(check_content(path, max_bytes=bot.settings.max_document_bytes))
    accepted = [n for n, reason in enumerate(reasons) if reason is None]
    before = {n: _in_corpus(bot, paths[n]) for n in accepted}

    report = None
    notes: list[list[str]] = [[] for _ in paths]  # what was left out of a file indexed all the same
    if accepted:
        progress(0.2, f"saving and indexing {len(accepted)} file{'s' if len(accepted) > 1 else ''}")
        report = bot.add([paths[n] for n in accepted], force=force)
        for problem in report.problems:  # refused by bot.add, saved but not indexable, or a note
            for n in accepted:  # saved names are unique among the accepted
                if problem.source in (saved_as[n], paths[n].name) and problem.indexed:
                    notes[n].append(problem.reason)
                elif problem.source in (saved_as[n], paths[n].name):
                    reasons[n] = problem.reason.replace(*_FORCE_HINT)

    indexed = {d.source: d for d in bot.documents()}
    results = []
    for n, path in enumerate(paths):
        saved, reason = saved_as[n], reasons[n]
        if reason and n in before and _in_corpus(bot, path) == "same":
            results.append(FileResult(path.name, "not indexed", f"saved as {saved}, but {reason}", saved))
        elif reason:
            results.append(FileResult(path.name, "refused", reason))
        elif saved not in indexed:  # e.g. a README, which the corpus reader never takes for a profile
            results.append(
                FileResult(path.name, "not indexed", f"saved as {saved}, which the index skips", saved)
            )
        else:
            result = {"same": "unchanged", "different": "replaced", None: "added"}[before[n]]
            document = indexed[saved]
            detail = f"{document.occupation}, {document.chunks} chunks (saved as {saved})"
            detail += "".join(f"; {note}" for note in notes[n])
            results.append(FileResult(path.name, result, detail, saved))
    progress(1.0, "done")
    return results, report


def status_markdown(bot: CareerBot) -> str:
    """Index status in one line: documents, chunks, model, last update."""
    status = bot.status()
    updated = (status.last_update or "never").replace("T", " ").replace("+00:00", " UTC")
    return (
        f"**{status.documents}** documents · **{status.chunks}** chunks · "
        f"model `{status.model}` · last update {updated}"
    )


def profile_rows(bot: CareerBot) -> list[list[str | int]]:
    """One row per indexed document: occupation, file, chunks."""
    return [[d.occupation, d.source, d.chunks] for d in bot.documents()]


def _in_corpus(bot: CareerBot, path: Path) -> str | None:
    """Whether the corpus holds a file of the name `path` is saved under: "same", "different" or None."""
    target = bot.settings.corpus / safe_file_name(path.name)
    if not target.is_file():
        return None
    return "same" if target.read_bytes() == path.read_bytes() else "different"


def _is_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\x00" in data:
        return "the file is binary, not text"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "the file is not UTF-8 text"
    return None


def _is_pdf(path: Path) -> str | None:
    with path.open("rb") as file:
        return None if file.read(5) == b"%PDF-" else "the file does not start like a PDF (%PDF-)"


def _is_docx(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" in archive.namelist():
                return None
    except zipfile.BadZipFile:
        pass
    return "the file is not a Word document (a zip holding word/document.xml)"


# Suffixes not listed here (text formats, and any the corpus reader learns later) must be text.
_CONTENT_CHECKS: dict[str, Callable[[Path], str | None]] = {".pdf": _is_pdf, ".docx": _is_docx}
