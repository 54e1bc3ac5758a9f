"""Files that can't be read: a link loop, a file without read permission, a file that vanishes
while indexing. Each is one problem line; the rest of the corpus indexes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from careerbot.index import indexer

WELDER = "# Welder\n\n## Duties\nWelders join metal parts with heat.\n"


def test_a_link_loop_is_one_problem_and_the_rest_indexes(fake_bot, seed_corpus):
    (seed_corpus / "loop.txt").symlink_to(seed_corpus / "loop.txt")
    (seed_corpus / "welder.md").write_text(WELDER, encoding="utf-8")
    report = fake_bot.index()
    assert report.documents == 2
    assert [(p.source, p.reason) for p in report.problems] == [
        ("loop.txt", "the file is a link that leads back to itself (a link loop)")
    ]
    assert fake_bot.add([seed_corpus / "loop.txt"]).problems[0].reason.endswith("(a link loop)")


def test_an_unreadable_file_is_one_problem_and_the_rest_indexes(fake_bot, seed_corpus, monkeypatch):
    locked = seed_corpus / "locked.md"
    locked.write_text(WELDER, encoding="utf-8")
    if os.geteuid() == 0:  # permissions don't stop root: refuse the read at the same call instead
        real = Path.read_bytes
        monkeypatch.setattr(
            Path, "read_bytes", lambda self: _denied(self) if self.name == "locked.md" else real(self)
        )
    else:
        locked.chmod(0)
    report = fake_bot.index()
    assert report.documents == 1
    assert [(p.source, p.reason) for p in report.problems] == [
        ("locked.md", "the file can't be read (permission denied)")
    ]
    assert locked.exists()


def _denied(path: Path) -> bytes:
    raise PermissionError(13, "Permission denied", str(path))


@pytest.mark.parametrize("indexed_before", [False, True])
def test_a_file_that_vanishes_mid_run_is_one_problem(indexed_before, fake_bot, seed_corpus, monkeypatch):
    gone = seed_corpus / "welder.md"
    gone.write_text(WELDER, encoding="utf-8")
    if indexed_before:
        fake_bot.index()
        gone.write_text(WELDER + "Most learn at a technical school.\n", encoding="utf-8")
    listed = indexer.find_documents

    def find_then_delete(corpus: Path) -> list[Path]:
        found = listed(corpus)
        gone.unlink()  # removed after the corpus was listed, before it is read
        return found

    monkeypatch.setattr(indexer, "find_documents", find_then_delete)
    report = fake_bot.index()
    [problem] = report.problems
    assert problem.source == "welder.md" and problem.reason.startswith(
        "the file vanished while it was being read"
    )
    assert report.documents == (2 if indexed_before else 1)  # the last indexed version is kept
