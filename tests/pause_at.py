"""Run `careerbot ARGS...` but stop at POINT of the indexing run, until killed (tests only).

    python tests/pause_at.py POINT index --corpus C --store S

The process touches $PAUSE_MARKER when it gets there, then sleeps. The points:

- first-write: before the first batch of vectors is written (documents read, lock held)
- mid-embedding: the second batch of vectors written, its records not yet
- cleanup: the vectors of removed documents deleted, their records not yet
- reset: a rebuild's records cleared, the old vectors not yet dropped
- dropped: a rebuild's records cleared and its old vectors dropped, nothing written yet
- manifest: every vector and record written, the manifest not yet
"""

import functools
import os
import sys
import time
from pathlib import Path

from langchain_chroma import Chroma

from careerbot.cli import cli
from careerbot.index.manifest import Manifest


def pause() -> None:
    Path(os.environ["PAUSE_MARKER"]).touch()
    time.sleep(3600)


def pause_on(cls: type, method: str, *, call: int, after: bool) -> None:
    """Pause on the `call`-th call of cls.method, before or after it ran."""
    original = getattr(cls, method)
    calls = 0

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == call and not after:
            pause()
        result = original(*args, **kwargs)
        if calls == call and after:
            pause()
        return result

    setattr(cls, method, wrapper)


POINTS = {
    "first-write": lambda: pause_on(Chroma, "add_documents", call=1, after=False),
    "mid-embedding": lambda: pause_on(Chroma, "add_documents", call=2, after=True),
    "cleanup": lambda: pause_on(Chroma, "delete", call=1, after=True),
    "reset": lambda: pause_on(Chroma, "delete_collection", call=1, after=False),
    "dropped": lambda: pause_on(Chroma, "delete_collection", call=1, after=True),
    "manifest": lambda: pause_on(Manifest, "save", call=1, after=False),
}

if __name__ == "__main__":
    POINTS[sys.argv[1]]()
    cli(sys.argv[2:], prog_name="careerbot")
