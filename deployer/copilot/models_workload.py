"""Copilot manifest models of the four ECS workload types and their ``environments`` overrides."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from deployer.copilot.model_base import Duration, LooseMap, Model, Seconds, Text, wrap_scalar
from deployer.copilot.models_container import ContainerKeys
from deployer.copilot.models_count import Count

WEB = "Load Balanced Web Service"
BACKEND = "Backend Service"
WORKER = "Worker Service"
JOB = "Scheduled Job"
NOT_ECS = ("Request-Driven Web Service", "Static Site")


class HttpHealthCheck(Model):
    path: str | None = None
    port: int | None = None
    success_codes: Text | None = None
    healthy_threshold: int | None = None
    unhealthy_threshold: int | None = None
    interval: Seconds | None = None
    timeout: Seconds | None = None
    grace_period: Seconds | None = None


class Alias(Model):
    name: str
    hosted_zone: str | None = None


def _aliases(value: object) -> object:
    """``alias: a.com``, ``[a.com, b.com]`` or ``[{name: a.com, hosted_zone: Z…}]``."""
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list):
        return [{"name": item} if isinstance(item, str) else item for item in items]
    return value


def _switch(value: object) -> object:
    """``http: false`` turns the load balancer off; ``true`` keeps the defaults."""
    return {"~enabled": value} if isinstance(value, bool) else value


class RoutingRule(Model):
    enabled: bool = Field(default=True, alias="~enabled")
    path: str | None = None
    version: str | None = None
    healthcheck: Annotated[HttpHealthCheck | None, wrap_scalar("path")] = None
    stickiness: bool | None = None
    alias: Annotated[list[Alias], BeforeValidator(_aliases)] = Field(default_factory=list)
    hosted_zone: str | None = None
    deregistration_delay: Seconds | None = None
    target_container: str | None = None
    target_container_camel: str | None = Field(default=None, alias="targetContainer")
    target_port: int | None = None
    allowed_source_ips: list[str] = Field(default_factory=list)
    redirect_to_https: bool | None = None
    additional_rules: list[LooseMap] = Field(default_factory=list)


class Exec(Model):
    enable: bool | None = None


class Deployment(Model):
    rolling: Literal["default", "recreate"] | None = None
    rollback_alarms: list[str] | LooseMap | None = None


class ServiceConnect(Model):
    enabled: bool = Field(default=True, alias="~enabled")
    alias: str | None = None


class Placement(Model):
    kind: Literal["public", "private"] | None = Field(default=None, alias="~kind")
    subnets: Any = None


class Vpc(Model):
    placement: Annotated[Placement | None, wrap_scalar("~kind")] = None
    security_groups: Any = None


class Network(Model):
    connect: Annotated[ServiceConnect | None, BeforeValidator(_switch)] = None
    vpc: Vpc | None = None


class Observability(Model):
    tracing: str | None = None


class Queue(Model):
    retention: Duration | None = None
    delay: Duration | None = None
    timeout: Seconds | None = None
    dead_letter: dict[Literal["tries"], int] | None = None
    fifo: Any = None


class Topic(Model):
    name: str
    service: str
    filter_policy: Any = None
    queue: Any = None


class Subscribe(Model):
    topics: list[Topic] = Field(default_factory=list)
    queue: Queue | None = None


class On(Model):
    schedule: Text


class ServiceKeys(ContainerKeys):
    """Keys of the long-running types (web, backend, worker)."""

    count: Annotated[Count | None, wrap_scalar("~value")] = None
    exec: Annotated[Exec | None, wrap_scalar("enable")] = None
    deployment: Deployment | None = None
    network: Network | None = None
    observability: Observability | None = None


class WebConfig(ServiceKeys):
    http: Annotated[RoutingRule | None, BeforeValidator(_switch)] = None
    nlb: LooseMap | None = None


class BackendConfig(ServiceKeys):
    http: RoutingRule | None = None


class WorkerConfig(ServiceKeys):
    subscribe: Subscribe | None = None


class JobConfig(ContainerKeys):
    on: On | None = None
    retries: int | None = None
    timeout: Seconds | None = None
    network: Network | None = None


WorkloadConfig = WebConfig | BackendConfig | WorkerConfig | JobConfig


class _Named(Model):
    name: str | None = None
    type: str


class WebManifest(WebConfig, _Named):
    environments: dict[str, WebConfig | None] = Field(default_factory=dict)


class BackendManifest(BackendConfig, _Named):
    environments: dict[str, BackendConfig | None] = Field(default_factory=dict)


class WorkerManifest(WorkerConfig, _Named):
    environments: dict[str, WorkerConfig | None] = Field(default_factory=dict)


class JobManifest(JobConfig, _Named):
    environments: dict[str, JobConfig | None] = Field(default_factory=dict)


MANIFEST_BY_TYPE: dict[str, tuple[type[Model], type[ContainerKeys]]] = {
    WEB: (WebManifest, WebConfig),
    BACKEND: (BackendManifest, BackendConfig),
    WORKER: (WorkerManifest, WorkerConfig),
    JOB: (JobManifest, JobConfig),
}
