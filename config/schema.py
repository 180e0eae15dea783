"""The typed deployment spec: one ``AppSpec`` per environment file.

Every model is immutable and rejects unknown keys. Field descriptions are the config
reference: they flow into the JSON Schema (``deployer schema``) that editors use.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from config import patterns
from config.batch_schema import BatchSpec
from config.capacity_schema import (
    FARGATE,
    FARGATE_PROVIDERS,
    FARGATE_SPOT,
    Ec2CapacitySpec,
    ManagedInstancesSpec,
    StrategyItem,
)
from config.checks import find_problems, raise_problems
from config.container_schema import ContainerSpec, RootReason, VolumeSpec
from config.control_tower import unknown_control_problem
from config.cost_profiles import apply_profile_defaults
from config.permissions_schema import PermissionSpec
from config.placement_schema import AWSVPC, NetworkMode, PlacementStrategySpec
from config.service_connect_schema import ServiceConnectTlsSpec
from config.service_kinds import (
    AutoscalingSpec,
    DeploymentSpec,
    HttpSpec,
    LoadBalancerSpec,
    QueueSpec,
    ScheduleSpec,
    ServiceKind,
)
from config.spec_model import SpecModel
from config.trigger_schema import TriggerSpec
from config.types import ImageRef, Name, Region
from config.workflow_schema import WorkflowSpec

__all__ = ["FARGATE", "FARGATE_PROVIDERS", "FARGATE_SPOT", "AppSpec", "Ec2CapacitySpec", "StrategyItem"]


CapacityKind = Literal["fargate", "ec2", "managed_instances"]
# Validation context key: the environment the file name says (the loader checks environment.name).
FILE_ENVIRONMENT = "file_environment"


def _shipped_control(control: str) -> str:
    problem = unknown_control_problem(control)
    if problem:
        raise PydanticCustomError("unknown_proactive_control", "{problem}", {"problem": problem})
    return control


ProactiveControl = Annotated[str, Field(pattern=patterns.PROACTIVE_CONTROL), AfterValidator(_shipped_control)]


class EnvironmentSpec(SpecModel):
    """Where the environment lives."""

    name: Name = Field(description="environment name; must match the file name")
    account: str = Field(pattern=patterns.ACCOUNT, description="12-digit AWS account id")
    region: Region
    target: Literal["local", "aws"] = Field(
        description="'local': the moto endpoint on loopback; 'aws': a real account"
    )
    require_image_digests: bool = Field(
        default=False, description="every image must be pinned by @sha256 digest (production)"
    )
    permissions_boundary: str | None = Field(
        default=None,
        pattern=patterns.MANAGED_POLICY_ARN,
        description="managed policy ARN applied as permissions boundary to every role the app creates",
    )
    task_definition_revisions_kept: int = Field(
        default=10, ge=2, le=1000, description="revisions per family the deployer's prune keeps"
    )
    cost_profile: Literal["standard", "dev"] = Field(
        default="standard",
        description="'dev': cheaper defaults for keys the file leaves out (NAT instance, dual-stack "
        "VPC, Fargate Spot); see docs/cost.md",
    )

    proactive_controls: list[ProactiveControl] = Field(
        default_factory=list,
        description="AWS Control Tower proactive controls the account enforces (CloudFormation hooks), "
        "e.g. CT.ECS.PR.3, or 'all': the synthesis runs their cfn-guard rules "
        "(cdklabs.cdk-validator-cfnguard) and fails on a violation; default: none",
    )

    @property
    def is_local(self) -> bool:
        """True for the local endpoint (target ``local``), False for a real account (``aws``)."""
        return self.target == "local"

    @field_validator("account", mode="before")
    @classmethod
    def _account_is_quoted(cls, value: object) -> object:
        # Unquoted, YAML reads the id as a number and drops leading zeros.
        if isinstance(value, int):
            raise PydanticCustomError(
                "account_not_quoted",
                '{value} must be quoted: an AWS account id is 12 digits, as a string ("012345678901")',
                {"value": value},
            )
        return value


class NetworkSpec(SpecModel):
    """The VPC. Default: 10.0.0.0/16 over 2 AZs with 1 NAT gateway."""

    cidr: ipaddress.IPv4Network = Field(
        default=ipaddress.IPv4Network("10.0.0.0/16"),
        description="VPC CIDR block: /16 or /17 for up to 6 AZs, /18 for 3, /19 for 1 "
        "(each AZ takes a /24 public and a /20 private subnet)",
    )
    max_azs: int = Field(default=2, ge=1, le=6, description="availability zones to span")
    nat_gateways: int = Field(
        default=1, ge=0, le=6, description="NAT gateways (0 = no egress from private subnets)"
    )
    interface_endpoints: bool = Field(
        default=False,
        description="private endpoints: ECR, CloudWatch Logs, Secrets Manager, SSM (+ ECS for EC2 groups)",
    )
    nat: Literal["gateway", "instance"] = Field(
        default="gateway",
        description="NAT gateways, or t4g.nano NAT instances (nat_gateways counts them) "
        "[default with cost_profile dev: instance]",
    )
    ipv6: bool = Field(
        default=False,
        description="dual-stack VPC: an IPv6 block per subnet, egress-only IPv6 from private subnets "
        "[default with cost_profile dev: true]",
    )
    service_connect_tls: ServiceConnectTlsSpec = Field(
        default_factory=ServiceConnectTlsSpec, description="TLS between services (default: off)"
    )


class ClusterSpec(SpecModel):
    """The ECS cluster and its capacity. Default: Fargate only, enhanced insights."""

    container_insights: Literal["enhanced", "enabled", "disabled"] = Field(
        default="enhanced", description="CloudWatch Container Insights level"
    )
    fargate: bool = Field(default=True, description="add the FARGATE and FARGATE_SPOT capacity providers")
    ec2_capacity: dict[Name, Ec2CapacitySpec] = Field(
        default_factory=dict, description="EC2 Auto Scaling capacity groups by name"
    )
    managed_instances: dict[Name, ManagedInstancesSpec] = Field(
        default_factory=dict, description="ECS Managed Instances capacity providers by name"
    )
    default_capacity: tuple[StrategyItem, ...] = Field(
        default=(StrategyItem(provider=FARGATE),),
        min_length=1,
        description="strategy for services that do not set their own 'capacity'",
    )
    dashboard: bool = Field(
        default=True,
        description="the environment's CloudWatch dashboard ($3/month past an account's first 3) "
        "[default with cost_profile dev: false]",
    )


class ServiceSpec(ContainerSpec):
    """A service or a job. Its main container (named after the service) is described by the
    container keys at this level; ``sidecars`` add more containers to the task.

    ``kind``: ``backend`` (default; internal, reachable through Service Connect when it has
    a port), ``web`` (behind a public load balancer: ``http.load_balancer``, default
    ``main``), ``worker`` (consumes its own SQS queue, scaled on backlog per task) or ``job``
    (a scheduled task that runs to completion).
    """

    kind: ServiceKind = Field(default="backend", description="web, backend, worker or job")
    http: HttpSpec | None = Field(default=None, description="web: routing and health check [default: /*]")
    queue: QueueSpec | None = Field(default=None, description="worker: queue and scaling [default: on]")
    schedule: ScheduleSpec | None = Field(default=None, description="job: when it runs")
    triggers: tuple[TriggerSpec, ...] = Field(default=(), description="job: events that start a task")
    deployment: DeploymentSpec = Field(default=DeploymentSpec(), description="strategy and rollback")
    autoscaling: AutoscalingSpec | None = Field(default=None, description="target tracking (web, backend)")
    allow_from: tuple[Name, ...] = Field(
        default=(), description="services whose tasks may connect to this service's port"
    )

    cpu: int = Field(default=256, ge=128, le=16384, description="task CPU units")
    memory: int = Field(default=512, ge=128, le=122880, description="task memory (MiB)")
    desired_count: int = Field(default=1, ge=0, le=1000, description="tasks to keep running")
    capacity: tuple[StrategyItem, ...] | None = Field(
        default=None, min_length=1, description="capacity provider strategy override"
    )
    architecture: Literal["x86_64", "arm64"] = Field(
        default="x86_64", description="CPU architecture of the images (Fargate runtime platform)"
    )
    network_mode: NetworkMode = Field(
        default=AWSVPC,
        description="awsvpc: a network interface and security group per task; on EC2 groups only: "
        "bridge (dynamic host ports, many tasks per instance) or host (the instance's network; "
        "needs host_network_reason)",
    )
    host_network_reason: str | None = Field(
        default=None,
        min_length=10,
        description="why this service needs the host's network (Security Hub ECS.17); shown by validate",
    )
    placement: tuple[PlacementStrategySpec, ...] = Field(
        default=(),
        description="EC2 groups only: placement strategies in order, e.g. [{binpack: memory}] "
        "[default: none; ECS then spreads tasks across availability zones]",
    )
    ephemeral_storage_gib: int | None = Field(
        default=None, ge=21, le=200, description="Fargate task storage above the default 20 GiB"
    )
    image: ImageRef | None = None  # type: ignore[assignment]
    task_definition_file: str | None = Field(
        default=None,
        description="native ECS task-definition JSON (path relative to config/), instead of container keys",
    )
    run_as_root_containers: dict[str, RootReason] = Field(
        default_factory=dict,
        description="task_definition_file only: the file's containers that run as root (no user, or "
        "root), each with its reason; every other container names a non-root user",
    )
    sidecars: dict[Name, ContainerSpec] = Field(default_factory=dict, description="more containers")
    volumes: dict[Name, VolumeSpec] = Field(default_factory=dict, description="task volumes")
    logging: Literal["awslogs", "firelens"] = Field(
        default="awslogs", description="awslogs to CloudWatch, or a FireLens (Fluent Bit) router"
    )
    log_retention_days: int = Field(default=30, description="retention of the service's log group")
    permissions: tuple[PermissionSpec, ...] = Field(
        default=(), description="AWS rights the app needs, one intent per item (docs/permissions.md)"
    )

    @property
    def http_settings(self) -> HttpSpec:
        """``http``, or its defaults."""
        return self.http or HttpSpec()

    @property
    def scaled(self) -> bool:
        """True when scaling owns the task count (autoscaling, or a worker's queue backlog)."""
        return self.autoscaling is not None or self.kind == "worker"

    @property
    def queue_settings(self) -> QueueSpec:
        """``queue``, or its defaults."""
        return self.queue or QueueSpec()

    def containers(self, service_name: str) -> dict[str, ContainerSpec]:
        """Every container of the task by name: the main one (``service_name``) first."""
        return {service_name: self, **self.sidecars}


class AppSpec(SpecModel):
    """One environment of one application."""

    app: Name = Field(description="application name; prefixes every stack and resource")
    environment: EnvironmentSpec
    network: NetworkSpec = NetworkSpec()
    cluster: ClusterSpec = ClusterSpec()
    load_balancer: LoadBalancerSpec = LoadBalancerSpec()
    services: dict[Name, ServiceSpec] = Field(min_length=1, description="services by name")
    workflows: dict[Name, WorkflowSpec] = Field(
        default_factory=dict, description="Step Functions workflows by name"
    )
    batch: BatchSpec = Field(default=BatchSpec(), description="AWS Batch compute, queues and jobs")

    _task_definitions: dict[str, dict[str, Any]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _cost_profile_defaults(cls, data: Any) -> Any:
        return apply_profile_defaults(data)

    def task_definition_document(self, service: str) -> dict[str, Any] | None:
        """The native JSON of ``service`` when its spec names a ``task_definition_file``."""
        return self._task_definitions.get(service)

    def with_task_definitions(self, documents: dict[str, dict[str, Any]]) -> AppSpec:
        """A copy carrying the loaded native documents (the loader calls this)."""
        copy = self.model_copy()
        copy._task_definitions = dict(documents)
        return copy

    @model_validator(mode="after")
    def _check_cross_field(self, info: ValidationInfo) -> AppSpec:
        problems = list(find_problems(self))
        file_environment = (info.context or {}).get(FILE_ENVIRONMENT)
        if file_environment is not None and self.environment.name != file_environment:
            problems.insert(
                0,
                (
                    ("environment", "name"),
                    f"{self.environment.name!r} does not match the file name {file_environment!r}: "
                    "rename one of them",
                    self.environment.name,
                ),
            )
        raise_problems(type(self).__name__, problems)
        return self

    def strategy_for(self, service: str) -> tuple[StrategyItem, ...]:
        """The capacity provider strategy a service runs with (its own, else the default)."""
        return self.services[service].capacity or self.cluster.default_capacity

    def capacity_kind(self, service: str) -> CapacityKind:
        """Which kind of capacity the service's strategy uses (a strategy never mixes them)."""
        return self.provider_kind(self.strategy_for(service)[0].provider)

    def provider_kind(self, provider: str) -> CapacityKind:
        """``fargate``, ``ec2`` or ``managed_instances`` for a provider name of this cluster."""
        if provider in FARGATE_PROVIDERS:
            return "fargate"
        return "managed_instances" if provider in self.cluster.managed_instances else "ec2"

    def services_of_kind(self, *kinds: ServiceKind) -> list[str]:
        """Names of the services of those kinds, in spec order."""
        return [name for name, svc in self.services.items() if svc.kind in kinds]

    @property
    def long_running(self) -> list[str]:
        """Services that ECS keeps running (every kind but ``job``)."""
        return self.services_of_kind("web", "backend", "worker")

    def network_mode_of(self, service: str) -> NetworkMode:
        """The service's network mode: its task-definition file's ``networkMode`` when it names
        one of awsvpc, bridge or host, else the spec's ``network_mode``."""
        document = self.task_definition_document(service) or {}
        mode = document.get("networkMode")
        if mode in ("awsvpc", "bridge", "host"):
            return mode  # type: ignore[no-any-return]
        return self.services[service].network_mode

    def runs_on_fargate(self, service: str) -> bool:
        """True when the service's strategy uses Fargate providers."""
        return self.capacity_kind(service) == "fargate"
