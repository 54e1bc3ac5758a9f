"""Package names imported on first use (a module `__getattr__`, PEP 562): importing a package for
one light name doesn't load the heavy modules beside it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["exports"]


def exports(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A `__getattr__` for `package` that imports each name of `homes` from its module when first
    asked for, and keeps it on the package."""

    def __getattr__(name: str) -> Any:
        try:
            home = homes[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
