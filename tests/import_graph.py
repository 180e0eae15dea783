"""Who imports whom, read from the source with ``ast`` (nothing is imported or run).

Every import counts, at module level or inside a function: a function-level import still makes
a circle, it only moves the failure to run time.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. "deployer.cdk.synth"
    path: Path
    imports: frozenset[str]  # every dotted name it imports, resolved to absolute names


def modules(root: Path, packages: Iterable[str]) -> dict[str, Module]:
    """Every ``.py`` module under ``root/<package>`` (and ``root/<package>.py``), by dotted name."""
    found: dict[str, Module] = {}
    for package in packages:
        single = root / f"{package}.py"
        files = [single] if single.is_file() else sorted((root / package).rglob("*.py"))
        for path in files:
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            found[name] = Module(name, path, frozenset(_imports(path, name, is_package)))
    return found


def _imports(path: Path, name: str, is_package: bool) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package, one level up per extra dot
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - node.level + 1]
                base = ".".join([*here, base] if base else here)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def resolve(name: str, known: Iterable[str]) -> str | None:
    """The longest known module that ``name`` is or lies in (``a.b.func`` → ``a.b``)."""
    names = set(known)
    while name:
        if name in names:
            return name
        name = name.rpartition(".")[0]
    return None


def edges(found: dict[str, Module]) -> dict[str, set[str]]:
    """Module → the other known modules it imports."""
    graph: dict[str, set[str]] = {}
    for module in found.values():
        targets = {resolve(name, found) for name in module.imports}
        graph[module.name] = {t for t in targets if t is not None and t != module.name}
    return graph


def importers_of(found: dict[str, Module], target: str) -> list[str]:
    """Modules importing ``target`` or anything inside it."""
    return sorted(
        m.name
        for m in found.values()
        if m.name != target and any(n == target or n.startswith(f"{target}.") for n in m.imports)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import circles as paths ``[a, b, …, a]`` (each module imported by the next one); after each
    circle found, its last import is set aside and the search goes on, so none is left out."""
    remaining = {node: set(targets) for node, targets in graph.items()}
    found = []
    while True:
        try:
            graphlib.TopologicalSorter(remaining).prepare()
        except graphlib.CycleError as error:
            circle = list(error.args[1])
            found.append(circle)
            # Break the circle at its first import and look for the next one.
            remaining[circle[1]].discard(circle[0])
            continue
        return found
