"""``ContainerProps``: everything about one container of a ``VersionedTaskDefinition``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import Duration
from aws_cdk import aws_ecs as ecs


@dataclass(frozen=True)
class MountProps:
    """Mount task volume ``volume`` at ``path``."""

    volume: str
    path: str
    read_only: bool = False


@dataclass(frozen=True)
class ContainerProps:
    """One container of a task.

    Defaults: essential, read-only root filesystem (``writable_paths`` get a task-lifetime
    scratch volume each, e.g. ``/tmp``), the image's own user, command and entry point, no
    port, no environment, no health check, no init process, no memory limits of its own
    (the task's memory is shared).
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
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, ecs.Secret] = field(default_factory=dict)
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
