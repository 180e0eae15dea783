"""botocore's model of ``RegisterTaskDefinition``: the members, types and enums ECS accepts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class FileProblem:
    """One problem in a task-definition file: ``path`` is its JSON path (``containerDefinitions[0].image``,
    empty for the whole document)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@cache
def _ecs_model() -> Any:
    import botocore.session  # only specs with native files pay for the model

    return botocore.session.get_session().get_service_model("ecs")


def register_input() -> Any:
    """The input shape of ``RegisterTaskDefinition`` (what a native file holds)."""
    return _ecs_model().operation_model("RegisterTaskDefinition").input_shape


@cache
def read_only_fields() -> frozenset[str]:
    """Fields ``DescribeTaskDefinition`` returns that a registration does not take
    (``taskDefinitionArn``, ``revision``, ``status``, ``compatibilities`` …)."""
    described = _ecs_model().shape_for("TaskDefinition").members
    return frozenset(set(described) - set(register_input().members))


def container_shape() -> Any:
    """The shape of one ``containerDefinitions`` item."""
    return register_input().members["containerDefinitions"].member


def json_path(parts: Sequence[str | int]) -> str:
    """``("containerDefinitions", 0, "image")`` → ``containerDefinitions[0].image``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
