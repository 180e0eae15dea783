"""Cross-field checks of a service's containers, volumes and release inputs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config.container_schema import EBS_IOPS, EBS_SIZES_GIB
from config.fargate import LOG_RETENTION_DAYS
from config.image_pinning import ImagePinning
from config.task_checks import task_problems
from config.user_checks import user_problems
from constructs_lib.memory_limits import ROUTER_RESERVATION_MIB, RequestedMemory, container_memory

if TYPE_CHECKING:
    from config.container_schema import ContainerSpec, EbsVolumeSpec, SecretRef
    from config.schema import AppSpec, ServiceSpec

# Matched on the name with camelCase words split by '_' (dbPassword -> db_Password). SECRET
# anywhere in a name; ECS_ENGINE_AUTH_DATA and the AWS keys are Security Hub ECS.8's own list.
SECRET_LIKE = re.compile(
    r"(?i)(^|_)(PASSWORD|PASSWD|PWD|TOKEN|API_?KEY|PRIVATE_?KEY|KEY|CREDENTIALS?)($|_)|SECRET"
    r"|^(AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)|ECS_ENGINE_AUTH_DATA)$"
)
# Conditions that wait for a container to exit: ECS refuses them on an essential container.
EXIT_CONDITIONS = ("COMPLETE", "SUCCESS")
Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]


def service_problems(spec: AppSpec, name: str, service: ServiceSpec) -> Iterator[Problem]:
    """Problems of one service's task: containers, dependencies, mounts, memory, logging."""
    base: Loc = ("services", name)
    if service.task_definition_file is not None:
        extra = [k for k in ("image", "sidecars", "volumes") if getattr(service, k)]
        if extra:
            yield base, f"task_definition_file replaces the container keys; remove: {', '.join(extra)}", extra
        return
    if service.image is None:
        yield (*base, "image"), "required key is missing (or give task_definition_file)", None
        return
    containers = service.containers(name)
    yield from task_problems(spec, name, service)
    if name in service.sidecars:
        yield (*base, "sidecars", name), "a sidecar cannot have the service's own name", name
    yield from retention_problems((*base, "log_retention_days"), service.log_retention_days)
    yield from _volume_problems(base, service, containers)
    ports: dict[int, str] = {}
    for container_name, container in containers.items():
        loc = base if container_name == name else (*base, "sidecars", container_name)
        yield from _container_problems(spec, loc, container_name, container, service)
        if container.port is not None:
            if container.port in ports:
                yield (
                    (*loc, "port"),
                    f"port {container.port} is already used by container {ports[container.port]!r}",
                    container.port,
                )
            ports[container.port] = container_name
    if not any(c.essential for c in containers.values()):
        yield (*base, "essential"), "at least one container of the task must be essential", False
    yield from _memory_problems(base, service, containers)


def _memory_problems(
    base: Loc, service: ServiceSpec, containers: dict[str, ContainerSpec]
) -> Iterator[Problem]:
    """What the task definition's memory rule (constructs_lib.memory_limits) refuses, counting the
    FireLens log router's reservation as the construct does."""
    requested = [RequestedMemory(c.memory_limit_mib, c.memory_reservation_mib) for c in containers.values()]
    firelens = service.logging == "firelens"
    if firelens:
        requested.append(RequestedMemory(None, ROUTER_RESERVATION_MIB))
    try:
        container_memory(service.memory, requested)
    except ValueError as error:
        router = f", the FireLens log router's {ROUTER_RESERVATION_MIB} MiB included" if firelens else ""
        yield (
            (*base, "memory"),
            f"{error}{router}; raise memory or lower the containers' memory_limit_mib/memory_reservation_mib",
            service.memory,
        )


def _volume_problems(
    base: Loc, service: ServiceSpec, containers: dict[str, ContainerSpec]
) -> Iterator[Problem]:
    for volume_name, volume in service.volumes.items():
        kinds = [k for k in ("efs", "ebs") if getattr(volume, k) is not None] + (
            ["scratch"] if volume.scratch else []
        )
        if len(kinds) != 1:
            yield (*base, "volumes", volume_name), "give exactly one of efs, ebs or scratch: true", kinds
        if volume.ebs is not None:
            yield from _ebs_problems((*base, "volumes", volume_name, "ebs"), volume.ebs)
    mounted = {m.volume for c in containers.values() for m in c.mounts}
    for volume_name in service.volumes:
        if volume_name not in mounted:
            yield (*base, "volumes", volume_name), "no container mounts this volume", volume_name
    if sum(1 for v in service.volumes.values() if v.ebs) > 1:
        yield (
            (*base, "volumes"),
            "a task can have at most one service-managed EBS volume",
            list(service.volumes),
        )


def _ebs_problems(loc: Loc, ebs: EbsVolumeSpec) -> Iterator[Problem]:
    """What EC2 refuses of a volume of ``ebs.volume_type``: its size range and IOPS rules."""
    kind = ebs.volume_type
    low, high = EBS_SIZES_GIB[kind]
    if not low <= ebs.size_gib <= high:
        yield (*loc, "size_gib"), f"{kind} volumes are {low}-{high} GiB; got {ebs.size_gib}", ebs.size_gib
    iops = EBS_IOPS[kind]
    if iops is None:
        if ebs.iops is not None:
            yield (*loc, "iops"), f"{kind} volumes take no iops; only io1, io2 and gp3 do", ebs.iops
        return
    least, most, per_gib = iops
    if ebs.iops is None:
        if kind != "gp3":
            yield (
                (*loc, "iops"),
                f"{kind} volumes need iops: {least}-{most}, at most {per_gib} per GiB of size_gib",
                None,
            )
        return
    if not least <= ebs.iops <= most:
        yield (*loc, "iops"), f"{kind} volumes take {least}-{most} iops; got {ebs.iops}", ebs.iops
    elif ebs.iops > max(per_gib * ebs.size_gib, 3000 if kind == "gp3" else 0):
        yield (
            (*loc, "iops"),
            f"{ebs.iops} iops is more than {per_gib} per GiB of its {ebs.size_gib} GiB; "
            f"raise size_gib to {-(-ebs.iops // per_gib)} or lower iops",
            ebs.iops,
        )


def _container_problems(
    spec: AppSpec, loc: Loc, name: str, container: ContainerSpec, service: ServiceSpec
) -> Iterator[Problem]:
    pinning = ImagePinning.of(spec.environment).problem(container.image)
    if pinning:
        yield (*loc, "image"), pinning, container.image
    yield from _reference_problems(loc, name, container, service.containers(_service_name(loc)), service)
    yield from user_problems(loc, container)
    for path in container.writable_paths:
        if not path.startswith("/"):
            yield (*loc, "writable_paths"), f"{path!r} is not an absolute path", path
    for variable, ref in container.secrets.items():
        message = _secret_problem(ref, spec.environment.region)
        if message:
            yield (*loc, "secrets", variable), message, variable
    for limit_name, limit in container.ulimits.items():
        if limit.soft > limit.hard:
            yield (*loc, "ulimits", limit_name), f"soft {limit.soft} is above hard {limit.hard}", limit.soft
    for variable in container.environment:
        if looks_like_secret(variable):
            yield (
                (*loc, "environment", variable),
                f"{variable} looks like a secret; move it to secrets (Secrets Manager or SSM), "
                "where it is never stored in the task definition",
                variable,
            )
    clash = set(container.environment) & set(container.secrets)
    if clash:
        yield (
            (*loc, "secrets"),
            f"{sorted(clash)} also set in environment; set each variable once",
            sorted(clash),
        )


def looks_like_secret(name: str) -> bool:
    """Whether an environment variable name looks like a secret, in any case or camelCase."""
    return SECRET_LIKE.search(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)) is not None


def _reference_problems(
    loc: Loc, name: str, container: ContainerSpec, containers: dict[str, ContainerSpec], service: ServiceSpec
) -> Iterator[Problem]:
    for target, condition in container.depends_on.items():
        if target not in containers or target == name:
            others = ", ".join(c for c in containers if c != name) or "none"
            yield (
                (*loc, "depends_on", target),
                f"unknown container {target!r}; other containers: {others}",
                target,
            )
        elif condition == "HEALTHY" and containers[target].health_check is None:
            yield (*loc, "depends_on", target), f"HEALTHY needs a health_check on {target!r}", condition
        elif message := exit_wait_problem(
            condition, target, containers[target].essential, "essential: false"
        ):
            yield (*loc, "depends_on", target), message, condition
    for index, mount in enumerate(container.mounts):
        if mount.volume not in service.volumes:
            known = ", ".join(service.volumes) or "none"
            yield (
                (*loc, "mounts", index, "volume"),
                f"unknown volume {mount.volume!r}; volumes: {known}",
                mount.volume,
            )


def exit_wait_problem(condition: str, target: str, essential: bool, non_essential: str) -> str | None:
    """Why ECS refuses ``condition`` on ``target``, if it does: COMPLETE and SUCCESS wait for the
    container to exit, and an essential container's exit stops the task. ``non_essential`` is how
    the input spells the fix (``essential: false`` in a spec, ``"essential": false`` in JSON)."""
    if condition not in EXIT_CONDITIONS or not essential:
        return None
    message = (
        f"{condition} waits for {target!r} to exit, but it is essential (its exit stops the task); "
        f"set {non_essential} on {target!r}"
    )
    return message


def _service_name(loc: Loc) -> str:
    return str(loc[1])


def _secret_problem(ref: SecretRef, region: str) -> str | None:
    if (ref.secret is None) == (ref.parameter is None):
        return "give exactly one of secret (a Secrets Manager ARN) or parameter (an SSM name or ARN)"
    parameter_region = (
        (ref.parameter or "").split(":")[3] if (ref.parameter or "").startswith("arn:") else region
    )
    if parameter_region != region:
        return (
            f"the parameter is in {parameter_region}; a task of this environment reads SSM parameters "
            f"of {region} (copy it there)"
        )
    if ref.parameter is not None and (ref.key or ref.version_stage or ref.version_id):
        return "key, version_stage and version_id apply to Secrets Manager secrets only"
    if ref.version_stage and ref.version_id:
        return "give version_stage or version_id, not both"
    return None


def retention_problems(loc: tuple[str | int, ...], days: int) -> Iterator[Problem]:
    """``days`` at ``loc`` when it is not a retention CloudWatch Logs offers."""
    if days not in LOG_RETENTION_DAYS:
        allowed = ", ".join(map(str, LOG_RETENTION_DAYS))
        yield loc, f"{days} is not a CloudWatch retention; allowed: {allowed}", days
