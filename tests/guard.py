"""A pytest plugin: a test run that changes the project's own corpus/ or vectorstore/ fails.

Tests work in folders of their own (conftest's autouse fixture); this is the check that they did.
"""

from __future__ import annotations

from pathlib import Path

import pytest

__all__ = ["GUARDED", "changes", "snapshot"]

GUARDED = ("corpus", "vectorstore")
_BEFORE = pytest.StashKey[dict[str, tuple[int, int]]]()


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under the guarded folders of `root`."""
    found = {}
    for name in GUARDED:
        for path in sorted((root / name).rglob("*")):
            try:
                if path.is_file():
                    stat = path.stat()
                    found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
            except FileNotFoundError:  # removed while we looked: the comparison will say so
                continue
    return found


def changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """One line per file added, removed or changed."""
    lines = [f"added {name}" for name in sorted(after.keys() - before.keys())]
    lines += [f"removed {name}" for name in sorted(before.keys() - after.keys())]
    lines += [
        f"changed {name}" for name in sorted(before.keys() & after.keys()) if before[name] != after[name]
    ]
    return lines


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = snapshot(session.config.rootpath)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    before = session.config.stash.get(_BEFORE, None)
    if before is None:
        return
    changed = changes(before, snapshot(session.config.rootpath))
    if not changed:
        return
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "the test run changed the project's own files", red=True)
        reporter.write_line(
            f"Tests must use folders of their own, never {' or '.join(f'{g}/' for g in GUARDED)} "
            "(a careerbot app running on this checkout meanwhile also changes them):"
        )
        for line in changed[:20]:
            reporter.write_line(f"  {line}")
        if len(changed) > 20:
            reporter.write_line(f"  ... and {len(changed) - 20} more")
