"""The layers point one way: every import arrow in the source is checked against the shape.

    tui, cli  ->  tracker  ->  analysis, exports, session, protocols, demo  ->  storage  ->  domain

`render` (words and small text views) sits above analysis and is shared by the front ends and
the exports; `base` modules (errors, paths, clock, safety, bodymap) sit at the bottom with the
domain. Read from the source (ast), so an import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "src" / "selftrack"
BASE = {"errors", "paths", "clock", "safety", "bodymap"}
# what each layer may import (besides itself and the standard library / third parties)
ALLOWED: dict[str, set[str]] = {
    "base": {"base", "domain"},
    "domain": {"base", "domain"},
    "storage": {"base", "domain"},
    "analysis": {"base", "domain"},
    "protocols": {"base", "domain"},
    "session": {"base", "domain"},
    "render": {"base", "domain", "analysis"},
    "demo": {"base", "domain", "storage"},
    "exports": {"base", "domain", "storage", "analysis", "render"},
    "tracker": {"base", "domain", "storage", "analysis", "render", "protocols", "session", "exports",
                "exports-api", "demo"},
    "tui": {"base", "domain", "analysis", "render", "session", "tracker", "exports-api"},
    "cli": {"base", "domain", "analysis", "render", "tracker", "tui", "exports-api"},
}


def layer_of(module: str) -> str:
    parts = module.split(".")[1:]  # drop "selftrack"
    if not parts:
        return "base"
    head = parts[0]
    if head in BASE:
        return "base"
    if head in ("__main__", "launch", "options"):
        return "cli"  # the entry point opens the program or hands over to the command line
    if head == "exports" and len(parts) == 1:
        return "exports-api"  # the package's public names: ExportRequest, FORMATS, …
    return head


def imports() -> list[tuple[str, str, int, str]]:
    """(file, importing layer, line, imported selftrack module) for every selftrack import."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        layer = layer_of(module)
        if layer == "exports-api":
            layer = "exports"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.startswith("selftrack."):
                    found.append((str(relative), layer, node.lineno, name))
    return found


def _is_module(name: str) -> bool:
    path = ROOT.parent / Path(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_every_import_points_down():
    wrong = []
    for file, layer, line, name in imports():
        if not _is_module(name):
            continue  # a name imported from a module, checked as the module itself
        target = layer_of(name)
        if target == layer or (layer == "exports" and target == "exports-api"):
            continue
        if target not in ALLOWED[layer]:
            wrong.append(f"{file}:{line}: {layer} imports {name} ({target})")
    assert wrong == []


@pytest.mark.parametrize(
    "layer, forbidden",
    [
        ("analysis", "storage"),
        ("storage", "analysis"),
        ("storage", "tracker"),
        ("exports", "tracker"),
        ("demo", "tracker"),
        ("session", "tracker"),
        ("tui", "storage"),
        ("cli", "storage"),
    ],
)
def test_an_arrow_the_wrong_way_is_caught(layer, forbidden):
    """The check itself can fail: each forbidden arrow is refused by the rules."""
    assert forbidden not in ALLOWED[layer]


def test_the_rules_see_the_real_imports():
    found = imports()
    assert any(layer == "tracker" and name.startswith("selftrack.storage") for _f, layer, _l, name in found)
    assert any(layer == "tui" and name.startswith("selftrack.tracker") for _f, layer, _l, name in found)
    assert {layer_of(m) for m in ("selftrack.storage.queries", "selftrack.exports", "selftrack.clock")} == {
        "storage", "exports-api", "base",
    }
