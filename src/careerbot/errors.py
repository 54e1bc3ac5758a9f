"""The errors careerbot raises on purpose, each with a message that says what to do."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "CareerBotError",
    "DamagedStoreError",
    "IndexBusyError",
    "IndexMismatchError",
    "StoreError",
    "StoreUnavailableError",
    "UnknownBackendError",
]


class CareerBotError(Exception):
    """Base class: anything careerbot reports to a user as a plain message."""


class UnknownBackendError(CareerBotError):
    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        super().__init__(f"unknown {kind} {name!r}; choose one of: {', '.join(sorted(known))}")


class IndexMismatchError(CareerBotError):
    """The index on disk was built with another embedding model."""


class IndexBusyError(CareerBotError):
    """Another process kept the index's write lock for longer than the lock timeout."""


class StoreUnavailableError(CareerBotError):
    """The vector store (e.g. a Chroma server) did not answer."""


class StoreError(CareerBotError):
    """The index folder can't be written: its disk is full, or it is read-only (`read_only`)."""

    def __init__(self, message: str, *, read_only: bool = False) -> None:
        super().__init__(message)
        self.read_only = read_only


class DamagedStoreError(CareerBotError):
    """A file of the index store can't be read; the next `careerbot index` sets it aside and rebuilds."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(
            f"{path} is damaged ({reason}); `careerbot index` sets it aside and rebuilds what it held"
        )
