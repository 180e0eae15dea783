"""``BatchJobDefinition``: an AWS Batch job definition whose old revisions stay registered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_batch as batch
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib import task_grants
from constructs_lib.containers import SecretKey
from constructs_lib.log_encryption import retained_log_group
from constructs_lib.nag import ECR_TOKEN, PLAIN_ENVIRONMENT, acknowledge

NON_ROOT_USER = "1000:1000"
# What a host-level failure looks like in a job's status reason (Spot reclamation, host errors).
HOST_FAILURE = batch.Reason.SPOT_INSTANCE_RECLAIMED  # onStatusReason "Host EC2*"


@dataclass(frozen=True)
class BatchContainer:
    """The job's one container. Defaults: 256 CPU units and 512 MiB, x86_64, the image's command,
    non-root user ``1000:1000``, read-only root filesystem (each of ``writable_paths`` gets a
    scratch volume), no environment, no secrets (``secret_keys`` name the customer-managed keys
    that encrypt ``secrets``)."""

    image: ecs.ContainerImage
    cpu_units: int = 256
    memory_mib: int = 512
    architecture: ecs.CpuArchitecture = ecs.CpuArchitecture.X86_64
    command: Sequence[str] | None = None
    user: str = NON_ROOT_USER
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, batch.Secret] = field(default_factory=dict)
    secret_keys: Sequence[SecretKey] = ()
    readonly_root_filesystem: bool = True
    writable_paths: Sequence[str] = ()


@dataclass(frozen=True)
class BatchRetry:
    """``attempts`` tries in all. A job whose host went away (``Host EC2*``: Spot reclamation,
    host errors) is retried; an image that cannot be pulled (``CannotPullContainerError``) and
    each of ``exit_on_codes`` end the job at once; anything else is retried."""

    attempts: int = 3
    exit_on_codes: Sequence[int] = ()


class BatchJobDefinition(Construct):
    """A container job definition for a Fargate (default) or EC2 compute environment.

    Every update registers revision ``name:N+1`` and keeps the previous ones (skip deregister
    on update, ``UpdateReplacePolicy``/``DeletionPolicy`` Retain), like task-definition
    revisions. Defaults: a timeout of one hour per attempt; tags propagated to the tasks;
    logs (awslogs, non-blocking) to ``log_group``, kept one month, retained, encrypted with
    ``log_encryption_key`` when given; on Fargate the LATEST platform and no public IP. The
    job role (``job_role``) has no rights; the execution role reads exactly the secrets' ARNs,
    decrypts with exactly their ``secret_keys`` and writes to the job's log group only.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        container: BatchContainer,
        fargate: bool = True,
        job_definition_name: str | None = None,
        parameters: Mapping[str, str] | None = None,
        retry: BatchRetry | None = None,
        timeout: cdk.Duration | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_MONTH,
        log_encryption_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        retry = retry or BatchRetry()
        if not 1 <= retry.attempts <= 10:
            raise ValueError(f"retry attempts {retry.attempts}: allowed 1 to 10")
        if len(retry.exit_on_codes) > 3:
            raise ValueError("at most 3 exit codes: AWS Batch takes 5 exit conditions, 2 are fixed")
        self.log_group = retained_log_group(self, "LogGroup", retention=log_retention, key=log_encryption_key)
        self.execution_role = _task_role(self, "ExecutionRole", "pulls the image, reads the secrets")
        self.job_role = _task_role(self, "JobRole", "the job's own AWS rights")
        self.container = self._container(container, fargate)
        self.job_definition = batch.EcsJobDefinition(
            self,
            "JobDefinition",
            container=self.container,
            job_definition_name=job_definition_name,
            parameters=dict(parameters or {}),
            retry_attempts=retry.attempts,
            retry_strategies=[
                batch.RetryStrategy.of(batch.Action.RETRY, HOST_FAILURE),
                batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.CANNOT_PULL_CONTAINER),
                *(
                    batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom(on_exit_code=str(code)))
                    for code in retry.exit_on_codes
                ),
            ],
            timeout=timeout or cdk.Duration.hours(1),
            propagate_tags=True,
            skip_deregister_on_update=True,
        )
        self.job_definition.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
        if fargate:
            # A scratch volume on Fargate is a name only: AWS Batch says not to give "host" there.
            resource = self.job_definition.node.default_child
            assert isinstance(resource, cdk.CfnResource)
            for index in range(len(container.writable_paths)):
                resource.add_property_deletion_override(f"ContainerProperties.Volumes.{index}.Host")
        if container.secret_keys:
            task_grants.keys_decrypt(self.execution_role, cdk.Stack.of(self), container.secret_keys)
        self._acknowledge_inherent_findings(container)

    def _container(self, container: BatchContainer, fargate: bool) -> batch.IEcsContainerDefinition:
        common: dict[str, Any] = {
            "image": container.image,
            "cpu": container.cpu_units / 1024,
            "memory": cdk.Size.mebibytes(container.memory_mib),
            "command": list(container.command) if container.command else None,
            "user": container.user,
            "environment": dict(container.environment) or None,
            "secrets": dict(container.secrets) or None,
            "readonly_root_filesystem": container.readonly_root_filesystem,
            "execution_role": self.execution_role,
            "job_role": self.job_role,
            "logging": ecs.LogDriver.aws_logs(
                stream_prefix="job", log_group=self.log_group, mode=ecs.AwsLogDriverMode.NON_BLOCKING
            ),
            "volumes": [
                batch.EcsVolume.host(name=f"scratch{index}", container_path=path)
                for index, path in enumerate(container.writable_paths)
            ],
        }
        if fargate:
            return batch.EcsFargateContainerDefinition(
                self,
                "Container",
                fargate_cpu_architecture=container.architecture,
                fargate_operating_system_family=ecs.OperatingSystemFamily.LINUX,
                fargate_platform_version=ecs.FargatePlatformVersion.LATEST,
                assign_public_ip=False,
                **common,
            )
        return batch.EcsEc2ContainerDefinition(self, "Container", **common)

    def _acknowledge_inherent_findings(self, container: BatchContainer) -> None:
        if container.environment:
            acknowledge(self.job_definition.node.default_child, "ECS2", PLAIN_ENVIRONMENT)  # type: ignore[arg-type]
        policy = self.execution_role.node.try_find_child("DefaultPolicy")
        if policy is not None and policy.node.default_child is not None:
            acknowledge(policy.node.default_child, "IAM5[Resource::*]", ECR_TOKEN)

    @property
    def name(self) -> str:
        """The job definition name (revisions are ``name:N``)."""
        return self.job_definition.job_definition_name


def _task_role(scope: Construct, construct_id: str, purpose: str) -> iam.Role:
    return iam.Role(
        scope,
        construct_id,
        assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
        description=f"Batch job: {purpose}",
    )
