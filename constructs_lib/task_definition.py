"""``VersionedTaskDefinition``: a task-definition family whose old revisions stay usable."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib.containers import ContainerProps, MountProps
from constructs_lib.control_tower import IMPORTED_KEY, LOG_GROUP_KMS, acknowledge_control, key_is_imported
from constructs_lib.memory_limits import ContainerMemory, RequestedMemory, container_memory
from constructs_lib.nag import ECR_TOKEN, PLAIN_ENVIRONMENT, acknowledge

if TYPE_CHECKING:
    from constructs_lib.native_task_definition import NativeTaskDefinition


class Capacity(Enum):
    """Which capacity the task definition is registered for."""

    FARGATE = "fargate"
    EC2 = "ec2"
    MANAGED_INSTANCES = "managed_instances"


class LogRouting(Enum):
    """How container output leaves the task."""

    AWSLOGS = "awslogs"
    FIRELENS = "firelens"


_COMPATIBILITY = {
    Capacity.FARGATE: ecs.Compatibility.FARGATE,
    Capacity.EC2: ecs.Compatibility.EC2,
    Capacity.MANAGED_INSTANCES: ecs.Compatibility.MANAGED_INSTANCES,
}
FLUENT_BIT_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
LOG_ROUTER = "log-router"
ROUTER_RESERVATION_MIB = 50


class VersionedTaskDefinition(Construct):
    """An ``awsvpc`` task definition with one log group, whose revisions are retained.

    CloudFormation deregisters the replaced revision on every update, which makes rollback
    to it impossible; this construct retains it (``UpdateReplacePolicy: Retain``, and
    ``DeletionPolicy: Retain`` so history survives a stack deletion) until the deployer
    prunes it.

    Defaults: x86_64; awslogs in non-blocking mode with a 25 MiB buffer to a log group kept
    one month, retained on deletion, encrypted with ``log_encryption_key`` when given;
    ``release_labels`` added to every container as docker labels and to the task definition
    as tags. ``logging=LogRouting.FIRELENS`` adds a Fluent Bit router container
    (``firelens_image``) that ships to the same log group. ``volumes`` are task volumes
    (EFS, bind/scratch, or ``configured_at_launch`` for a service-managed EBS volume).
    Every container gets a hard memory limit, by default the task's memory, and reservations
    that add up to at most the task's (see ``constructs_lib.memory_limits``).
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
        ephemeral_storage_gib: int | None = None,
        volumes: Sequence[ecs.Volume] = (),
        logging: LogRouting = LogRouting.AWSLOGS,
        firelens_image: str = FLUENT_BIT_IMAGE,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
        log_encryption_key: kms.IKey | None = None,
        release_labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        _validate(family, containers, volumes)
        self.task_definition = ecs.TaskDefinition(
            self,
            "TaskDefinition",
            family=family,
            compatibility=_COMPATIBILITY[capacity],
            network_mode=ecs.NetworkMode.AWS_VPC,
            cpu=str(cpu),
            memory_mib=str(memory_mib),
            ephemeral_storage_gib=ephemeral_storage_gib,
            volumes=list(volumes),
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
        labels = dict(release_labels or {})
        for key, value in labels.items():
            cdk.Tags.of(self.task_definition).add(key, value)
        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            retention=log_retention,
            encryption_key=log_encryption_key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        if key_is_imported(self, log_encryption_key):
            acknowledge_control(self.log_group, LOG_GROUP_KMS, IMPORTED_KEY)
        firelens = logging is LogRouting.FIRELENS
        memory = container_memory(
            memory_mib,
            [RequestedMemory(c.memory_limit_mib, c.memory_reservation_mib) for c in containers]
            + ([RequestedMemory(None, ROUTER_RESERVATION_MIB)] if firelens else []),
        )
        if firelens:
            self._add_log_router(firelens_image, memory[-1])
        self.containers: dict[str, ecs.ContainerDefinition] = {}
        for props, container_mem in zip(containers, memory[: len(containers)], strict=True):
            self.containers[props.name] = self._add_container(props, labels, logging, container_mem)
        self._acknowledge_inherent_findings(containers)
        for props in containers:
            for target, condition in props.depends_on.items():
                self.containers[props.name].add_container_dependencies(
                    ecs.ContainerDependency(container=self.containers[target], condition=condition)
                )

    def _log_driver(self, stream_prefix: str, logging: LogRouting) -> ecs.LogDriver:
        if logging is LogRouting.FIRELENS:
            region = cdk.Stack.of(self).region
            return ecs.LogDrivers.firelens(
                options={
                    "Name": "cloudwatch_logs",
                    "region": region,
                    "log_group_name": self.log_group.log_group_name,
                    "log_stream_prefix": f"{stream_prefix}/",
                    "auto_create_group": "false",
                }
            )
        return ecs.LogDrivers.aws_logs(
            stream_prefix=stream_prefix,
            log_group=self.log_group,
            mode=ecs.AwsLogDriverMode.NON_BLOCKING,
            max_buffer_size=cdk.Size.mebibytes(25),
        )

    def _add_log_router(self, image: str, memory: ContainerMemory) -> None:
        router = self.task_definition.add_firelens_log_router(
            LOG_ROUTER,
            container_name=LOG_ROUTER,
            image=ecs.ContainerImage.from_registry(image),
            essential=True,
            firelens_config=ecs.FirelensConfig(type=ecs.FirelensLogRouterType.FLUENTBIT),
            logging=self._log_driver(LOG_ROUTER, LogRouting.AWSLOGS),
            memory_limit_mib=memory.limit_mib,
            memory_reservation_mib=memory.reservation_mib,
            readonly_root_filesystem=False,  # Fluent Bit buffers to its filesystem
        )
        self.log_group.grant_write(self.task_definition.task_role)
        del router

    def _add_container(
        self, props: ContainerProps, labels: dict[str, str], logging: LogRouting, memory: ContainerMemory
    ) -> ecs.ContainerDefinition:
        container = self.task_definition.add_container(
            props.name,
            container_name=props.name,
            image=props.image,
            essential=props.essential,
            command=list(props.command) if props.command is not None else None,
            entry_point=list(props.entry_point) if props.entry_point is not None else None,
            working_directory=props.working_directory,
            user=props.user,
            readonly_root_filesystem=props.readonly_root_filesystem,
            environment=dict(props.environment),
            secrets=dict(props.secrets) or None,
            environment_files=list(props.environment_files) or None,
            health_check=props.health_check,
            stop_timeout=props.stop_timeout,
            docker_labels={**props.docker_labels, **labels} or None,
            cpu=props.cpu,
            memory_limit_mib=memory.limit_mib,
            memory_reservation_mib=memory.reservation_mib,
            linux_parameters=(
                ecs.LinuxParameters(self, f"{props.name}-linux", init_process_enabled=True)
                if props.init_process
                else None
            ),
            port_mappings=(
                [
                    ecs.PortMapping(
                        container_port=props.port,
                        name=f"{props.name}-{props.port}",
                        app_protocol=props.app_protocol,
                    )
                ]
                if props.port
                else None
            ),
            logging=self._log_driver(props.name, logging),
        )
        if props.ulimits:
            container.add_ulimits(*props.ulimits)
        for index, path in enumerate(props.writable_paths):
            volume = f"{props.name}-scratch-{index}"
            self.task_definition.add_volume(name=volume)
            container.add_mount_points(
                ecs.MountPoint(container_path=path, source_volume=volume, read_only=False)
            )
        for mount in props.mounts:
            container.add_mount_points(
                ecs.MountPoint(
                    container_path=mount.path, source_volume=mount.volume, read_only=mount.read_only
                )
            )
        return container

    def _acknowledge_inherent_findings(self, containers: Sequence[ContainerProps]) -> None:
        if any(c.environment for c in containers):
            acknowledge(self.task_definition.node.default_child, "ECS2", PLAIN_ENVIRONMENT)  # type: ignore[arg-type]
        role = self.task_definition.execution_role
        policy = role.node.try_find_child("DefaultPolicy") if role is not None else None
        if policy is not None and policy.node.default_child is not None:
            acknowledge(policy.node.default_child, "IAM5[Resource::*]", ECR_TOKEN)

    @property
    def family(self) -> str:
        """The task-definition family (revisions are ``family:N``)."""
        return self.task_definition.family

    @staticmethod
    def from_native_json(
        scope: Construct,
        construct_id: str,
        document: Mapping[str, Any],
        *,
        image_overrides: Mapping[str, str] | None = None,
        release_labels: Mapping[str, str] | None = None,
    ) -> NativeTaskDefinition:
        """A retained task definition from native ECS JSON (see ``NativeTaskDefinition``)."""
        from constructs_lib.native_task_definition import NativeTaskDefinition

        return NativeTaskDefinition(
            scope,
            construct_id,
            document=document,
            image_overrides=image_overrides,
            release_labels=release_labels,
        )


def _validate(family: str, containers: Sequence[ContainerProps], volumes: Sequence[ecs.Volume]) -> None:
    prefix = f"task definition {family!r}"
    if not containers:
        raise ValueError(f"{prefix}: containers must not be empty")
    names = [c.name for c in containers]
    if len(set(names)) != len(names) or LOG_ROUTER in names:
        raise ValueError(f"{prefix}: container names repeat or use the reserved {LOG_ROUTER!r}: {names}")
    if not any(c.essential for c in containers):
        raise ValueError(f"{prefix}: at least one container must be essential")
    volume_names = {v.name for v in volumes}
    for container in containers:
        for target in container.depends_on:
            if target not in names or target == container.name:
                raise ValueError(f"{prefix}: container {container.name!r} depends on unknown {target!r}")
        for mount in container.mounts:
            if mount.volume not in volume_names:
                raise ValueError(
                    f"{prefix}: container {container.name!r} mounts unknown volume {mount.volume!r}"
                )
        for path in container.writable_paths:
            if not re.match(r"^/", path):
                raise ValueError(f"{prefix}: writable path {path!r} of {container.name!r} is not absolute")


__all__ = ["Capacity", "ContainerProps", "LogRouting", "MountProps", "VersionedTaskDefinition"]
