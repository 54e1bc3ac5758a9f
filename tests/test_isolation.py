"""Tests never touch the project's own corpus/ and vectorstore/: each has its own folder and settings,
and a run that changes them fails."""

from __future__ import annotations

import os
from pathlib import Path

from careerbot import CareerBot
from tests.conftest import CORPUS, PROJECT, SHIPPED, SHIPPED_DOCUMENTS


def test_each_test_has_its_own_working_folder_and_settings():
    bot = CareerBot(embedder="hash")
    assert Path.cwd() != PROJECT and not Path.cwd().is_relative_to(PROJECT)
    for folder in (bot.settings.corpus, bot.settings.store):
        assert not folder.resolve().is_relative_to(PROJECT), folder
    assert os.environ["CAREERBOT_STORE"] == str(bot.settings.store)


def test_shipped_corpus_is_what_git_tracks_not_what_the_folder_holds():
    assert SHIPPED and all(path.is_relative_to(CORPUS) for path in SHIPPED)
    assert CORPUS / "README.md" in SHIPPED and CORPUS / "README.md" not in SHIPPED_DOCUMENTS
    assert len(SHIPPED_DOCUMENTS) >= 40


GUARDED_RUN = """
from pathlib import Path

def test_writes_into_the_project():
    (Path(__file__).parent / "vectorstore" / "chroma.sqlite3").write_text("oops")

def test_harmless():
    assert True
"""


def test_a_run_that_changes_the_projects_index_fails(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(PROJECT))  # the inner run loads tests/guard.py
    for folder in ("corpus", "vectorstore"):
        (pytester.path / folder).mkdir()
    (pytester.path / "corpus" / "welder.md").write_text("# Welder\n")
    pytester.makepyfile(test_guarded=GUARDED_RUN)
    result = pytester.runpytest_subprocess("-p", "tests.guard", "-p", "no:cacheprovider")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["*the test run changed the project's own files*", "*added vectorstore/chroma.sqlite3*"]
    )
    result.assert_outcomes(passed=2)


def test_a_run_that_leaves_them_alone_passes(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(PROJECT))
    (pytester.path / "corpus").mkdir()
    (pytester.path / "corpus" / "welder.md").write_text("# Welder\n")
    pytester.makepyfile(test_harmless="def test_reads():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "tests.guard", "-p", "no:cacheprovider")
    assert result.ret == 0
    assert "changed the project's own files" not in result.stdout.str()
