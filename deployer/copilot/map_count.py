"""``count``: a fixed task count, Fargate Spot, or autoscaling (a range and targets)."""

from __future__ import annotations

import math
from typing import Any

from config.yaml_source import Loc
from deployer.copilot.durations import parse_duration, whole_seconds
from deployer.copilot.models_count import Count, Scaling
from deployer.copilot.record import FieldLog

SPOT_ONLY = [{"provider": "FARGATE_SPOT"}]
TARGETS = (
    ("cpu_percentage", "cpu_percent"),
    ("memory_percentage", "memory_percent"),
    ("requests", "requests_per_target"),
)


def map_service_count(count: Count, log: FieldLog, to: Loc, web: bool) -> None:
    """``count`` of a web or backend service: desired count, capacity and ``autoscaling``."""
    if count.value is not None:
        log.put(("count",), (*to, "desired_count"), count.value)
    if count.spot is not None:
        log.put(("count", "spot"), (*to, "desired_count"), count.spot)
        log.put(("count", "spot"), (*to, "capacity"), SPOT_ONLY)
    if count.range is None:
        return
    scaling: dict[str, Any] = {"min_count": count.range.min, "max_count": count.range.max}
    targets = [
        key for key, _ in TARGETS if getattr(count, key) is not None and getattr(count, key).value is not None
    ]
    for key, spec_key in TARGETS:
        if key in targets:
            scaling[spec_key] = _target(count, key, log)
            log.seen(("count", key), (*to, "autoscaling", spec_key))
    if targets and "cpu_percentage" not in targets:
        scaling["cpu_percent"] = None  # no CPU target: turn this project's 60% default off
    _cooldown(count, log, scaling)
    note = (
        "" if targets else "Copilot set a range without targets; this project scales on 60% CPU (its default)"
    )
    log.put(("count", "range"), (*to, "autoscaling"), scaling, note=note)
    if count.range.spot_from is not None:
        log.put(("count", "range", "spot_from"), (*to, "capacity"), spot_from(count.range.spot_from))
    if count.response_time is not None:
        log.manual(
            ("count", "response_time"),
            "scaling on the load balancer's response time is not modelled",
            "scale on requests_per_target or CPU, or add a target-tracking policy on TargetResponseTime "
            "in your CDK code",
        )
    if count.queue_delay is not None:
        log.manual(("count", "queue_delay"), "queue_delay is for Worker Services", "remove it")
    if not web and count.requests is not None:
        log.manual(
            ("count", "requests"),
            "a Backend Service has no public load balancer here",
            "scale on CPU or memory",
        )


def map_worker_count(count: Count, log: FieldLog, to: Loc) -> None:
    """``count`` of a worker: this project scales every worker on its queue backlog per task."""
    queue = (*to, "queue")
    if count.value is not None or count.spot is not None:
        source: Loc = ("count",) if count.value is not None else ("count", "spot")
        fixed = count.value if count.value is not None else count.spot or 0
        note = "every worker here scales on its backlog; min_count = max_count keeps the count fixed"
        log.put(source, (*queue, "min_count"), fixed, note=note)
        log.put(source, (*queue, "max_count"), max(fixed, 1), note=note)
        if count.spot is not None:
            log.put(source, (*to, "capacity"), SPOT_ONLY)
    if count.range is not None:
        log.put(("count", "range"), (*queue, "min_count"), count.range.min)
        log.put(("count", "range"), (*queue, "max_count"), count.range.max)
        if count.range.spot_from is not None:
            log.put(("count", "range", "spot_from"), (*to, "capacity"), spot_from(count.range.spot_from))
    if count.queue_delay is not None:
        delay = count.queue_delay
        backlog = math.ceil(
            parse_duration(delay.acceptable_latency) / parse_duration(delay.msg_processing_time)
        )
        log.put(("count", "queue_delay"), (*queue, "messages_per_task"), backlog)
        if delay.cooldown is not None:
            log.manual(
                ("count", "queue_delay", "cooldown"),
                "backlog scaling cooldowns are fixed here",
                "rely on the fixed cooldowns",
            )
    for key in ("cpu_percentage", "memory_percentage", "cooldown", "requests", "response_time"):
        if getattr(count, key) is not None:
            log.manual(
                ("count", key),
                "a worker scales on its queue backlog per task only",
                "tune queue.messages_per_task instead",
            )


def spot_from(task: int) -> list[dict[str, Any]]:
    """Copilot's ``spot_from: N``: the first N-1 tasks on Fargate, every further one on Spot."""
    if task <= 1:
        return SPOT_ONLY
    return [{"provider": "FARGATE", "base": task - 1, "weight": 0}, {"provider": "FARGATE_SPOT", "weight": 1}]


def _target(count: Count, key: str, log: FieldLog) -> int:
    scaling: Scaling = getattr(count, key)
    if scaling.cooldown is not None:
        log.manual(
            ("count", key, "cooldown"),
            "one cooldown pair applies to every scaling target here",
            "set count.cooldown (autoscaling.scale_in/out_cooldown_seconds) to the values you want for "
            "all targets",
        )
    assert scaling.value is not None
    return scaling.value


def _cooldown(count: Count, log: FieldLog, scaling: dict[str, Any]) -> None:
    cooldown = count.cooldown
    if cooldown is None:
        return
    if cooldown.scale_in is not None:
        scaling["scale_in_cooldown_seconds"] = whole_seconds(cooldown.scale_in)
    if cooldown.scale_out is not None:
        scaling["scale_out_cooldown_seconds"] = whole_seconds(cooldown.scale_out)
    log.seen(("count", "cooldown"), note="in autoscaling.scale_in/out_cooldown_seconds")
