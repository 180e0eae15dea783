"""Cross-field checks of ``network_mode``, ``host_network_reason`` and ``placement``.

They run once on the spec and again once the services' task-definition files are read
(``document_network_problems``), since a file's ``networkMode`` decides as ``network_mode`` does.

``bridge`` and ``host`` exist on EC2 container instances only, and placement strategies choose
among instances: both need every provider of the service's strategy to be an EC2 group. In
those modes a task has no security group of its own, so ``allow_from`` (one service's tasks,
and no other, may reach another's port) cannot hold and is refused on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config.placement_schema import AWSVPC, MAX_PLACEMENT_STRATEGIES

if TYPE_CHECKING:
    from config.schema import AppSpec, ServiceSpec

Problem = tuple[tuple[str | int, ...], str, Any]

_WHY_NOT = {
    "fargate": "Fargate tasks always use awsvpc",
    "managed_instances": "ECS Managed Instances run awsvpc or host tasks, and this project deploys "
    "them with awsvpc only",
}


def network_mode_problems(spec: AppSpec) -> Iterator[Problem]:
    """Every problem with network modes, host-network reasons and placement strategies."""
    for name, service in spec.services.items():
        yield from _mode_problems(spec, name, service)
        yield from _placement_problems(spec, name, service)
    yield from _allow_from_problems(spec)


def document_network_problems(spec: AppSpec) -> Iterator[Problem]:
    """The problems a spec has once its task-definition files are attached (none without files)."""
    if any(spec.task_definition_document(name) is not None for name in spec.services):
        yield from network_mode_problems(spec)


def host_network_reasons(spec: AppSpec) -> dict[str, str]:
    """Each ``host`` service and the reason its spec gives (Security Hub ECS.17 exceptions)."""
    return {
        name: service.host_network_reason or ""
        for name, service in spec.services.items()
        if spec.network_mode_of(name) == "host"
    }


def _mode_problems(spec: AppSpec, name: str, service: ServiceSpec) -> Iterator[Problem]:
    loc = ("services", name)
    mode = spec.network_mode_of(name)
    kind = spec.capacity_kind(name)
    if mode != AWSVPC and kind != "ec2":
        providers = ", ".join(item.provider for item in spec.strategy_for(name))
        key, what = _mode_source(spec, name)
        yield (
            (*loc, key),
            f"{what}{mode} runs on EC2 groups only; this service's capacity is {providers} "
            f"({_WHY_NOT[kind]}): set capacity to EC2 groups of cluster.ec2_capacity, or use awsvpc",
            mode,
        )
    if mode == "host" and service.host_network_reason is None:
        yield (
            (*loc, "host_network_reason"),
            "host network mode is a Security Hub finding (ECS.17: tasks share the instance's network, "
            "reach its metadata and loopback services): say why this service needs it",
            None,
        )
    if mode != "host" and service.host_network_reason is not None:
        yield (*loc, "host_network_reason"), f"only for network_mode host (this one is {mode})", None


def _mode_source(spec: AppSpec, name: str) -> tuple[str, str]:
    """Where the service's network mode is written: its key, and how a message names it."""
    if spec.task_definition_document(name) is not None:
        return "task_definition_file", "the file's networkMode "
    return "network_mode", ""


def _placement_problems(spec: AppSpec, name: str, service: ServiceSpec) -> Iterator[Problem]:
    loc = ("services", name, "placement")
    if not service.placement:
        return
    if spec.capacity_kind(name) != "ec2":
        yield (
            loc,
            "placement strategies choose among EC2 instances: this service's capacity is not an EC2 group",
            None,
        )
    if len(service.placement) > MAX_PLACEMENT_STRATEGIES:
        yield (
            loc,
            f"{len(service.placement)} strategies; ECS takes at most {MAX_PLACEMENT_STRATEGIES} per service",
            None,
        )
    for index, strategy in enumerate(service.placement):
        if len(strategy.kinds) != 1:
            yield (
                (*loc, index),
                "give exactly one of binpack (cpu or memory), spread (a field) or random: true",
                strategy.kinds,
            )


def _allow_from_problems(spec: AppSpec) -> Iterator[Problem]:
    for name, service in spec.services.items():
        mode = spec.network_mode_of(name)
        if service.allow_from and mode != AWSVPC:
            yield (
                ("services", name, "allow_from"),
                f"allow_from needs awsvpc: in {mode} mode tasks share their "
                "instances' security group, so no rule can admit the named callers and no one "
                "else (docs/security.md); use network_mode awsvpc for this service",
                list(service.allow_from),
            )
        for index, caller in enumerate(service.allow_from):
            caller_mode = spec.network_mode_of(caller) if caller in spec.services else AWSVPC
            if caller_mode != AWSVPC:
                yield (
                    ("services", name, "allow_from", index),
                    f"{caller} uses {caller_mode} mode: its tasks have no security "
                    "group of their own, so a rule from it would admit every task on its "
                    f"instances (docs/security.md); use network_mode awsvpc for {caller}",
                    caller,
                )
