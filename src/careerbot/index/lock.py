"""The write lock: one process at a time changes an index; readers never take it."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from careerbot.errors import IndexBusyError

__all__ = ["FILE_NAME", "IndexLock"]

FILE_NAME = "index.lock"
log = logging.getLogger(__name__)


class IndexLock:
    """A file lock in the store folder around every write; its holder's PID is written inside,
    so a process that has to wait can say whom it waits for."""

    def __init__(self, directory: Path, *, timeout: float) -> None:
        self.path = directory / FILE_NAME
        self.timeout = timeout
        # Re-entrant within one thread (add() indexes while holding it); other threads and
        # processes wait. The kernel releases it when its holder dies, even by SIGKILL.
        self._lock = FileLock(self.path, on_acquired=_write_pid)
        self.repairs: list[str] = []  # what the last hold() had to set right first

    @contextmanager
    def hold(self) -> Iterator[float]:
        """Hold the lock; yields the seconds spent waiting for another process's write (0 if none)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.repairs = []
        if self.path.is_dir():  # nobody can hold a folder: set it aside, never delete what is inside
            from careerbot.index.repair import set_aside  # repair.py imports this module

            aside = set_aside(self.path)
            self.repairs.append(f"{FILE_NAME} was a folder, not the lock file, set aside as {aside.name}")
            log.warning("%s", self.repairs[-1])
        started = time.monotonic()
        waited = 0.0
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            holder = self.holder()
            log.warning("index is being updated by process %s, waiting...", holder or "(unknown)")
            try:
                self._lock.acquire(timeout=self.timeout)
            except Timeout:
                raise IndexBusyError(
                    f"the index in {self.path.parent} is still being updated by process "
                    f"{self.holder() or '(unknown)'} after {self.timeout:g} s; try again when it has "
                    "finished, or wait longer with CAREERBOT_LOCK_TIMEOUT"
                ) from None
            waited = time.monotonic() - started
        try:
            yield waited
        finally:
            self._lock.release()

    def holder(self) -> int | None:
        """The PID of the process holding (or that last held) the lock."""
        try:
            return int(self.path.read_text().strip())
        except (OSError, ValueError):
            return None


def _write_pid(descriptor: int) -> None:
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
