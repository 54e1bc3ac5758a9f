"""The errors careerbot raises on purpose, each with a message that says what to do."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CareerBotError",
    "IndexBusyError",
    "IndexMismatchError",
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
