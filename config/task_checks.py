"""Checks of one task's containers that ECS (or CDK) enforces only at deploy (or synth) time:
reserved container names, Fargate-only settings, CPU and memory shares, health-check
timings and writable paths.

arm64 tasks on FARGATE_SPOT are allowed: the ECS API reference (CapacityProviderStrategyItem)
says FARGATE_SPOT runs Linux ARM64 tasks on platform version 1.4.0 or later, and every Fargate
service here runs on ``LATEST`` (1.4.0); a job's scheduler target leaves it at its default,
``LATEST``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config.graphs import first_cycle
from config.task_size import container_loc, task_size_problems

if TYPE_CHECKING:
    from config.container_schema import ContainerSpec
    from config.schema import AppSpec, ServiceSpec

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]

# Container names the task definition adds itself (constructs_lib.task_containers.LOG_ROUTER).
RESERVED_CONTAINER_NAMES = ("log-router",)


def task_problems(spec: AppSpec, name: str, service: ServiceSpec) -> Iterator[Problem]:
    """Problems of the task of service ``name`` (declared with container keys)."""
    base: Loc = ("services", name)
    if name in RESERVED_CONTAINER_NAMES:
        yield (
            base,
            f"{name!r} is the name of the log router container the task adds; rename the service",
            name,
        )
    for sidecar in service.sidecars:
        if sidecar in RESERVED_CONTAINER_NAMES:
            yield (
                (*base, "sidecars", sidecar),
                f"{sidecar!r} is the name of the log router container the task adds; rename the sidecar",
                sidecar,
            )
    if service.ephemeral_storage_gib is not None and not spec.runs_on_fargate(name):
        yield (
            (*base, "ephemeral_storage_gib"),
            f"task storage is a Fargate setting, and this service runs on {spec.capacity_kind(name)} "
            "capacity (its instances' volumes hold the tasks' storage); remove it",
            service.ephemeral_storage_gib,
        )
    shares = sum(c.cpu_units or 0 for c in service.containers(name).values())
    if shares > service.cpu:
        yield (
            (*base, "cpu"),
            f"containers take {shares} CPU units (cpu_units), more than the task's {service.cpu}",
            service.cpu,
        )
    for container_name, container in service.containers(name).items():
        yield from _container_problems(container_loc(name, container_name), container)
    yield from task_size_problems(name, service)
    cycle = first_cycle({n: list(c.depends_on) for n, c in service.containers(name).items()})
    if cycle:
        yield (
            (*container_loc(name, cycle[0]), "depends_on"),
            f"containers wait on each other in a circle ({' → '.join(cycle)}); ECS cannot start any of them",
            list(cycle),
        )
    if service.kind == "job":
        for volume_name, volume in service.volumes.items():
            if volume.ebs is not None:
                yield (
                    (*base, "volumes", volume_name, "ebs"),
                    "an EBS volume is attached by the service that launches a task; a job's scheduled "
                    "runs cannot attach one: use efs or scratch",
                    volume_name,
                )


def _container_problems(loc: Loc, container: ContainerSpec) -> Iterator[Problem]:
    limit, reservation = container.memory_limit_mib, container.memory_reservation_mib
    if limit is not None and reservation is not None and reservation >= limit:
        yield (
            (*loc, "memory_reservation_mib"),
            f"the soft limit ({reservation} MiB) must be below the hard limit memory_limit_mib ({limit} MiB)",
            reservation,
        )
    check = container.health_check
    if check is not None and check.timeout_seconds >= check.interval_seconds:
        yield (
            (*loc, "health_check", "timeout_seconds"),
            f"the timeout ({check.timeout_seconds} s) must be shorter than the interval "
            f"({check.interval_seconds} s)",
            check.timeout_seconds,
        )
    seen: dict[str, str] = {}
    for index, path in enumerate(container.writable_paths):
        if path.strip("/") == "":
            yield (
                (*loc, "writable_paths", index),
                "a writable path is a directory below /; for a writable root set "
                "readonly_root_filesystem: false",
                path,
            )
        elif path.rstrip("/") in seen:
            yield (*loc, "writable_paths", index), f"{path} is listed twice", path
        seen[path.rstrip("/")] = "writable_paths"
    for index, mount in enumerate(container.mounts):
        if mount.path.rstrip("/") in seen:
            yield (
                (*loc, "mounts", index, "path"),
                f"{mount.path} is already mounted (from {seen[mount.path.rstrip('/')]}); "
                "a path takes one mount",
                mount.path,
            )
        seen[mount.path.rstrip("/")] = "mounts"
