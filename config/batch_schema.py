"""Spec models of the ``batch:`` section: AWS Batch compute environments, job queues and jobs.

A Batch job is defined with the same container keys as a service (image, cpu/memory in CPU
units and MiB, environment, secrets, user, read-only root filesystem, permissions), runs to
completion in the environment's private subnets and is started with ``deployer batch submit``.
Cross-field rules (known queues and compute environments, Fargate sizes, one kind of compute
per queue) are in ``config.batch_checks``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from config import patterns
from config.container_schema import SecretRef
from config.permissions_schema import PermissionSpec
from config.spec_model import SpecModel
from config.types import EnvVarName, ImageRef, InstanceType, Name

# AWS Batch's own limits (API reference: RetryStrategy, JobTimeout, JobStateTimeLimitAction,
# ArrayProperties); EvaluateOnExit takes at most 5 conditions, 2 of which are always ours.
RETRY_ATTEMPTS_MAX = 10
EVALUATE_ON_EXIT_MAX = 5
FIXED_EXIT_CONDITIONS = 2
RUNNABLE_MINUTES_MIN, RUNNABLE_MINUTES_MAX = 10, 1440  # maxTimeSeconds 600 to 86400
ARRAY_SIZE_MIN, ARRAY_SIZE_MAX = 2, 10000
NON_ROOT_USER = "1000:1000"

ParameterName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,128}$")]


class ComputeEnvironmentSpec(SpecModel):
    """Where a queue's jobs run, scaled by AWS Batch from zero to ``max_vcpus``.

    ``type: fargate`` (default) runs each job as a Fargate task; ``type: ec2`` launches
    instances of ``instance_types`` (hardened launch template: IMDSv2 with hop limit 1,
    encrypted gp3 root volume). ``spot: true`` uses Fargate Spot or EC2 Spot (price-capacity
    optimised). Always in the environment's private subnets, with a security group that
    accepts no inbound traffic.
    """

    type: Literal["fargate", "ec2"] = Field(default="fargate", description="fargate or ec2")
    spot: bool = Field(default=False, description="Fargate Spot or EC2 Spot capacity")
    max_vcpus: int = Field(default=16, ge=1, le=10000, description="most vCPUs running at once")
    instance_types: tuple[InstanceType, ...] = Field(
        default=(),
        max_length=20,
        description="ec2: instance types, all of one CPU architecture (required for ec2)",
    )
    root_volume_gib: int = Field(
        default=30,
        ge=1,
        le=16384,
        description="ec2: encrypted gp3 root volume, at least the ECS-optimised AL2023 AMI's 30 GiB snapshot",
    )


class JobQueueSpec(SpecModel):
    """A job queue. Jobs wait in RUNNABLE until a compute environment has room; one that waits
    longer than ``runnable_timeout_minutes`` because capacity is short or no environment can
    ever fit it is cancelled (Batch job-state time limit actions), never left there forever."""

    compute_environments: tuple[Name, ...] = Field(
        min_length=1,
        max_length=3,
        description="compute environments in order of preference (all Fargate or all EC2)",
    )
    priority: int = Field(
        default=1, ge=0, le=1000, description="queues sharing a compute environment: higher goes first"
    )
    runnable_timeout_minutes: int = Field(
        default=60,
        ge=RUNNABLE_MINUTES_MIN,
        le=RUNNABLE_MINUTES_MAX,
        description="cancel a job that cannot start for this long (10 to 1440)",
    )


class RetrySpec(SpecModel):
    """How often a failed job is tried (``attempts`` in all, 1 = no retry).

    A job whose host went away (Spot reclamation, an EC2 host error: status reason
    ``Host EC2*``) is retried; one whose image cannot be pulled (``CannotPullContainerError``)
    or that exits with one of ``exit_on_codes`` fails at once. Any other failure is retried
    until ``attempts`` run out. Default: 3 attempts, no exit code named.
    """

    attempts: int = Field(default=3, ge=1, le=RETRY_ATTEMPTS_MAX, description="tries in all (1 to 10)")
    exit_on_codes: tuple[Annotated[int, Field(ge=1, le=255)], ...] = Field(
        default=(),
        max_length=EVALUATE_ON_EXIT_MAX - FIXED_EXIT_CONDITIONS,
        description="non-zero exit codes that mean 'do not retry' (at most 3)",
    )


class BatchJobSpec(SpecModel):
    """A Batch job definition, built from the same container keys as a service.

    Defaults: 256 CPU units and 512 MiB (Fargate sizes are checked like a service's), x86_64,
    non-root user ``1000:1000`` (root only with ``root_reason``), read-only root filesystem
    (``writable_paths`` get scratch volumes), logs to its own log group encrypted with the
    environment key and kept 30 days, 3 attempts, 60-minute timeout per attempt. Every deploy
    that changes it registers a new revision and keeps the previous ones.
    """

    queue: Name = Field(description="the job queue it is submitted to")
    image: ImageRef
    command: tuple[str, ...] | None = Field(
        default=None, description="command; Ref::<parameter> is replaced by the parameter's value"
    )
    parameters: dict[ParameterName, str] = Field(
        default_factory=dict, description="default values of the command's Ref::<name> parameters"
    )
    cpu: int = Field(default=256, ge=128, le=16384, description="CPU units (1024 = 1 vCPU)")
    memory: int = Field(default=512, ge=128, le=122880, description="memory (MiB)")
    architecture: Literal["x86_64", "arm64"] = Field(
        default="x86_64", description="CPU architecture of the image (Fargate runtime platform)"
    )
    user: str = Field(
        default=NON_ROOT_USER, pattern=patterns.CONTAINER_USER, description="user[:group] to run as"
    )
    root_reason: str | None = Field(
        default=None, min_length=10, description="why the job must run as root (required for user root/0)"
    )
    environment: dict[EnvVarName, str] = Field(default_factory=dict, description="plain variables")
    secrets: dict[EnvVarName, SecretRef] = Field(default_factory=dict, description="secret variables")
    readonly_root_filesystem: bool = Field(default=True)
    writable_paths: tuple[str, ...] = Field(
        default=(), description="paths given a writable scratch volume (e.g. /tmp) on a read-only root"
    )
    retry: RetrySpec = Field(default=RetrySpec(), description="attempts and exit codes that stop retries")
    timeout_minutes: int = Field(
        default=60, ge=1, le=20160, description="an attempt running longer is stopped (1 to 20160)"
    )
    log_retention_days: int = Field(default=30, description="retention of the job's log group")
    permissions: tuple[PermissionSpec, ...] = Field(
        default=(), description="AWS rights the job needs, one intent per item (docs/permissions.md)"
    )


class BatchSpec(SpecModel):
    """AWS Batch in this environment: compute environments, queues and job definitions.
    Default: none (no Batch stack)."""

    compute_environments: dict[Name, ComputeEnvironmentSpec] = Field(
        default_factory=dict, description="compute environments by name"
    )
    queues: dict[Name, JobQueueSpec] = Field(default_factory=dict, description="job queues by name")
    jobs: dict[Name, BatchJobSpec] = Field(default_factory=dict, description="job definitions by name")

    @property
    def enabled(self) -> bool:
        """True when the environment has any Batch resource (its stack then exists)."""
        return bool(self.compute_environments or self.queues or self.jobs)
