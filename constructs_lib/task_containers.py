"""How ``VersionedTaskDefinition`` renders its containers: log drivers, the FireLens router,
mounts and scratch volumes, and the checks on ``ContainerProps`` before any is added."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib.containers import ContainerProps
from constructs_lib.memory_limits import ContainerMemory

LOG_ROUTER = "log-router"


def log_driver(
    scope: Construct, log_group: logs.ILogGroup, stream_prefix: str, firelens: bool
) -> ecs.LogDriver:
    """awslogs (non-blocking, 25 MiB buffer) to ``log_group``, or FireLens shipping there."""
    if firelens:
        return ecs.LogDrivers.firelens(
            options={
                "Name": "cloudwatch_logs",
                "region": cdk.Stack.of(scope).region,
                "log_group_name": log_group.log_group_name,
                "log_stream_prefix": f"{stream_prefix}/",
                "auto_create_group": "false",
            }
        )
    return ecs.LogDrivers.aws_logs(
        stream_prefix=stream_prefix,
        log_group=log_group,
        mode=ecs.AwsLogDriverMode.NON_BLOCKING,
        max_buffer_size=cdk.Size.mebibytes(25),
    )


def add_log_router(
    scope: Construct,
    task_definition: ecs.TaskDefinition,
    log_group: logs.ILogGroup,
    image: str,
    *,
    memory: ContainerMemory,
) -> None:
    """The Fluent Bit container every other container's FireLens driver ships through."""
    task_definition.add_firelens_log_router(
        LOG_ROUTER,
        container_name=LOG_ROUTER,
        image=ecs.ContainerImage.from_registry(image),
        essential=True,
        firelens_config=ecs.FirelensConfig(type=ecs.FirelensLogRouterType.FLUENTBIT),
        logging=log_driver(scope, log_group, LOG_ROUTER, firelens=False),
        memory_limit_mib=memory.limit_mib,
        memory_reservation_mib=memory.reservation_mib,
        user="0",  # ECS runs FireLens only as root (aws/containers-roadmap#2122); said out loud
        readonly_root_filesystem=False,  # Fluent Bit buffers to its filesystem
    )
    log_group.grant_write(task_definition.task_role)


def add_container(
    scope: Construct,
    task_definition: ecs.TaskDefinition,
    props: ContainerProps,
    labels: Mapping[str, str],
    logging: ecs.LogDriver,
    *,
    memory: ContainerMemory,
) -> ecs.ContainerDefinition:
    """Container ``props`` with ``labels`` as docker labels; each writable path gets a scratch volume."""
    container = task_definition.add_container(
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
            ecs.LinuxParameters(scope, f"{props.name}-linux", init_process_enabled=True)
            if props.init_process
            else None
        ),
        port_mappings=[_port_mapping(props, task_definition.network_mode)] if props.port else None,
        logging=logging,
    )
    if props.ulimits:
        container.add_ulimits(*props.ulimits)
    for index, path in enumerate(props.writable_paths):
        volume = f"{props.name}-scratch-{index}"
        task_definition.add_volume(name=volume)
        container.add_mount_points(ecs.MountPoint(container_path=path, source_volume=volume, read_only=False))
    for mount in props.mounts:
        container.add_mount_points(
            ecs.MountPoint(container_path=mount.path, source_volume=mount.volume, read_only=mount.read_only)
        )
    return container


def _port_mapping(props: ContainerProps, network_mode: ecs.NetworkMode) -> ecs.PortMapping:
    """The container's port: named for Service Connect, on a dynamic host port in bridge mode
    (aws-cdk-lib writes ``HostPort: 0``); in host mode it is the host's own port, and ECS
    allows no Service Connect name there."""
    assert props.port is not None
    if network_mode is ecs.NetworkMode.HOST:
        return ecs.PortMapping(container_port=props.port, host_port=props.port)
    return ecs.PortMapping(
        container_port=props.port, name=f"{props.name}-{props.port}", app_protocol=props.app_protocol
    )


def validate(family: str, containers: Sequence[ContainerProps], volumes: Sequence[ecs.Volume]) -> None:
    """Raise ``ValueError`` naming the container and value that cannot make a task definition."""
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
