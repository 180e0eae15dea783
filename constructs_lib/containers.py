"""``ContainerProps``: everything about one container of a ``VersionedTaskDefinition``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from aws_cdk import Duration
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms


@dataclass(frozen=True)
class MountProps:
    """Mount task volume ``volume`` at ``path``."""

    volume: str
    path: str
    read_only: bool = False


class SecretStore(Enum):
    """The service a container's secret is read from (the value is its endpoint prefix)."""

    SECRETS_MANAGER = "secretsmanager"
    SSM_PARAMETER_STORE = "ssm"


@dataclass(frozen=True)
class SecretKey:
    """A customer-managed KMS key that encrypts secrets the container reads from ``store``
    (default: Secrets Manager). The task may decrypt with it through that service only."""

    key: kms.IKey
    store: SecretStore = SecretStore.SECRETS_MANAGER


@dataclass(frozen=True)
class ContainerProps:
    """One container of a task.

    Defaults: essential, read-only root filesystem (``writable_paths`` get a task-lifetime
    scratch volume each, e.g. ``/tmp``), the image's own user, command and entry point, no
    port, no environment, no health check, no init process, no memory limits of its own
    (the task's memory is shared). ``secret_keys`` name the customer-managed KMS keys that
    encrypt ``secrets`` (none: AWS-managed keys, which need no grant).
    """

    name: str
    image: ecs.ContainerImage
    port: int | None = None
    app_protocol: ecs.AppProtocol | None = None
    essential: bool = True
    command: Sequence[str] | None = None
    entry_point: Sequence[str] | None = None
    working_directory: str | None = None
    user: str | None = None
    run_as_root_reason: str | None = None  # why ``user`` is absent or root; acknowledged on the task
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, ecs.Secret] = field(default_factory=dict)
    secret_keys: Sequence[SecretKey] = ()
    environment_files: Sequence[ecs.EnvironmentFile] = ()
    health_check: ecs.HealthCheck | None = None
    depends_on: Mapping[str, ecs.ContainerDependencyCondition] = field(default_factory=dict)
    stop_timeout: Duration | None = None
    ulimits: Sequence[ecs.Ulimit] = ()
    init_process: bool = False
    docker_labels: Mapping[str, str] = field(default_factory=dict)
    readonly_root_filesystem: bool = True
    writable_paths: Sequence[str] = ()
    mounts: Sequence[MountProps] = ()
    cpu: int | None = None
    memory_limit_mib: int | None = None
    memory_reservation_mib: int | None = None
