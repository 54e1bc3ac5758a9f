"""Every file of the store damaged or missing: `doctor` names it, the next `careerbot index` (and
`--rebuild`, always) sets it aside and rebuilds a clean index, saying so in one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from careerbot import CareerBot, CareerBotError
from careerbot.cli import cli
from tests.conftest import SEED
from tests.documents import big_markdown


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not what the file should hold\n" * 50)


def _search_folder(store: Path) -> Path:
    return store / json.loads((store / "manifest.json").read_text())["search"]


# name -> (how to damage the store, the file doctor must name, what the repair line says)
DAMAGE = {
    "manifest truncated": (lambda s: _truncate(s / "manifest.json"), "manifest.json", "manifest.json"),
    "manifest empty": (lambda s: (s / "manifest.json").write_text(""), "manifest.json", "manifest.json"),
    "manifest wrong keys": (
        lambda s: (s / "manifest.json").write_text('{"modle": "x", "files": []}'),
        "manifest.json",
        "manifest.json",
    ),
    "manifest documents not a table": (
        lambda s: (s / "manifest.json").write_text('{"model": "hash", "dimension": 256, "documents": [1]}'),
        "manifest.json",
        "manifest.json",
    ),
    "records garbage": (lambda s: _garbage(s / "records.sqlite"), "records.sqlite", "records.sqlite"),
    "records truncated": (lambda s: _truncate(s / "records.sqlite"), "records.sqlite", "records"),
    "records missing": (
        lambda s: (s / "records.sqlite").unlink(),
        "records.sqlite is damaged (it is missing",
        "records.sqlite was missing",
    ),
    "chroma database garbage": (lambda s: _garbage(s / "chroma" / "chroma.sqlite3"), "chroma", "chroma"),
    "chroma folder missing": (
        lambda s: shutil.rmtree(s / "chroma"),
        "chroma.sqlite3 is damaged (it is missing",
        "chroma/chroma.sqlite3 was missing",
    ),
    "search table garbage": (lambda s: _garbage(_search_folder(s) / "table.json"), "search files", "search"),
    "search vectors garbage": (
        lambda s: _garbage(_search_folder(s) / "chunks.npy"),
        "search files",
        "search",
    ),
    "search folder missing": (lambda s: shutil.rmtree(_search_folder(s)), "search files", "search"),
    "lock is a folder": (
        lambda s: ((s / "index.lock").unlink(), (s / "index.lock").mkdir()),
        "index.lock",
        "index.lock",
    ),
}


@pytest.fixture
def built(seed_corpus, tmp_path) -> CareerBot:
    """A bot with a complete index of the seed and a second profile."""
    (seed_corpus / "welder.md").write_text(
        "# Welder\n\n## Duties\nWelders join metal parts with heat.\n\n"
        "## Pay\nWelders earn wages by the hour.\n",
        encoding="utf-8",
    )
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store", embedder="hash")
    report = bot.index()
    assert report.documents == 2 and not report.problems
    assert bot.doctor().healthy
    return bot


def _fresh(bot: CareerBot) -> CareerBot:
    """Another process: nothing cached from before the damage."""
    return CareerBot(settings=bot.settings)


@pytest.mark.parametrize("case", DAMAGE)
def test_doctor_names_the_damage_and_the_next_index_repairs_it(case, built, seed_corpus):
    damage, named, repaired = DAMAGE[case]
    corpus_before = {p: p.read_bytes() for p in seed_corpus.rglob("*") if p.is_file()}
    damage(built.settings.store)

    checkup = _fresh(built).doctor()
    assert not checkup.healthy and named in checkup.summary(), checkup.summary()

    report = _fresh(built).index()
    lines = [line for line in report.summary().splitlines() if line.startswith("repaired")]
    assert len(lines) == 1 and repaired in lines[0], report.summary()
    assert report.documents == 2 and not report.problems

    after = _fresh(built)
    assert after.doctor().healthy, after.doctor().summary()
    assert after.index().summary().count("repaired") == 0  # repaired once, then clean
    assert [p.source for p in after.retrieve("welder pay", k=2)][:1] == ["welder.md"] or after.retrieve(
        "welder"
    )
    assert {
        p: p.read_bytes() for p in seed_corpus.rglob("*") if p.is_file()
    } == corpus_before  # documents kept


@pytest.mark.parametrize("case", DAMAGE)
def test_rebuild_always_works(case, built):
    DAMAGE[case][0](built.settings.store)
    report = _fresh(built).index(rebuild=True)
    assert report.documents == 2 and not report.problems
    assert _fresh(built).doctor().healthy


def test_ask_after_a_truncated_manifest_repairs_and_answers(built):
    _truncate(built.settings.store / "manifest.json")
    answer = _fresh(built).ask("What do welders earn?")
    assert answer.citations


def test_the_cli_says_what_it_repaired(built):
    _truncate(built.settings.store / "manifest.json")
    options = ["--corpus", str(built.settings.corpus), "--store", str(built.settings.store)]
    env = {"CAREERBOT_EMBEDDER": "hash"}
    doctor = CliRunner().invoke(cli, ["doctor", *options], env=env)
    assert doctor.exit_code == 1 and "manifest.json is damaged" in doctor.output
    index = CliRunner().invoke(cli, ["index", *options], env=env)
    assert index.exit_code == 0, index.output
    assert "repaired: manifest.json was damaged" in index.output
    assert list(built.settings.store.glob("manifest.json.damaged-*"))  # set aside, not deleted
    assert SEED.name in {p.name for p in built.settings.corpus.iterdir()}


def _scrambled(path: Path) -> None:
    """Same size, every byte random: what a bad disk sector does."""
    path.write_bytes(np.random.default_rng(7).integers(0, 256, path.stat().st_size, dtype=np.uint8).tobytes())


@pytest.mark.parametrize(
    ("index_file", "damage"),
    [("header.bin", _garbage), ("data_level0.bin", _garbage), ("data_level0.bin", _scrambled)],
)
def test_damaged_chroma_vector_index_files_are_named_and_rebuilt(index_file, damage, seed_corpus, tmp_path):
    # Chroma writes its HNSW files once a collection passes its sync threshold (1,000 vectors); its
    # reader trusts them (a damaged one can crash the process), so they are checked before it runs.
    (seed_corpus / "big.md").write_text(big_markdown(1_100), encoding="utf-8")
    settings = {"embedder": "hash", "max_sections": 2_000, "max_chunks": 2_000}
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store", **settings)
    assert bot.index().documents == 2
    damage(next((tmp_path / "store" / "chroma").glob(f"*/{index_file}")))

    with pytest.raises(CareerBotError, match=r"chroma is damaged .*`careerbot index` sets it aside"):
        _fresh(bot).status()  # not a crash
    checkup = _fresh(bot).doctor()
    assert not checkup.healthy and "chroma is damaged (its vector index" in checkup.summary()
    assert index_file in checkup.summary()
    report = _fresh(bot).index()
    assert "repaired: chroma was damaged" in report.summary() and report.documents == 2
    assert _fresh(bot).doctor().healthy
