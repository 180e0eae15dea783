"""Spec checks that need the services' task-definition files: the loader runs them once it has
read the files (``AppSpec.with_task_definitions``), since model validation runs before."""

from __future__ import annotations

from config.errors import SpecError, SpecProblem, dotted
from config.network_mode_checks import document_network_problems
from config.schema import AppSpec
from config.yaml_source import Loc, parse_yaml


def raise_document_problems(spec: AppSpec, text: str, source: str) -> None:
    """``SpecError`` with every problem of ``spec`` (its files attached), at its path and line
    in ``text``, the spec's YAML."""
    problems = list(document_network_problems(spec))
    if not problems:
        return
    _, lines = parse_yaml(text)
    raise SpecError(
        source, [SpecProblem(dotted(loc), message, _line(loc, lines)) for loc, message, _ in problems]
    )


def _line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    """The line of ``loc``, or of its nearest parent written in the file."""
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc)
