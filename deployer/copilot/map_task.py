"""The task around the main container: size, platform, command, storage, logging, sidecars."""

from __future__ import annotations

from typing import Any

from config.yaml_source import Loc
from deployer.copilot.map_container import (
    map_depends_on,
    map_health_check,
    map_image,
    map_secrets,
    map_variables,
)
from deployer.copilot.map_overrides import map_taskdef_overrides
from deployer.copilot.models_container import ContainerKeys, Logging, Sidecar, Storage
from deployer.copilot.names import Target, spec_name
from deployer.copilot.record import FieldLog

DEFAULT_EPHEMERAL_GIB = 20


def map_task(config: ContainerKeys, log: FieldLog, target: Target, service: str) -> None:
    """Every key ``ContainerKeys`` has, into ``services.<service>``."""
    to: Loc = ("services", service)
    map_image(config.image, log, target=target, service=service, field=("image",), to=to)
    if config.image is not None and config.image.port is not None:
        log.put(("image", "port"), (*to, "port"), config.image.port)
    if config.entrypoint is not None:
        log.put(("entrypoint",), (*to, "entry_point"), config.entrypoint)
    if config.command is not None:
        log.put(("command",), (*to, "command"), config.command)
    for key in ("cpu", "memory"):
        if getattr(config, key) is not None:
            log.put((key,), (*to, key), getattr(config, key))
    if config.platform is not None:
        architecture = "arm64" if config.platform.parts[1] in ("arm64", "arm") else "x86_64"
        log.put(("platform",), (*to, "architecture"), architecture)
    map_variables(config.variables, log, target, ("variables",), to)
    if config.env_file is not None:
        log.manual(("env_file",), *_env_file_step(config.env_file, "environment_files"))
    map_secrets(config.secrets, log, target, ("secrets",), to)
    mounts = _storage(config.storage, log, to) if config.storage is not None else {}
    main_mounts = [
        {"volume": name, "path": path, "read_only": read_only} for name, (path, read_only) in mounts.items()
    ]
    if main_mounts:
        log.put(("storage", "volumes"), (*to, "mounts"), main_mounts)
    if config.logging is not None:
        _logging(config.logging, log, to)
    for name, given in config.sidecars.items():
        sidecar, sidecar_to = given or Sidecar(), (*to, "sidecars", spec_name(name))
        _sidecar(name, sidecar, log, target=target, service=service, to=sidecar_to)
        _sidecar_mounts(name, sidecar, log, set(mounts), sidecar_to)
    if config.publish is not None:
        log.manual(
            ("publish",),
            "Copilot created SNS topics for this service; this project does not create topics",
            "create the topics in your CDK app (or keep the Copilot ones) and grant publishing with a "
            "permissions item (docs/permissions.md)",
        )
    map_taskdef_overrides(config.taskdef_overrides, log, to)


def _env_file_step(path: str, key: str) -> tuple[str, str]:
    return (
        f"Copilot uploaded {path} to its S3 bucket at deploy time; this project reads .env files "
        "from S3 only",
        f"upload {path} to an S3 bucket of yours (aws s3 cp {path} s3://BUCKET/KEY) and add "
        f"arn:aws:s3:::BUCKET/KEY to {key}",
    )


def _storage(storage: Storage, log: FieldLog, to: Loc) -> dict[str, tuple[str, bool]]:
    """Volumes (and the main container's mounts: name → (path, read only)) and task storage."""
    if storage.ephemeral is not None:
        if storage.ephemeral > DEFAULT_EPHEMERAL_GIB:
            log.put(("storage", "ephemeral"), (*to, "ephemeral_storage_gib"), storage.ephemeral)
        else:
            log.seen(("storage", "ephemeral"), note=f"{DEFAULT_EPHEMERAL_GIB} GiB is Fargate's default")
    if storage.readonly_fs is not None:
        log.put(("storage", "readonly_fs"), (*to, "readonly_root_filesystem"), storage.readonly_fs)
    mounts: dict[str, tuple[str, bool]] = {}
    for name, volume in storage.volumes.items():
        field: Loc = ("storage", "volumes", name)
        spec_volume = _volume(volume.efs, log, field)
        if spec_volume is None:
            continue
        volume_name = spec_name(name)
        log.put(field, (*to, "volumes", volume_name), spec_volume)
        mounts[volume_name] = (volume.path, volume.read_only)
    return mounts


def _volume(efs: Any, log: FieldLog, field: Loc) -> dict[str, Any] | None:
    if efs is None or (efs.managed is False and efs.id is None):
        return {"scratch": True}
    if efs.id is None:
        log.manual(
            (*field, "efs"),
            "Copilot created and manages this EFS file system in the environment stack; this project "
            "mounts existing file systems only",
            "keep the file system (its id is the environment stack's FilesystemID output) or create one, "
            f"then add the volume with efs.file_system_id and mount it (field {'.'.join(map(str, field))})",
        )
        return None
    value: dict[str, Any] = {"file_system_id": efs.id}
    if efs.auth is not None and efs.auth.access_point_id:
        value["access_point_id"] = efs.auth.access_point_id
    elif efs.root_dir:
        value["root_directory"] = efs.root_dir
    if efs.auth is not None and efs.auth.iam is False:
        log.seen(
            (*field, "efs", "auth", "iam"),
            note="this project always mounts EFS with IAM authorisation and TLS",
        )
    return {"efs": value}


def _logging(logging: Logging, log: FieldLog, to: Loc) -> None:
    if logging.retention is not None:
        log.put(("logging", "retention"), (*to, "log_retention_days"), logging.retention)
    if not logging.firelens:
        return
    log.put(
        ("logging",),
        (*to, "logging"),
        "firelens",
        note="a Fluent Bit router that ships to the service's CloudWatch log group",
    )
    for key in sorted(logging.model_fields_set - {"retention"}):
        alias = type(logging).model_fields[key].alias or key
        log.manual(
            ("logging", alias),
            "custom FireLens outputs and router settings are not modelled",
            "send logs from CloudWatch onwards (a subscription filter), or replace the router with a "
            "sidecar of your own (firelens options through a native task definition, "
            "docs/task-definitions.md)",
        )


def _sidecar(name: str, sidecar: Sidecar, log: FieldLog, *, target: Target, service: str, to: Loc) -> None:
    """A sidecar's own keys (its mounts are mapped by ``_sidecar_mounts``)."""
    field: Loc = ("sidecars", name)
    map_image(sidecar.image, log, target=target, service=service, field=(*field, "image"), to=to)
    if sidecar.port is not None:
        port, _, protocol = sidecar.port.partition("/")
        udp = protocol and protocol != "tcp"
        log.put(
            (*field, "port"), (*to, "port"), int(port), note=f"{protocol} is not modelled: TCP" if udp else ""
        )
    if sidecar.essential is not None:
        log.put((*field, "essential"), (*to, "essential"), sidecar.essential)
    if sidecar.credentials_parameter is not None:
        log.manual(
            (*field, "credentialsParameter"),
            "private registry credentials are not modelled",
            "push it to ECR",
        )
    map_variables(sidecar.variables, log, target, (*field, "variables"), to)
    map_secrets(sidecar.secrets, log, target, (*field, "secrets"), to)
    if sidecar.env_file is not None:
        key = f"sidecars.{spec_name(name)}.environment_files"
        log.manual((*field, "env_file"), *_env_file_step(sidecar.env_file, key))
    if sidecar.labels:
        log.put((*field, "labels"), (*to, "docker_labels"), {k: v or "" for k, v in sidecar.labels.items()})
    if sidecar.depends_on:
        map_depends_on(sidecar.depends_on, log, (*field, "depends_on"), to)
    for key, spec_key in (("entrypoint", "entry_point"), ("command", "command")):
        if getattr(sidecar, key) is not None:
            log.put((*field, key), (*to, spec_key), getattr(sidecar, key))
    if sidecar.healthcheck is not None:
        map_health_check(sidecar.healthcheck, log, (*field, "healthcheck"), to)
    if not sidecar.model_fields_set:
        log.seen(field, to)


def _sidecar_mounts(name: str, sidecar: Sidecar, log: FieldLog, volumes: set[str], to: Loc) -> None:
    field: Loc = ("sidecars", name)
    mounts = []
    for index, mount in enumerate(sidecar.mount_points):
        volume = spec_name(mount.source_volume)
        if volume in volumes:
            mounts.append({"volume": volume, "path": mount.path, "read_only": mount.read_only})
        else:
            reason = f"volume {mount.source_volume!r} is not imported"
            log.manual((*field, "mount_points", index), reason, "mount it once the volume exists")
    if mounts:
        log.put((*field, "mount_points"), (*to, "mounts"), mounts)
