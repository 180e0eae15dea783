"""The size of a task definition, against ECS's limit of 64 KiB per task definition.

ECS refuses to register a larger one, so CloudFormation fails the deploy (and a service
stack, which holds one task definition and a few dozen small resources, stays far below
CloudFormation's 1 MB template limit as long as its task definition fits). The estimate
counts every value the spec sizes (plain variables, secrets, labels, commands, environment
files) as JSON, plus a generous allowance for what the app adds to each container (log
configuration, ports, mounts, release labels) and to the task (roles, volumes, tags).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.container_schema import ContainerSpec
    from config.schema import ServiceSpec

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]

TASK_DEFINITION_LIMIT = 64 * 1024  # bytes; ECS service quota, not adjustable
TASK_ALLOWANCE = 4096  # family, roles, volumes, tags, runtime platform
CONTAINER_ALLOWANCE = 2048  # log configuration, port mappings, mounts, release labels
ARN_ALLOWANCE = 100  # a secret named by SSM parameter name becomes a full ARN


def container_loc(service: str, container: str) -> Loc:
    """The YAML path of a container: the service's own keys for its main one, else its sidecar."""
    return ("services", service) if container == service else ("services", service, "sidecars", container)


def task_size_problems(name: str, service: ServiceSpec) -> Iterator[Problem]:
    """One problem, at the largest value, when service ``name``'s task definition would be
    over the limit."""
    containers = service.containers(name)
    sized = [
        item
        for container_name, container in containers.items()
        for item in _sized_values(container_loc(name, container_name), container)
    ]
    total = TASK_ALLOWANCE + CONTAINER_ALLOWANCE * len(containers) + sum(size for _, size in sized)
    if total <= TASK_DEFINITION_LIMIT or not sized:
        return
    loc, size = max(sized, key=lambda item: item[1])
    yield (
        loc,
        f"this value takes {_kib(size)} of the task definition, which would be about {_kib(total)}: "
        f"over ECS's limit of {_kib(TASK_DEFINITION_LIMIT)} per task definition. Move large values "
        "to an S3 environment file (environment_files) or a secret",
        None,
    )


def _sized_values(loc: Loc, container: ContainerSpec) -> Iterator[tuple[Loc, int]]:
    for variable, value in container.environment.items():
        yield (*loc, "environment", variable), _json_size({"name": variable, "value": value})
    for variable, ref in container.secrets.items():
        source = ref.secret or ref.parameter or ""
        yield (*loc, "secrets", variable), _json_size({"name": variable, "valueFrom": source}) + ARN_ALLOWANCE
    for key, value in container.docker_labels.items():
        yield (*loc, "docker_labels", key), _json_size({key: value})
    for key in ("command", "entry_point"):
        value = getattr(container, key)
        if value:
            yield (*loc, key), _json_size(list(value))
    if container.health_check is not None:
        yield (*loc, "health_check", "command"), _json_size(list(container.health_check.command))
    for index, arn in enumerate(container.environment_files):
        yield (*loc, "environment_files", index), _json_size({"value": arn, "type": "s3"})


def _json_size(value: object) -> int:
    return len(json.dumps(value))  # ASCII, non-ASCII escaped: never below the bytes ECS counts


def _kib(size: int) -> str:
    return f"{size / 1024:.1f} KiB"
