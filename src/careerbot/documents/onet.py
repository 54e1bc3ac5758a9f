"""Import the O*NET database text release: one pipe-table profile per occupation, ready to index.

The release is a folder (or its zip) of tab-separated files with header rows. Only
`Occupation Data.txt` is required; the other files named below enrich the profiles when present.
"""

from __future__ import annotations

import csv
import re
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from careerbot.documents.reader import find_documents, read_profile
from careerbot.errors import CareerBotError
from careerbot.profiles import ProfileError, occupation_key

__all__ = ["ImportReport", "import_onet", "onet_profile"]

OCCUPATIONS = "Occupation Data.txt"
ALTERNATE_TITLES = "Alternate Titles.txt"
TASKS = "Task Statements.txt"
JOB_ZONES = "Job Zones.txt"
EDUCATION = "Education, Training, and Experience.txt"
SKILLS = "Skills.txt"
RELATED = "Related Occupations.txt"

MAX_TITLES = 12
MAX_TASKS = 12
MAX_SKILLS = 8
MAX_RELATED = 10

ONLINE = "https://www.onetonline.org/link/summary/"
LICENCE = (
    "Source: the O*NET database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA), used under the CC BY 4.0 licence."
)
# O*NET's categories of required education (scale RL) and its five job zones.
EDUCATION_LEVELS = {
    "1": "less than a high school diploma",
    "2": "a high school diploma or equivalent",
    "3": "a post-secondary certificate",
    "4": "some college courses",
    "5": "an associate's degree",
    "6": "a bachelor's degree",
    "7": "a post-baccalaureate certificate",
    "8": "a master's degree",
    "9": "a post-master's certificate",
    "10": "a first professional degree",
    "11": "a doctoral degree",
    "12": "post-doctoral training",
}
JOB_ZONE_NAMES = {
    "1": "little or no preparation needed",
    "2": "some preparation needed",
    "3": "medium preparation needed",
    "4": "considerable preparation needed",
    "5": "extensive preparation needed",
}

Rows = list[dict[str, str]]


@dataclass
class ImportReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"wrote {len(self.written)} profiles, {self.unchanged} unchanged, "
            f"{len(self.conflicts)} not written, in {self.seconds:.1f} s"
        ]
        lines += [f"not written {name}: {reason}" for name, reason in self.conflicts]
        return "\n".join(lines)


def import_onet(release: Path, out: Path, *, max_document_bytes: int) -> ImportReport:
    """Write a profile per occupation of `release` (its folder, its zip, or Occupation Data.txt)
    into `out`. An existing file with other content is reported and kept; so is an occupation that
    a document in `out` already describes (the index takes one document per occupation)."""
    started = time.perf_counter()
    tables = _read_release(release)
    by_code = {name: _by_code(rows) for name, rows in tables.items() if name != OCCUPATIONS}
    titles = {row["O*NET-SOC Code"]: row["Title"] for row in tables[OCCUPATIONS]}
    described = _described(out, max_document_bytes)

    report = ImportReport()
    out.mkdir(parents=True, exist_ok=True)
    for occupation in tables[OCCUPATIONS]:
        code, title = occupation["O*NET-SOC Code"], occupation["Title"]
        path = out / f"{code}-{_slug(title)}.txt"
        owner = described.get(occupation_key(title), path.name)
        if owner != path.name:
            report.conflicts.append((path.name, f"{title} is already described by {owner}"))
            continue
        extras = {name: rows.get(code, []) for name, rows in by_code.items()}
        text = onet_profile(occupation, extras, titles)
        if path.exists():
            if path.read_text(encoding="utf-8", errors="replace") == text:
                report.unchanged += 1
            else:
                report.conflicts.append((path.name, f"a different file of this name is already in {out}"))
            continue
        path.write_text(text, encoding="utf-8")
        report.written.append(path.name)
    report.seconds = time.perf_counter() - started
    return report


def onet_profile(occupation: dict[str, str], extras: dict[str, Rows], titles: dict[str, str]) -> str:
    """One occupation in the seed's pipe-table format; `extras` holds its rows of the other files."""
    code, title = occupation["O*NET-SOC Code"], occupation["Title"]
    education, education_text = _education(extras.get(EDUCATION, []), extras.get(JOB_ZONES, []))
    rows = [
        ("Position Title", title),
        ("Alternate Title(s)", "; ".join(_alternate_titles(extras.get(ALTERNATE_TITLES, []), title))),
        ("O*NET-SOC Code", code),
        ("Education & Training Level", education),
        ("Education & Training Level Description", education_text),
        ("Brief job description", occupation["Description"]),
        ("Job Profile", "\n".join(_tasks(extras.get(TASKS, [])))),
        ("Job Skills", _skills(extras.get(SKILLS, []))),
        ("Related Occupations", "; ".join(_related(extras.get(RELATED, []), titles))),
        ("Resources", f"O*NET OnLine, occupation {code}: {ONLINE}{code}. {LICENCE}"),
    ]
    return _pipe_table(rows)


# -- reading the release ------------------------------------------------------------------
def _read_release(path: Path) -> dict[str, Rows]:
    """The release's tables by file name; only the required one must be there."""
    wanted = [OCCUPATIONS, ALTERNATE_TITLES, TASKS, JOB_ZONES, EDUCATION, SKILLS, RELATED]
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = {Path(name).name: name for name in archive.namelist()}
            found = {name: archive.read(members[name]) for name in wanted if name in members}
    else:
        folder = path.parent if path.is_file() else path
        found = {name: (folder / name).read_bytes() for name in wanted if (folder / name).is_file()}
    if OCCUPATIONS not in found:
        raise CareerBotError(
            f"{path} has no {OCCUPATIONS!r}: give the folder or zip of the O*NET text release"
        )
    tables = {name: _table(name, data) for name, data in found.items()}
    _require_columns(OCCUPATIONS, tables[OCCUPATIONS], ["O*NET-SOC Code", "Title", "Description"])
    return tables


def _table(name: str, data: bytes) -> Rows:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CareerBotError(f"{name} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    # Tabs separate the fields and quotes are ordinary characters in O*NET's text files.
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]


def _require_columns(name: str, rows: Rows, columns: list[str]) -> None:
    missing = [c for c in columns if rows and c not in rows[0]]
    if not rows or missing:
        raise CareerBotError(f"{name} has no rows or lacks the columns {missing}: is it an O*NET text file?")


def _described(folder: Path, max_document_bytes: int) -> dict[str, str]:
    """Occupation key -> the document of `folder` that describes it (unreadable ones don't count)."""
    if not folder.is_dir():
        return {}
    described: dict[str, str] = {}
    for path in find_documents(folder):
        try:
            profile = read_profile(path, folder, max_bytes=max_document_bytes)
        except (ProfileError, OSError):
            continue
        described.setdefault(occupation_key(profile.occupation), profile.source)
    return described


def _by_code(rows: Rows) -> dict[str, Rows]:
    grouped: dict[str, Rows] = defaultdict(list)
    for row in rows:
        grouped[row.get("O*NET-SOC Code", "")].append(row)
    return grouped


# -- the sections --------------------------------------------------------------------------
def _alternate_titles(rows: Rows, title: str) -> list[str]:
    """The titles most sources report first, with their short forms (CEO, RN)."""
    ranked = sorted(rows, key=lambda r: -len([s for s in r.get("Source(s)", "").split(",") if s.strip()]))
    names = (name for row in ranked for name in (row.get("Alternate Title", ""), row.get("Short Title", "")))
    return _first_unique(names, MAX_TITLES, exclude=title)


def _education(education: Rows, zones: Rows) -> tuple[str, str]:
    """The level most workers report as required, with the shares, and the O*NET job zone."""
    shares = sorted(
        (
            (float(row["Data Value"]), EDUCATION_LEVELS[row["Category"]])
            for row in education
            if row.get("Scale ID") == "RL" and row.get("Category") in EDUCATION_LEVELS and _number(row)
        ),
        reverse=True,
    )
    zone = next((z["Job Zone"] for z in zones if z.get("Job Zone") in JOB_ZONE_NAMES), None)
    sentences, level = [], ""
    if shares:
        (share, most), *others = [(s, lv) for s, lv in shares[:2] if s >= 10] or shares[:1]
        also = "".join(f", and {s:.0f}% {lv}" for s, lv in others)
        sentences.append(f"In O*NET's survey of workers, {share:.0f}% said this job requires {most}{also}.")
        level = _capitalised(shares[0][1].removeprefix("a ").removeprefix("an "))
    if zone:
        sentences.append(f"O*NET places it in Job Zone {zone} of 5: {JOB_ZONE_NAMES[zone]}.")
        level = level or f"Job Zone {zone}: {JOB_ZONE_NAMES[zone]}"
    return level, " ".join(sentences)


def _tasks(rows: Rows) -> list[str]:
    core = [r["Task"] for r in rows if r.get("Task") and r.get("Task Type") != "Supplemental"]
    supplemental = [r["Task"] for r in rows if r.get("Task") and r.get("Task Type") == "Supplemental"]
    return _first_unique(core + supplemental, MAX_TASKS)


def _skills(rows: Rows) -> str:
    rated = [
        (float(r["Data Value"]), r["Element Name"])
        for r in rows
        if r.get("Scale ID") == "IM"
        and "Y" not in (r.get("Recommend Suppress"), r.get("Not Relevant"))
        and _number(r)
    ]
    names = [name for _, name in sorted(rated, key=lambda pair: -pair[0])[:MAX_SKILLS]]
    return f"The skills O*NET rates most important for this job: {', '.join(names)}." if names else ""


def _related(rows: Rows, titles: dict[str, str]) -> list[str]:
    ranked = sorted(rows, key=lambda r: int(r["Index"]) if r.get("Index", "").isdigit() else 999)
    names = (r.get("Related Title") or titles.get(r.get("Related O*NET-SOC Code", ""), "") for r in ranked)
    return _first_unique(names, MAX_RELATED)


# -- writing -------------------------------------------------------------------------------
def _pipe_table(rows: list[tuple[str, str]]) -> str:
    """`Field | value |` rows; a value of several lines opens with `Field |`, its last line ends in `|`."""
    out = []
    for name, value in rows:
        # A pipe would end the value early, so none may appear inside one.
        lines = [" ".join(line.replace("|", "/").split()) for line in value.splitlines()]
        lines = [line for line in lines if line]
        if len(lines) == 1:
            out.append(f"{name} | {lines[0]} |")
        elif lines:
            out += [f"{name} |", *lines[:-1], f"{lines[-1]} |"]
        if name == "Position Title":
            out.append("---|---|")
    return "\n".join(out) + "\n"


def _first_unique(names: Iterable[str], limit: int, *, exclude: str = "") -> list[str]:
    seen = {exclude.casefold()}
    kept = []
    for name in names:
        if name and name.casefold() not in seen and len(kept) < limit:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _number(row: dict[str, str]) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", row.get("Data Value", "")))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
