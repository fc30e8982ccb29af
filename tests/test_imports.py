"""The import graph of carnet has no cycle (not even through imports made
inside functions), so every module can be read and tested from the bottom up."""

from __future__ import annotations

import ast
from pathlib import Path

import carnet

ROOT = Path(carnet.__file__).resolve().parent.parent  # the repository (or site-packages)
PACKAGES = {"carnet.engine": ROOT / "engine", "carnet.tools": ROOT / "tools"}


# Cycles outside this helper's area, left to the change that removes them. The
# lint rule N501 (unused noqa) reads the rule registry that imports it; issue 8
# item 5 (lint suppression as a stage of the runner) takes that away: delete
# the entry then. Nothing else may be added here.


def module_files() -> dict[str, Path]:
    """Every carnet module: dotted name -> file."""
    found: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The carnet modules that ``name`` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    base = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                anchor = base.rsplit(".", node.level - 1)[0] if node.level > 1 else base
                source = f"{anchor}.{source}" if source else anchor
            # `from package import module` imports the module
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules
                       else source for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` as a list of names (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_function_level_imports_count(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from carnet.engine.cli import main\n", encoding="utf-8")
    assert imports_of("carnet.engine.repl.app", module,
                      {"carnet.engine.cli", "carnet.engine.repl.app"}) == {"carnet.engine.cli"}


def test_carnet_has_no_import_cycle() -> None:
    files = module_files()
    assert "carnet.engine.cli" in files and "carnet.engine.repl.app" in files
    graph = {name: imports_of(name, path, set(files)) for name, path in files.items()}
    assert "carnet.engine.stories" in graph["carnet.engine.cli"]
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])
