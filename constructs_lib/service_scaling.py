"""``TargetTracking``: target-tracking scaling of a service's task count on CPU, memory and
load balancer requests (``EcsService.auto_scale``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2


@dataclass(frozen=True)
class TargetTracking:
    """Target tracking on the task count (``EcsService.auto_scale``): Application Auto Scaling
    adds tasks when any target is exceeded and removes them when all are under.

    Default: 1-4 tasks at 60% average CPU; no memory or request target; scale out after 30 s,
    in after 120 s. ``requests_per_target`` is ALB requests per task per minute.
    """

    min_count: int = 1
    max_count: int = 4
    cpu_percent: int | None = 60
    memory_percent: int | None = None
    requests_per_target: int | None = None
    scale_in_cooldown_seconds: int = 120
    scale_out_cooldown_seconds: int = 30


def track_targets(
    service: ecs.BaseService, tracking: TargetTracking, target_group: elbv2.ApplicationTargetGroup | None
) -> ecs.ScalableTaskCount:
    """The task count of ``service`` with one target-tracking policy per target of ``tracking``
    (``Cpu``, ``Memory``, ``Requests``); ``ValueError`` for a range or target that cannot work."""
    _check(tracking, target_group)
    scaling = service.auto_scale_task_count(min_capacity=tracking.min_count, max_capacity=tracking.max_count)
    cooldowns: dict[str, Any] = {
        "scale_in_cooldown": cdk.Duration.seconds(tracking.scale_in_cooldown_seconds),
        "scale_out_cooldown": cdk.Duration.seconds(tracking.scale_out_cooldown_seconds),
    }
    if tracking.cpu_percent is not None:
        scaling.scale_on_cpu_utilization("Cpu", target_utilization_percent=tracking.cpu_percent, **cooldowns)
    if tracking.memory_percent is not None:
        scaling.scale_on_memory_utilization(
            "Memory", target_utilization_percent=tracking.memory_percent, **cooldowns
        )
    if tracking.requests_per_target is not None and target_group is not None:
        scaling.scale_on_request_count(
            "Requests",
            requests_per_target=tracking.requests_per_target,
            target_group=target_group,
            **cooldowns,
        )
    return scaling


def _check(tracking: TargetTracking, target_group: elbv2.ApplicationTargetGroup | None) -> None:
    if not 0 <= tracking.min_count <= tracking.max_count:
        raise ValueError(
            f"min_count={tracking.min_count}, max_count={tracking.max_count}: need 0 <= min <= max"
        )
    targets = (tracking.cpu_percent, tracking.memory_percent, tracking.requests_per_target)
    if all(target is None for target in targets):
        raise ValueError(
            "TargetTracking sets no target: give cpu_percent, memory_percent or requests_per_target"
        )
    if tracking.requests_per_target is not None and target_group is None:
        raise ValueError(
            f"requests_per_target={tracking.requests_per_target} needs the target_group it counts requests of"
        )
