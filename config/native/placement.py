"""Where a native task definition runs: its compatibility and network mode, read as ECS reads
them and held against the service's capacity (``services.<name>.capacity``).

A file without ``requiresCompatibilities`` is an EC2 definition to ECS; it runs on Fargate
when it meets Fargate's requirements, as ECS decides for such a definition. A file without
``networkMode`` is ``bridge`` on EC2 (ECS's default), never silently ``awsvpc``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from config.native.model import FileProblem

COMPATIBILITY_OF_CAPACITY = {"fargate": "FARGATE", "ec2": "EC2", "managed_instances": "MANAGED_INSTANCES"}
_CAPACITY_WORDS = {"fargate": "Fargate", "ec2": "an EC2 group", "managed_instances": "Managed Instances"}


@dataclass(frozen=True)
class Placement:
    """``compatibility``: what the service runs the definition with (EC2, FARGATE or
    MANAGED_INSTANCES); ``network_mode``: the file's, or ECS's default for it."""

    compatibility: str
    network_mode: str


def placement_of(
    body: dict[str, Any], capacity: str, service: str, exported: tuple[str, ...] | None
) -> tuple[Placement, list[FileProblem]]:
    """The placement of ``body`` on the service's ``capacity``, and why it cannot run there."""
    needed = COMPATIBILITY_OF_CAPACITY[capacity]
    where = f"services.{service} runs on {_CAPACITY_WORDS[capacity]}"
    problems = []
    required = body.get("requiresCompatibilities")
    if required and needed not in required:
        problems.append(
            FileProblem(
                "requiresCompatibilities",
                f"{required} does not include {needed}, and {where}: "
                f"add {needed} or change the service's capacity",
            )
        )
    elif not required and needed != "EC2" and exported is not None and needed not in exported:
        problems.append(
            FileProblem(
                "compatibilities",
                f"ECS registered this definition for {list(exported)} only, and {where}: "
                f'add "requiresCompatibilities": ["{needed}"] and what it requires',
            )
        )
    mode = body.get("networkMode")
    if mode is None and needed != "EC2":
        problems.append(
            FileProblem("networkMode", f'missing: {where}, which needs "awsvpc" (ECS\'s default is bridge)')
        )
        return Placement(needed, "bridge"), problems
    problems += _network_mode_problems(mode, service)
    return Placement(needed, mode or "bridge"), problems


def _network_mode_problems(mode: str | None, service: str) -> Iterator[FileProblem]:
    if mode == "awsvpc":
        return
    if mode == "none":
        yield FileProblem("networkMode", '"none" gives the tasks no network; services and jobs need "awsvpc"')
        return
    said = f'"{mode}"' if mode else 'missing, which ECS reads as "bridge" on EC2'
    yield FileProblem(
        "networkMode",
        f'{said}; this deployer runs native files in "awsvpc" mode (bridge and host network modes come '
        f'with services.{service}.network_mode on EC2 groups); set "networkMode": "awsvpc"',
    )
