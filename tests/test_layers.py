"""The layers point down: nothing below the bot imports it, nor anything above its own layer."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "careerbot"
# Each layer may import those before it in this list (and the shared modules), never those after.
# Profiles come first: reading a document (any format) ends in the profile parser.
LAYERS = [
    "profiles",
    "documents",
    "chunks",
    "facts",
    "index",
    "retrieval",
    "understanding",
    "answer",
    "chat",
    "bot",
]
SHARED = {"text", "errors", "settings", "lazy"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("careerbot."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("careerbot.")}
    return found


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_no_layer_imports_one_above_it(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1 :])
    for path in (PACKAGE / layer).rglob("*.py"):
        wrong = _imports(path) & above
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"
