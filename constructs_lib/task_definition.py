"""``VersionedTaskDefinition``: a task-definition family whose old revisions stay usable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from constructs import Construct


class Capacity(Enum):
    """Which capacity the task definition is registered for."""

    FARGATE = "fargate"
    EC2 = "ec2"
    MANAGED_INSTANCES = "managed_instances"


_COMPATIBILITY = {
    Capacity.FARGATE: ecs.Compatibility.FARGATE,
    Capacity.EC2: ecs.Compatibility.EC2,
    Capacity.MANAGED_INSTANCES: ecs.Compatibility.MANAGED_INSTANCES,
}


@dataclass(frozen=True)
class ContainerProps:
    """One container of a task.

    Defaults: essential, read-only root filesystem, no port, no environment.
    """

    name: str
    image: ecs.ContainerImage
    port: int | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    essential: bool = True
    readonly_root_filesystem: bool = True


class VersionedTaskDefinition(Construct):
    """An ``awsvpc`` task definition with one log group, whose revisions are retained.

    CloudFormation deregisters the replaced revision on every update, which makes rollback
    to it impossible; this construct sets ``UpdateReplacePolicy: Retain`` so every
    revision stays ACTIVE until the deployer prunes it.

    Defaults: x86_64, awslogs in non-blocking mode with a 25 MiB buffer, a log group kept
    one month and retained on deletion, ``release_labels`` added as docker labels.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        family: str,
        cpu: int,
        memory_mib: int,
        containers: Sequence[ContainerProps],
        capacity: Capacity = Capacity.FARGATE,
        cpu_architecture: ecs.CpuArchitecture = ecs.CpuArchitecture.X86_64,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
        release_labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not containers:
            raise ValueError(f"task definition {family!r}: containers must not be empty")
        names = [c.name for c in containers]
        if len(set(names)) != len(names):
            raise ValueError(f"task definition {family!r}: container names repeat: {names}")
        if not any(c.essential for c in containers):
            raise ValueError(f"task definition {family!r}: at least one container must be essential")
        self.task_definition = ecs.TaskDefinition(
            self,
            "TaskDefinition",
            family=family,
            compatibility=_COMPATIBILITY[capacity],
            network_mode=ecs.NetworkMode.AWS_VPC,
            cpu=str(cpu),
            memory_mib=str(memory_mib),
            # On EC2 the instance's AMI fixes the platform; ECS rejects it in the task.
            runtime_platform=(
                ecs.RuntimePlatform(
                    cpu_architecture=cpu_architecture,
                    operating_system_family=ecs.OperatingSystemFamily.LINUX,
                )
                if capacity is Capacity.FARGATE
                else None
            ),
        )
        # Retain sets both UpdateReplacePolicy (the revision a deploy replaces stays ACTIVE)
        # and DeletionPolicy (history survives a stack deletion), in one jsii call.
        self.task_definition.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        self.log_group = logs.LogGroup(
            self, "LogGroup", retention=log_retention, removal_policy=cdk.RemovalPolicy.RETAIN
        )
        self.containers: dict[str, ecs.ContainerDefinition] = {}
        for props in containers:
            self.containers[props.name] = self._add_container(props, dict(release_labels or {}))

    def _add_container(self, props: ContainerProps, labels: dict[str, str]) -> ecs.ContainerDefinition:
        return self.task_definition.add_container(
            props.name,
            container_name=props.name,
            image=props.image,
            essential=props.essential,
            readonly_root_filesystem=props.readonly_root_filesystem,
            environment=dict(props.environment),
            docker_labels=labels or None,
            port_mappings=(
                [ecs.PortMapping(container_port=props.port, name=f"{props.name}-{props.port}")]
                if props.port
                else None
            ),
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix=props.name,
                log_group=self.log_group,
                mode=ecs.AwsLogDriverMode.NON_BLOCKING,
                max_buffer_size=cdk.Size.mebibytes(25),
            ),
        )

    @property
    def family(self) -> str:
        """The task-definition family (revisions are ``family:N``)."""
        return self.task_definition.family
