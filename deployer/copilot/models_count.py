"""Copilot's ``count``: a number, Fargate Spot, or autoscaling with a range and targets."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from deployer.copilot.model_base import Cooldown, Duration, Model, wrap_scalar


class RangeConfig(Model):
    min: int
    max: int
    spot_from: int | None = None


def _range(value: object) -> object:
    if isinstance(value, str):
        low, sep, high = value.partition("-")
        if sep and low.strip().isdigit() and high.strip().isdigit():
            return {"min": int(low), "max": int(high)}
    return value


class Scaling(Model):
    value: int | None = None
    cooldown: Cooldown | None = None


class DurationScaling(Model):
    value: Duration | None = None
    cooldown: Cooldown | None = None


class QueueDelay(Model):
    acceptable_latency: Duration
    msg_processing_time: Duration
    cooldown: Cooldown | None = None


class Count(Model):
    """``count: 3``, ``count: {spot: 3}`` or autoscaling (``range`` and targets)."""

    value: int | None = Field(default=None, alias="~value", ge=0)
    spot: int | None = None
    range: Annotated[RangeConfig | None, BeforeValidator(_range)] = None
    cooldown: Cooldown | None = None
    cpu_percentage: Annotated[Scaling | None, wrap_scalar("value")] = None
    memory_percentage: Annotated[Scaling | None, wrap_scalar("value")] = None
    requests: Annotated[Scaling | None, wrap_scalar("value")] = None
    response_time: Annotated[DurationScaling | None, wrap_scalar("value")] = None
    queue_delay: QueueDelay | None = None
