"""A service's task definition: from its ``task_definition_file`` or from its spec."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from constructs import Construct

from config.naming import task_family
from config.schema import AppSpec
from constructs_lib import Capacity, IRetainedTaskDefinition, LogRouting, VersionedTaskDefinition
from stacks.containers_from_spec import container_props, task_volumes
from stacks.retention import retention

WEB_STOP_TIMEOUT = 10  # seconds; ECS's default is 30
NETWORK_MODES = {
    "awsvpc": ecs.NetworkMode.AWS_VPC,
    "bridge": ecs.NetworkMode.BRIDGE,
    "host": ecs.NetworkMode.HOST,
}


def task_definition_for(
    scope: Construct,
    spec: AppSpec,
    service: str,
    *,
    images: Mapping[str, str],
    labels: dict[str, str],
    environment_key: kms.IKey | None,
) -> IRetainedTaskDefinition:
    """``TaskDefinition``: the service's native JSON file if it names one, else built from the
    spec. ``images`` (release input, container name → reference) replace those containers'
    images; ``labels`` mark the revision; ``environment_key`` encrypts the logs and is
    ``kms_key: environment``."""
    document = spec.task_definition_document(service)
    if document is not None:
        return VersionedTaskDefinition.from_native_json(
            scope,
            "TaskDefinition",
            document,
            image_overrides=images,
            release_labels=labels,
            capacity=Capacity(spec.capacity_kind(service)),
            root_reasons={
                name: root.reason for name, root in spec.services[service].run_as_root_containers.items()
            },
        )
    svc = spec.services[service]
    containers = svc.containers(service)
    if svc.kind == "web" and svc.stop_timeout_seconds is None:
        # Behind a load balancer the task has drained before SIGTERM; 10 s is enough to exit.
        containers[service] = containers[service].model_copy(
            update={"stop_timeout_seconds": WEB_STOP_TIMEOUT}
        )
    images = {name: str(c.image) for name, c in containers.items()} | dict(images)
    return VersionedTaskDefinition(
        scope,
        "TaskDefinition",
        family=task_family(spec, service),
        cpu=svc.cpu,
        memory_mib=svc.memory,
        capacity=Capacity(spec.capacity_kind(service)),
        network_mode=NETWORK_MODES[svc.network_mode],
        cpu_architecture=(
            ecs.CpuArchitecture.ARM64 if svc.architecture == "arm64" else ecs.CpuArchitecture.X86_64
        ),
        ephemeral_storage_gib=svc.ephemeral_storage_gib,
        volumes=task_volumes(svc.volumes),
        logging=LogRouting(svc.logging),
        log_retention=retention(svc.log_retention_days),
        log_encryption_key=environment_key,
        containers=[
            container_props(scope, n, c, images[n], labels, environment_key=environment_key)
            for n, c in containers.items()
        ],
        release_labels=labels,
    )
