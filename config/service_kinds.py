"""Spec models for what a service is and how it ships: kind, HTTP routing, queue, schedule,
deployment strategy and autoscaling.

Every default is tuned so a healthy rolling deploy of a web service is quick while it keeps
``minHealthyPercent`` 100 (docs/services.md gives the reason for each number).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from config import patterns
from config.alb_conditions import GRPC_HEALTH_CHECK_PATH, GRPC_SUCCESS_CODES, health_check_codes_problem
from config.schedule_expressions import recurring_schedule_problem, time_zone_problem
from config.spec_model import SpecModel, checked

ServiceKind = Literal["web", "backend", "worker", "job"]
DeploymentStrategyName = Literal["rolling", "blue_green", "canary", "linear"]
MAIN_LOAD_BALANCER = "main"
# Letters and digits only: the name becomes part of construct and output IDs, where '-' is dropped.
LOAD_BALANCER_NAME = patterns.LOAD_BALANCER_NAME


class TargetHealthCheckSpec(SpecModel):
    """The load balancer's health check of each task. Default: ``GET /`` every 5 s, healthy
    after 2 passes (10 s), unhealthy after 2 failures, 4 s timeout, 200-399 is healthy. With
    ``app_protocol: grpc`` the check is a gRPC call: ``/AWS.ALB/healthcheck``, healthy on
    gRPC status 12 (UNIMPLEMENTED, what any gRPC server answers to a method it lacks)."""

    path: str | None = Field(
        default=None,
        pattern=patterns.REQUEST_PATH,
        max_length=1024,
        description="request path [default: /]; app_protocol grpc: a method /package.service/method, "
        "e.g. /grpc.health.v1.Health/Check [default: /AWS.ALB/healthcheck]",
    )
    interval_seconds: int = Field(default=5, ge=5, le=300)
    timeout_seconds: int = Field(default=4, ge=2, le=120)
    healthy_threshold: int = Field(default=2, ge=2, le=10)
    unhealthy_threshold: int = Field(default=2, ge=2, le=10)
    success_codes: (
        Annotated[str, checked(health_check_codes_problem), WithJsonSchema({"type": ["string", "integer"]})]
        | None
    ) = Field(
        default=None,
        description="HTTP codes of a healthy task, 200 to 499: 200, 200,302 or 200-399 [default: 200-399]; "
        "app_protocol grpc: gRPC status codes, 0 to 99, e.g. 0 [default: 12]",
    )

    @field_validator("success_codes", mode="before")
    @classmethod
    def _one_code_as_written(cls, value: object) -> object:
        # `success_codes: 200` or `0`: YAML reads one code as a number. Numbers resolve as YAML
        # 1.2 (decimal as written), so the digits are the code; a bool or a float stays refused.
        return str(value) if type(value) is int else value

    def resolved(self, app_protocol: str | None) -> tuple[str, str]:
        """``(path, success_codes)`` the target group checks, defaults filled in for ``app_protocol``."""
        if app_protocol == "grpc":
            return self.path or GRPC_HEALTH_CHECK_PATH, self.success_codes or GRPC_SUCCESS_CODES
        return self.path or "/", self.success_codes or "200-399"


class HttpSpec(SpecModel):
    """How a load balancer routes to a web service. Default: load balancer ``main``, every
    path (``/*``) on any host; priority derived from the rule (more specific first, unique
    per load balancer, stable across edits)."""

    load_balancer: str = Field(
        default=MAIN_LOAD_BALANCER,
        pattern=LOAD_BALANCER_NAME,
        description="which public load balancer serves this service; each name is one ALB "
        "(lowercase letters and digits, up to 16) [default: main]",
    )
    paths: tuple[str, ...] = Field(
        default=("/*",), min_length=1, max_length=5, description="path patterns, e.g. /api/*"
    )
    hosts: tuple[str, ...] = Field(
        default=(), max_length=5, description="host headers, e.g. shop.example.com (default: any host)"
    )
    priority: int | None = Field(
        default=None, ge=1, le=50000, description="listener rule priority [default: derived]"
    )
    health_check: TargetHealthCheckSpec = TargetHealthCheckSpec()
    deregistration_delay_seconds: int = Field(
        default=15, ge=0, le=3600, description="time a stopping task keeps serving in-flight requests"
    )
    health_check_grace_seconds: int = Field(
        default=10, ge=0, le=2147483647, description="load balancer failures ignored after a task starts"
    )

    @field_validator("load_balancer", mode="before")
    @classmethod
    def _load_balancer_name(cls, value: object) -> object:
        if isinstance(value, str) and not re.match(LOAD_BALANCER_NAME, value):
            raise PydanticCustomError(
                "load_balancer_name",
                "a load balancer name is 1-16 lowercase letters and digits, starting with a letter",
            )
        return value


class QueueSpec(SpecModel):
    """A worker's SQS queue and the backlog-per-task scaling on it. Default: 60 s visibility,
    4 days retention, 5 receives before the dead-letter queue, 10 messages per task, 0-10 tasks."""

    visibility_timeout_seconds: int = Field(default=60, ge=0, le=43200)
    retention_days: int = Field(default=4, ge=1, le=14)
    max_receive_count: int = Field(default=5, ge=1, le=1000, description="receives before the DLQ")
    messages_per_task: int = Field(default=10, ge=1, le=100000, description="backlog per task to hold")
    min_count: int = Field(default=0, ge=0, le=1000, description="0 lets an idle worker scale to zero")
    max_count: int = Field(default=10, ge=1, le=1000)


class ScheduleSpec(SpecModel):
    """When a job runs, through EventBridge Scheduler. Default: UTC, 2 retries, events older
    than an hour dropped to the dead-letter queue."""

    expression: Annotated[str, checked(recurring_schedule_problem)] = Field(
        description="cron(minutes hours day-of-month month day-of-week year) or rate(N unit)"
    )
    timezone: Annotated[str, checked(time_zone_problem)] = Field(
        default="UTC", description="IANA time zone the expression is read in, e.g. Europe/Paris"
    )
    retries: int = Field(default=2, ge=0, le=185, description="RunTask retries when it fails to start")
    max_event_age_seconds: int = Field(default=3600, ge=60, le=86400)


class DeploymentSpec(SpecModel):
    """How a new revision replaces the old. Default: rolling, circuit breaker with rollback,
    rollback on the service's own alarms (web: 5xx rate and unhealthy hosts).

    ``blue_green``, ``canary`` and ``linear`` are native ECS strategies; they need a web
    service (the alternate target group and the test listener live on the load balancer).
    """

    strategy: DeploymentStrategyName = "rolling"
    bake_minutes: int | None = Field(
        default=None, ge=0, le=1440, description="time both revisions stay up before the old one stops"
    )
    step_percent: float | None = Field(
        default=None, ge=0.1, le=100, description="canary: traffic to the new revision; linear: per step"
    )
    step_bake_minutes: int | None = Field(default=None, ge=0, le=1440, description="wait between steps")
    rollback_alarms: tuple[str, ...] = Field(
        default=(), description="names of more CloudWatch alarms that roll a deployment back"
    )


class AutoscalingSpec(SpecModel):
    """Target tracking on the task count. When present, ECS and Application Auto Scaling own
    the desired count: a redeploy never resets it. Default: 1-4 tasks at 60% CPU."""

    min_count: int = Field(default=1, ge=0, le=1000)
    max_count: int = Field(default=4, ge=1, le=1000)
    cpu_percent: int | None = Field(default=60, ge=10, le=95)
    memory_percent: int | None = Field(default=None, ge=10, le=95)
    requests_per_target: int | None = Field(
        default=None, ge=1, le=100000, description="web only: ALB requests per task per minute"
    )
    scale_in_cooldown_seconds: int = Field(default=120, ge=0, le=3600)
    scale_out_cooldown_seconds: int = Field(default=30, ge=0, le=3600)


class LoadBalancerSpec(SpecModel):
    """Settings shared by the environment's public Application Load Balancers (one per name
    web services give in ``http.load_balancer``, default ``main``). Default: HTTPS on 443
    with a TLS 1.2+/1.3 policy and HTTP→HTTPS redirect on 80, invalid header fields dropped,
    access logs kept 90 days. A ``local`` target may omit the certificate: it then serves
    plain HTTP on 80."""

    certificate_arn: str | None = Field(
        default=None, pattern=patterns.CERTIFICATE_ARN, description="ACM certificate for the HTTPS listener"
    )
    ssl_policy: Literal[
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    ] = Field(
        default="ELBSecurityPolicy-TLS13-1-2-2021-06",
        description="TLS 1.2+1.3 (default), 1.3 only, or 1.2 restricted",
    )
    idle_timeout_seconds: int = Field(default=60, ge=1, le=4000)
    access_log_retention_days: int = Field(default=90, ge=1, le=3650)
    deletion_protection: bool = Field(default=False, description="turn on for production")
    test_listener_port: int = Field(
        default=9443, ge=1, le=65535, description="listener for blue/green test traffic (VPC only)"
    )
    public_ipv4: bool = Field(
        default=True,
        description="false: dualstack-without-public-ipv4, internet clients over IPv6 only and no "
        "public IPv4 address charges; needs network.ipv6 [default with cost_profile dev: false]",
    )
    rules_per_security_group: int = Field(
        default=60,
        ge=2,
        le=1000,
        description="your account's VPC quota of outbound rules per security group (AWS default 60); "
        "each web service adds one to its load balancer's group",
    )
