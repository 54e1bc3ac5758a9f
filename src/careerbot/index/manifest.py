"""The manifest beside the index: which model built it, when, and which documents it holds."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from careerbot.errors import DamagedStoreError, IndexMismatchError

if TYPE_CHECKING:
    from careerbot.index.embedder import Embedder

__all__ = ["FILE_NAME", "UNFINISHED", "Manifest"]

FILE_NAME = "manifest.json"
# Present while an indexing run writes (from its first write until its manifest is saved): a run that
# finds it knows the last one was interrupted, so the manifest may not describe the store.
UNFINISHED = "index.unfinished"


@dataclass
class Manifest:
    model: str
    dimension: int
    last_update: str | None = None
    # source -> {"occupation": str, "aliases": "a; b", "chunks": int, "sha256": of the file indexed,
    #            "facts": careerbot.facts.Facts.stored(), the figures the document states}
    documents: dict[str, dict] = field(default_factory=dict)
    # The folder of search files (BM25, embedded names) built with this state of the index.
    search: str | None = None
    # Identifies the code and settings that made the chunks (see indexer.PIPELINE_CODE).
    pipeline: str | None = None

    @classmethod
    def load(cls, directory: Path) -> Manifest | None:
        """The manifest in `directory`, None if there is none; DamagedStoreError if it can't be read."""
        path = directory / FILE_NAME
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(**data)
            if not isinstance(manifest.documents, dict) or not all(
                isinstance(d, dict) and {"occupation", "chunks"} <= d.keys()
                for d in manifest.documents.values()
            ):
                raise TypeError("its documents are not a table of indexed files")
            return manifest
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError) as error:
            reason = "it is empty" if path.stat().st_size == 0 else _reason(error)
            raise DamagedStoreError(path, reason) from None

    def save(self, directory: Path) -> None:
        # Write then rename, so a crash never leaves half a manifest.
        path = directory / FILE_NAME
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(vars(self), indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)

    def made_by(self, embedder: Embedder) -> bool:
        """Whether the index was built by this model (its vectors can be searched with it)."""
        return (self.model, self.dimension) == (embedder.name, embedder.dimension)

    def check(self, embedder: Embedder, directory: Path) -> None:
        """Raise if the index was built by a different model than the one configured."""
        if not self.made_by(embedder):
            raise IndexMismatchError(
                f"the index in {directory} was built with {self.model} ({self.dimension} dims), "
                f"but the configured model is {embedder.name} ({embedder.dimension} dims); "
                "run `careerbot index` to rebuild it"
            )


def _reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"it is not complete JSON: {error.msg.lower()}, character {error.pos}"
    return str(error).removeprefix("Manifest.__init__() ") or type(error).__name__
