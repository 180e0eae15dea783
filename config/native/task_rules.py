"""ECS's own rules for a task definition on the placement it runs with: what Fargate does not
take, memory and CPU sizes, awsvpc port mappings, and when an execution role is required."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from config.fargate import fargate_size_error
from config.native.model import FileProblem, json_path
from config.native.placement import Placement
from config.native.references import CONTAINERS
from constructs_lib.native_json import execution_role_needs

# AWS's list of container parameters Fargate does not take (Fargate task definition differences).
_NOT_ON_FARGATE = (
    "disableNetworking",
    "dnsSearchDomains",
    "dnsServers",
    "dockerSecurityOptions",
    "extraHosts",
    "links",
    "privileged",
)
_LINUX_NOT_ON_FARGATE = ("devices", "sharedMemorySize", "tmpfs", "maxSwap", "swappiness")
_FARGATE_CAPABILITIES = ("SYS_PTRACE", "CAP_SYS_PTRACE")  # the only one Fargate lets a container add


def task_rule_problems(body: dict[str, Any], placement: Placement) -> Iterator[FileProblem]:
    """Every ECS rule ``body`` breaks when run with ``placement``."""
    fargate = placement.compatibility == "FARGATE"
    if fargate:
        yield from _fargate_problems(body)
    elif "ephemeralStorage" in body:
        yield FileProblem("ephemeralStorage", "Fargate only; on EC2 the instance's volumes hold task storage")
    yield from _size_problems(body, fargate)
    if placement.network_mode == "awsvpc":
        yield from _awsvpc_problems(body)
    yield from _execution_role_problems(body, fargate)


def _fargate_problems(body: dict[str, Any]) -> Iterator[FileProblem]:
    for field in ("placementConstraints", "ipcMode"):
        if field in body:
            yield FileProblem(field, "not valid on Fargate")
    for index, volume in enumerate(body.get("volumes", [])):
        if "dockerVolumeConfiguration" in volume:
            yield FileProblem(
                json_path(("volumes", index, "dockerVolumeConfiguration")),
                "Docker volumes are not valid on Fargate",
            )
        if volume.get("host", {}).get("sourcePath"):
            yield FileProblem(
                json_path(("volumes", index, "host", "sourcePath")), "host paths are not valid on Fargate"
            )
    for index, container in enumerate(body[CONTAINERS]):
        yield from _fargate_container_problems(index, container)
    cpu, memory = body.get("cpu"), body.get("memory")
    if cpu is None or memory is None:
        yield FileProblem("cpu" if cpu is None else "memory", "Fargate needs the task's cpu and memory")
    elif cpu.isdigit() and memory.isdigit():
        error = fargate_size_error(int(cpu), int(memory))
        if error:
            yield FileProblem(error[0], error[1])


def _fargate_container_problems(index: int, container: dict[str, Any]) -> Iterator[FileProblem]:
    for field in _NOT_ON_FARGATE:
        if container.get(field) not in (None, False):
            yield FileProblem(json_path((CONTAINERS, index, field)), "not valid on Fargate")
    linux = container.get("linuxParameters", {})
    for field in _LINUX_NOT_ON_FARGATE:
        if field in linux:
            yield FileProblem(
                json_path((CONTAINERS, index, "linuxParameters", field)), "not valid on Fargate"
            )
    for number, capability in enumerate(linux.get("capabilities", {}).get("add", [])):
        if capability not in _FARGATE_CAPABILITIES:
            path = json_path((CONTAINERS, index, "linuxParameters", "capabilities", "add", number))
            yield FileProblem(path, f"{capability!r}: on Fargate a container may add SYS_PTRACE only")


# What a task's cpu and memory may say (config.native.normalise turns the unit forms into numbers).
_SIZE_FORMS = {"cpu": '"1024" (CPU units) or "1 vCPU"', "memory": '"2048" (MiB) or "2 GB"'}


def _size_problems(body: dict[str, Any], fargate: bool) -> Iterator[FileProblem]:
    for field, forms in _SIZE_FORMS.items():
        value = body.get(field)
        if value is not None and not _number(value):
            yield FileProblem(field, f"{value!r} is not a size ECS reads; give a positive {forms}")
    containers = body[CONTAINERS]
    task_memory, task_cpu = _number(body.get("memory")), _number(body.get("cpu"))
    for index, container in enumerate(containers):
        limit, reservation = container.get("memory"), container.get("memoryReservation")
        if task_memory is None and not fargate and limit is None and reservation is None:
            yield FileProblem(
                json_path((CONTAINERS, index)),
                "without the task's memory, ECS needs memory or memoryReservation on every container",
            )
        if limit is not None and reservation is not None and reservation > limit:
            path = json_path((CONTAINERS, index, "memoryReservation"))
            yield FileProblem(path, f"{reservation} MiB is above the container's memory limit of {limit} MiB")
    reserved = sum(c.get("memoryReservation") or c.get("memory") or 0 for c in containers)
    if task_memory is not None and reserved > task_memory:
        yield FileProblem(
            "memory", f"the containers reserve {reserved} MiB, more than the task's {task_memory} MiB"
        )
    shares = sum(c.get("cpu") or 0 for c in containers)
    if task_cpu is not None and shares > task_cpu:
        yield FileProblem(
            "cpu", f"the containers reserve {shares} CPU units, more than the task's {task_cpu}"
        )


def _awsvpc_problems(body: dict[str, Any]) -> Iterator[FileProblem]:
    for index, container in enumerate(body[CONTAINERS]):
        for field in ("hostname", "links"):
            if field in container:
                yield FileProblem(json_path((CONTAINERS, index, field)), "not valid in awsvpc network mode")
        for number, mapping in enumerate(container.get("portMappings", [])):
            host, port = mapping.get("hostPort"), mapping.get("containerPort")
            if host is not None and port is not None and host != port:
                path = json_path((CONTAINERS, index, "portMappings", number, "hostPort"))
                yield FileProblem(
                    path, f"{host}: in awsvpc mode the host port is the container port ({port}) or left out"
                )


def _execution_role_problems(body: dict[str, Any], fargate: bool) -> Iterator[FileProblem]:
    needs = execution_role_needs(body, fargate)
    if needs and not body.get("executionRoleArn"):
        yield FileProblem(
            "executionRoleArn",
            f"required by {', '.join(needs)}: "
            "ECS pulls, logs and reads secrets for them with the execution role",
        )


def _number(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
