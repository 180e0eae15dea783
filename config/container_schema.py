"""Spec models of a task's containers: the main one (service-level keys) and sidecars."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from config import patterns
from config.patterns import ENVIRONMENT_KEY, SECRET_KMS_KEY
from config.permissions_schema import PARAMETER_REFERENCE, parameter_reference_problem
from config.spec_model import SpecModel, checked
from config.types import EnvVarName, ImageRef, Name

S3ObjectArn = Annotated[str, StringConstraints(pattern=patterns.S3_OBJECT_ARN)]


class SecretRef(SpecModel):
    """Where a secret environment variable comes from: Secrets Manager or SSM Parameter Store.

    Exactly one of ``secret`` (a Secrets Manager ARN, optionally with ``key`` for one JSON
    field and ``version_stage``/``version_id``) or ``parameter`` (an SSM parameter name).
    ``kms_key`` names the customer-managed key it is encrypted with, so that the execution role
    may decrypt with that key and no other (default: the AWS managed key, which needs no grant).
    """

    secret: str | None = Field(
        default=None,
        pattern=patterns.SECRETS_MANAGER_ARN,
        description="Secrets Manager secret ARN",
    )
    key: str | None = Field(default=None, min_length=1, description="JSON key inside the secret")
    version_stage: str | None = Field(default=None, min_length=1, description="e.g. AWSCURRENT")
    version_id: str | None = Field(default=None, min_length=1, description="a secret version id")
    parameter: Annotated[str, checked(parameter_reference_problem)] | None = Field(
        default=None,
        json_schema_extra={"pattern": PARAMETER_REFERENCE},
        description="SSM parameter name (/app/db-password) or ARN (arn:aws:ssm:…:parameter/<name>)",
    )
    kms_key: str | None = Field(
        default=None,
        pattern=SECRET_KMS_KEY,
        description=(
            "the customer-managed KMS key ARN the secret or parameter is encrypted with, or "
            f"`{ENVIRONMENT_KEY}` for the environment key (alias/<app>-<env>)"
        ),
    )


class HealthCheckSpec(SpecModel):
    """A container health check. Default: every 10 s, 5 s timeout, 3 retries, 10 s grace.
    ECS allows an interval of 5-300 s, a timeout of 2-60 s (shorter than the interval), 1-10
    retries and a start period of 0-300 s."""

    command: tuple[str, ...] = Field(
        min_length=1, description='e.g. ["CMD-SHELL", "curl -f localhost:8080/health"]'
    )
    interval_seconds: int = Field(default=10, ge=5, le=300)
    timeout_seconds: int = Field(default=5, ge=2, le=60, description="below interval_seconds")
    retries: int = Field(default=3, ge=1, le=10)
    start_period_seconds: int = Field(default=10, ge=0, le=300)


class UlimitSpec(SpecModel):
    soft: int = Field(ge=0)
    hard: int = Field(ge=0)


class MountSpec(SpecModel):
    """A task volume mounted into this container."""

    volume: Name
    path: str = Field(pattern=patterns.ABSOLUTE_PATH, description="absolute path in the container")
    read_only: bool = False


# Every revision carries the deployer's own labels (deployer.version, deployer.git-revision,
# deployer.image: config.cdk_context, stacks.containers_from_spec); a user's would be overwritten.
RESERVED_LABEL_PREFIX = "deployer."


def _label_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be a docker label key: CloudFormation's schema wants 1 or more
    characters, and the ``deployer.`` prefix is the deployer's own."""
    if key.startswith(RESERVED_LABEL_PREFIX):
        return (
            f"{key!r}: labels starting with {RESERVED_LABEL_PREFIX} are the deployer's own (version, "
            "git revision and image of every revision) and would be overwritten; use another prefix"
        )
    if key:
        return None
    message = (
        "cannot be empty: CloudFormation wants a label key of 1 or more characters, e.g. com.example.team"
    )
    return message


LabelKey = Annotated[str, checked(_label_key_problem)]
DependencyCondition = Literal["START", "COMPLETE", "SUCCESS", "HEALTHY"]
AppProtocol = Literal["http", "http2", "grpc"]


class RootReason(SpecModel):
    """Why a container must run as root (the image's own user): shown by ``deployer validate``."""

    reason: str = Field(min_length=20, description="why this container cannot run as a non-root user")


class ContainerSpec(SpecModel):
    """One container. Secure defaults: read-only root filesystem, essential, no privileges."""

    image: ImageRef
    port: int | None = Field(default=None, ge=1, le=65535, description="port the container listens on")
    app_protocol: AppProtocol | None = Field(
        default=None,
        description="what the port speaks, for Service Connect and, on a web service's main container, "
        "the load balancer's target group: http2 or grpc send HTTP/2 or gRPC to the container, which "
        "needs the HTTPS listener (load_balancer.certificate_arn) [default: HTTP/1.1]",
    )
    essential: bool = Field(default=True, description="the task stops when this container stops")
    command: tuple[str, ...] | None = None
    entry_point: tuple[str, ...] | None = None
    working_directory: str | None = Field(default=None, pattern=patterns.ABSOLUTE_PATH)
    user: str | None = Field(
        default=None,
        pattern=patterns.CONTAINER_USER,
        description="user[:group] to run as, not root; required unless run_as_root gives a reason",
    )
    run_as_root: RootReason | None = Field(
        default=None, description="run as root (no user) for the reason given; default: never"
    )
    environment: dict[EnvVarName, str] = Field(default_factory=dict, description="plain variables")
    secrets: dict[EnvVarName, SecretRef] = Field(default_factory=dict, description="secret variables")
    environment_files: tuple[S3ObjectArn, ...] = Field(
        default=(), description="S3 object ARNs of .env files (arn:aws:s3:::bucket/key.env)"
    )
    health_check: HealthCheckSpec | None = None
    depends_on: dict[Name, DependencyCondition] = Field(
        default_factory=dict, description="container name → START, COMPLETE, SUCCESS or HEALTHY"
    )
    stop_timeout_seconds: int | None = Field(default=None, ge=2, le=120)
    ulimits: dict[Literal["nofile", "nproc", "core", "memlock", "stack"], UlimitSpec] = Field(
        default_factory=dict
    )
    init_process: bool = Field(default=False, description="run an init process (reaps zombies)")
    docker_labels: dict[LabelKey, str] = Field(default_factory=dict)
    readonly_root_filesystem: bool = Field(default=True)
    writable_paths: tuple[str, ...] = Field(
        default=(), description="paths given a writable scratch volume (e.g. /tmp) on a read-only root"
    )
    mounts: tuple[MountSpec, ...] = ()
    cpu_units: int | None = Field(default=None, ge=0, le=16384, description="container CPU share")
    memory_limit_mib: int | None = Field(default=None, ge=6, description="hard memory limit")
    memory_reservation_mib: int | None = Field(default=None, ge=6, description="soft memory limit")


class EfsVolumeSpec(SpecModel):
    """An EFS file system, always with transit encryption and IAM authorisation."""

    file_system_id: str = Field(pattern=patterns.EFS_FILE_SYSTEM)
    access_point_id: str | None = Field(default=None, pattern=patterns.EFS_ACCESS_POINT)
    root_directory: str = Field(
        default="/", pattern=patterns.ABSOLUTE_PATH, description="ignored with an access point"
    )


EbsVolumeType = Literal["gp3", "gp2", "io1", "io2", "st1", "sc1"]
# EC2 CreateVolume's rules per volume type: size (GiB), and provisioned IOPS (None: not allowed)
# with the most IOPS per GiB. gp3 grew to 64 TiB and 80,000 IOPS in September 2025 (aws-cdk-lib
# 2.275's ServiceManagedVolume enforces the same ranges).
EBS_SIZES_GIB: dict[str, tuple[int, int]] = {
    "gp3": (1, 65536),
    "gp2": (1, 16384),
    "io1": (4, 16384),
    "io2": (4, 65536),
    "st1": (125, 16384),
    "sc1": (125, 16384),
}
EBS_IOPS: dict[str, tuple[int, int, int] | None] = {
    "gp3": (3000, 80000, 500),
    "io1": (100, 64000, 50),
    "io2": (100, 256000, 1000),
    "gp2": None,
    "st1": None,
    "sc1": None,
}


class EbsVolumeSpec(SpecModel):
    """A service-managed EBS volume, created per task at launch, encrypted. Sizes: gp2
    1-16384 GiB, gp3 1-65536, io1 4-16384, io2 4-65536, st1/sc1 125-16384. ``iops``: required
    for io1 (100-64000, at most 50 per GiB) and io2 (100-256000, at most 1000 per GiB), optional
    for gp3 (3000-80000, at most 500 per GiB above 3000; default 3000), not allowed otherwise."""

    size_gib: int = Field(
        ge=1, le=65536, description="gp2 1-16384, gp3 1-65536, io1 4-16384, io2 4-65536, st1/sc1 125-16384"
    )
    volume_type: EbsVolumeType = "gp3"
    iops: int | None = Field(
        default=None, ge=100, le=256000, description="provisioned IOPS: io1/io2 (required) and gp3 only"
    )


class VolumeSpec(SpecModel):
    """A task volume: exactly one of ``efs``, ``ebs`` or ``scratch: true`` (task-lifetime)."""

    efs: EfsVolumeSpec | None = None
    ebs: EbsVolumeSpec | None = None
    scratch: bool = False
