"""``VersionedTaskDefinition``: a task-definition family whose old revisions stay usable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib import task_containers, task_grants
from constructs_lib.containers import ContainerProps, MountProps
from constructs_lib.control_tower import (
    AWSVPC_ONLY,
    BRIDGE_OR_HOST,
    FIRELENS_ROOT,
    NON_ROOT_USER,
    acknowledge_control,
)
from constructs_lib.log_encryption import retained_log_group
from constructs_lib.memory_limits import ROUTER_RESERVATION_MIB, RequestedMemory, container_memory
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


class VersionedTaskDefinition(Construct):
    """A task definition with one log group, whose revisions are retained.

    CloudFormation deregisters the replaced revision on every update, which makes rollback
    to it impossible; this construct retains it (``UpdateReplacePolicy: Retain``, and
    ``DeletionPolicy: Retain`` so history survives a stack deletion) until the deployer
    prunes it.

    Defaults: ``network_mode`` awsvpc (a network interface and security group per task);
    ``bridge`` (a container port maps to a dynamic host port) and ``host`` (the container port
    is the host port) need ``Capacity.EC2``. x86_64; awslogs in non-blocking mode with a 25
    MiB buffer to a log group kept one month, retained on deletion, encrypted with
    ``log_encryption_key`` when given; ``release_labels`` added to every container as docker
    labels and to the task definition as tags. ``logging=LogRouting.FIRELENS`` adds a Fluent
    Bit router container (``firelens_image``) that ships to the same log group. ``volumes`` are task volumes
    (EFS, bind/scratch, or ``configured_at_launch`` for a service-managed EBS volume).
    Every container gets a hard memory limit, by default the task's memory, and reservations
    that add up to at most the task's (see ``constructs_lib.memory_limits``).

    The task's own roles get what the task needs to start, and nothing wider: the task role
    mounts the EFS volumes that use IAM authorisation (``grant_efs_access``), the execution
    role fetches the containers' S3 environment files (``grant_read_environment_files``) and
    decrypts their secrets with the ``secret_keys`` (``grant_decrypt_secrets``).
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
        network_mode: ecs.NetworkMode = ecs.NetworkMode.AWS_VPC,
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
        task_containers.validate(family, containers, volumes)
        if network_mode is not ecs.NetworkMode.AWS_VPC and capacity is not Capacity.EC2:
            raise ValueError(
                f"task definition {family!r}: network_mode {network_mode.name} needs Capacity.EC2 "
                f"(capacity is {capacity.name}, which runs awsvpc tasks only here)"
            )
        self._volumes = list(volumes)
        self._containers = list(containers)
        self._network_mode = network_mode
        self.task_definition = ecs.TaskDefinition(
            self,
            "TaskDefinition",
            family=family,
            compatibility=_COMPATIBILITY[capacity],
            network_mode=network_mode,
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
        self.log_group = retained_log_group(self, "LogGroup", retention=log_retention, key=log_encryption_key)
        firelens = logging is LogRouting.FIRELENS
        memory = container_memory(
            memory_mib,
            [RequestedMemory(c.memory_limit_mib, c.memory_reservation_mib) for c in containers]
            + ([RequestedMemory(None, ROUTER_RESERVATION_MIB)] if firelens else []),
        )
        if firelens:
            task_containers.add_log_router(
                self, self.task_definition, self.log_group, firelens_image, memory=memory[-1]
            )
        self.containers: dict[str, ecs.ContainerDefinition] = {}
        for props, container_memory_mib in zip(containers, memory[: len(containers)], strict=True):
            driver = task_containers.log_driver(self, self.log_group, props.name, firelens)
            self.containers[props.name] = task_containers.add_container(
                self, self.task_definition, props, labels, driver, memory=container_memory_mib
            )
        self._acknowledge_inherent_findings(containers, firelens)
        for props in containers:
            for target, condition in props.depends_on.items():
                self.containers[props.name].add_container_dependencies(
                    ecs.ContainerDependency(container=self.containers[target], condition=condition)
                )
        self.grant_efs_access(self.task_definition.task_role)
        if any(c.environment_files for c in containers):
            self.grant_read_environment_files(self.task_definition.obtain_execution_role())
        if any(c.secret_keys for c in containers):
            self.grant_decrypt_secrets(self.task_definition.obtain_execution_role())

    def grant_efs_access(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` mount each EFS volume that uses IAM authorisation
        (``elasticfilesystem:ClientMount``) and write to those a container mounts writable
        (``ClientWrite``). The task role has it from the start."""
        return task_grants.efs_access(grantee, cdk.Stack.of(self), self._volumes, self._containers)

    def grant_read_environment_files(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` read exactly the containers' S3 environment files (``s3:GetObject``)
        and locate their buckets (``s3:GetBucketLocation``). The execution role has it from the
        start: ECS fetches the files with it."""
        return task_grants.environment_files_read(grantee, cdk.Stack.of(self), list(self.containers.values()))

    def grant_decrypt_secrets(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` decrypt with the containers' ``secret_keys`` (``kms:Decrypt``), only
        through the store each key serves (``kms:ViaService``). The execution role has it from
        the start: ECS reads the secrets with it.

        On the principal's policy rather than the key's, so a key from another stack (the
        environment key) creates no dependency cycle."""
        return task_grants.secrets_decrypt(grantee, cdk.Stack.of(self), self._containers)

    def _acknowledge_inherent_findings(self, containers: Sequence[ContainerProps], firelens: bool) -> None:
        resource = self.task_definition.node.default_child
        assert resource is not None
        root = [f"{c.name}: {c.run_as_root_reason}" for c in containers if c.run_as_root_reason]
        if firelens:
            root.append(f"{task_containers.LOG_ROUTER}: {FIRELENS_ROOT}")
        if self._network_mode is not ecs.NetworkMode.AWS_VPC:
            acknowledge_control(resource, AWSVPC_ONLY, BRIDGE_OR_HOST)
        if root:
            acknowledge_control(
                resource,
                NON_ROOT_USER,
                "Containers that run as root, each with its reason. " + "; ".join(root),
            )
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
        capacity: Capacity | None = None,
        root_reasons: Mapping[str, str] | None = None,
    ) -> NativeTaskDefinition:
        """A retained task definition from native ECS JSON (see ``NativeTaskDefinition``)."""
        from constructs_lib.native_task_definition import NativeTaskDefinition

        return NativeTaskDefinition(
            scope,
            construct_id,
            document=document,
            image_overrides=image_overrides,
            release_labels=release_labels,
            capacity=capacity,
            root_reasons=root_reasons,
        )


__all__ = ["Capacity", "ContainerProps", "LogRouting", "MountProps", "VersionedTaskDefinition"]
