"""Names one part of a task definition uses for another: each must exist, as ECS requires.

Containers are named by ``dependsOn``, ``volumesFrom``, ``links`` and
``proxyConfiguration.containerName``; volumes by ``mountPoints.sourceVolume``; a FireLens
router by every ``awsfirelens`` log configuration.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from config import graphs
from config.container_checks import exit_wait_problem
from config.native.model import FileProblem, json_path

CONTAINERS = "containerDefinitions"
NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")  # ECS's rule for container names


def reference_problems(body: dict[str, Any]) -> Iterator[FileProblem]:
    """Every dangling or contradictory reference between containers and volumes of ``body``."""
    containers: list[dict[str, Any]] = body[CONTAINERS]
    by_name: dict[str, dict[str, Any]] = {}
    for index, container in enumerate(containers):
        if not NAME.match(container["name"]):
            yield FileProblem(
                json_path((CONTAINERS, index, "name")),
                f"{container['name']!r}: a container name is 1-255 letters, digits, '-' and '_'",
            )
        if container["name"] in by_name:
            yield FileProblem(json_path((CONTAINERS, index, "name")), f"{container['name']!r} is used twice")
        by_name.setdefault(container["name"], container)
    volumes = [v.get("name") for v in body.get("volumes", [])]
    for index, name in enumerate(volumes):
        if name in volumes[:index]:
            yield FileProblem(json_path(("volumes", index, "name")), f"{name!r} is used twice")
    if not any(c.get("essential", True) for c in containers):
        yield FileProblem(CONTAINERS, "at least one container must be essential (essential defaults to true)")
    for index, container in enumerate(containers):
        yield from _container_references(index, container, by_name, volumes)
    proxy = body.get("proxyConfiguration", {}).get("containerName")
    if proxy is not None and proxy not in by_name:
        yield FileProblem("proxyConfiguration.containerName", _unknown("container", proxy, by_name))
    yield from _firelens_problems(containers)
    graph = {c["name"]: [d["containerName"] for d in c.get("dependsOn", [])] for c in containers}
    cycle = graphs.first_cycle(graph)
    if cycle:
        yield FileProblem(CONTAINERS, f"containers wait on each other in a circle: {' → '.join(cycle)}")


def _container_references(
    index: int, container: dict[str, Any], by_name: dict[str, dict[str, Any]], volumes: list[Any]
) -> Iterator[FileProblem]:
    own = container["name"]
    others = {name: c for name, c in by_name.items() if name != own}
    for number, dependency in enumerate(container.get("dependsOn", [])):
        path = json_path((CONTAINERS, index, "dependsOn", number))
        target, condition = dependency["containerName"], dependency["condition"]
        if target not in others:
            yield FileProblem(f"{path}.containerName", _unknown("other container", target, others))
        elif condition == "HEALTHY" and "healthCheck" not in others[target]:
            yield FileProblem(f"{path}.condition", f"HEALTHY needs a healthCheck on {target!r}")
        elif message := exit_wait_problem(
            condition, target, others[target].get("essential", True), '"essential": false'
        ):
            yield FileProblem(f"{path}.condition", message)
    for number, source in enumerate(container.get("volumesFrom", [])):
        name = source.get("sourceContainer")
        if name not in others:
            path = json_path((CONTAINERS, index, "volumesFrom", number, "sourceContainer"))
            yield FileProblem(path, _unknown("other container", name, others))
    for number, link in enumerate(container.get("links", [])):
        name = link.split(":", 1)[0]
        if name not in others:
            yield FileProblem(
                json_path((CONTAINERS, index, "links", number)), _unknown("other container", name, others)
            )
    for number, mount in enumerate(container.get("mountPoints", [])):
        volume = mount.get("sourceVolume")
        if volume not in volumes:
            path = json_path((CONTAINERS, index, "mountPoints", number, "sourceVolume"))
            yield FileProblem(path, _unknown("volume", volume, volumes))


def _firelens_problems(containers: list[dict[str, Any]]) -> Iterator[FileProblem]:
    routers = [i for i, c in enumerate(containers) if "firelensConfiguration" in c]
    for index in routers[1:]:
        yield FileProblem(
            json_path((CONTAINERS, index, "firelensConfiguration")), "a task has one FireLens log router"
        )
    if routers:
        return
    for index, container in enumerate(containers):
        if container.get("logConfiguration", {}).get("logDriver") == "awsfirelens":
            yield FileProblem(
                json_path((CONTAINERS, index, "logConfiguration", "logDriver")),
                "awsfirelens needs a log router: a container with a firelensConfiguration",
            )


def _unknown(kind: str, name: Any, known: Any) -> str:
    return f"no {kind.rsplit(' ', 1)[-1]} named {name!r}; {kind}s: {', '.join(map(str, known)) or 'none'}"
