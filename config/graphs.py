"""Cycles in small directed graphs (services calling services, containers waiting on containers)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def first_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """The first cycle found, as ``[a, b, …, a]``, walking nodes in ``edges`` order; edges to
    nodes that are not keys, and self-edges, are ignored."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for target in edges[node]:
            if target not in edges or target == node:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target, [*path, target])
                if found:
                    return found
        state[node] = 2
        return None

    for start in edges:
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None
