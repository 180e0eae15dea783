"""Translate a service's spec into ``VersionedTaskDefinition`` inputs (containers, volumes)."""

from __future__ import annotations

import re
from typing import Any, cast

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from config.container_schema import ContainerSpec, SecretRef, VolumeSpec
from config.patterns import ENVIRONMENT_KEY
from constructs_lib import (
    ContainerProps,
    EncryptedEbsVolume,
    MountProps,
    SecretKey,
    SecretStore,
    container_image,
)
from stacks.secret_refs import secret_from_arn

_CONDITIONS = {
    "START": ecs.ContainerDependencyCondition.START,
    "COMPLETE": ecs.ContainerDependencyCondition.COMPLETE,
    "SUCCESS": ecs.ContainerDependencyCondition.SUCCESS,
    "HEALTHY": ecs.ContainerDependencyCondition.HEALTHY,
}
_ULIMITS = {
    "nofile": ecs.UlimitName.NOFILE,
    "nproc": ecs.UlimitName.NPROC,
    "core": ecs.UlimitName.CORE,
    "memlock": ecs.UlimitName.MEMLOCK,
    "stack": ecs.UlimitName.STACK,
}


def container_props(
    scope: Construct,
    name: str,
    container: ContainerSpec,
    image: str,
    labels: dict[str, str],
    *,
    environment_key: kms.IKey | None,
) -> ContainerProps:
    """The ``ContainerProps`` of container ``name`` running ``image``; ``kms_key: environment``
    in a secret means ``environment_key``."""
    holder = Construct(scope, f"Container-{name}")
    return ContainerProps(
        name=name,
        image=container_image(holder, "Image", image),
        port=container.port,
        app_protocol=_app_protocol(container.app_protocol),
        essential=container.essential,
        command=container.command,
        entry_point=container.entry_point,
        working_directory=container.working_directory,
        user=container.user,
        run_as_root_reason=container.run_as_root.reason if container.run_as_root else None,
        environment=container.environment,
        secrets={k: _secret(holder, k, ref) for k, ref in container.secrets.items()},
        secret_keys=[
            secret_key(holder, k, ref, environment_key) for k, ref in container.secrets.items() if ref.kms_key
        ],
        environment_files=[
            _environment_file(holder, i, arn) for i, arn in enumerate(container.environment_files)
        ],
        health_check=(
            ecs.HealthCheck(
                command=list(container.health_check.command),
                interval=cdk.Duration.seconds(container.health_check.interval_seconds),
                timeout=cdk.Duration.seconds(container.health_check.timeout_seconds),
                retries=container.health_check.retries,
                start_period=cdk.Duration.seconds(container.health_check.start_period_seconds),
            )
            if container.health_check
            else None
        ),
        depends_on={k: _CONDITIONS[v] for k, v in container.depends_on.items()},
        stop_timeout=(
            cdk.Duration.seconds(container.stop_timeout_seconds) if container.stop_timeout_seconds else None
        ),
        ulimits=[
            ecs.Ulimit(name=_ULIMITS[k], soft_limit=v.soft, hard_limit=v.hard)
            for k, v in container.ulimits.items()
        ],
        init_process=container.init_process,
        docker_labels={**container.docker_labels, **labels, "deployer.image": image},
        readonly_root_filesystem=container.readonly_root_filesystem,
        writable_paths=container.writable_paths,
        mounts=[MountProps(m.volume, m.path, m.read_only) for m in container.mounts],
        cpu=container.cpu_units,
        memory_limit_mib=container.memory_limit_mib,
        memory_reservation_mib=container.memory_reservation_mib,
    )


def task_volumes(volumes: dict[str, VolumeSpec]) -> list[ecs.Volume]:
    """Task volumes: EFS (transit encryption and IAM auth on), scratch, EBS at launch."""
    result = []
    for name, volume in volumes.items():
        if volume.efs:
            access_point = volume.efs.access_point_id
            result.append(
                ecs.Volume(
                    name=name,
                    efs_volume_configuration=ecs.EfsVolumeConfiguration(
                        file_system_id=volume.efs.file_system_id,
                        root_directory=None if access_point else volume.efs.root_directory,
                        transit_encryption="ENABLED",
                        authorization_config=ecs.AuthorizationConfig(
                            access_point_id=access_point, iam="ENABLED"
                        ),
                    ),
                )
            )
        elif volume.ebs:
            result.append(ecs.Volume(name=name, configured_at_launch=True))
        else:
            result.append(ecs.Volume(name=name))
    return result


def ebs_volumes(scope: Construct, volumes: dict[str, VolumeSpec]) -> list[ecs.ServiceManagedVolume]:
    """An ``EncryptedEbsVolume`` ("Volume-<name>") for each ``ebs`` volume, for the service."""
    return [
        EncryptedEbsVolume(
            scope,
            f"Volume-{name}",
            name=name,
            size=cdk.Size.gibibytes(volume.ebs.size_gib),
            volume_type=ec2.EbsDeviceVolumeType[volume.ebs.volume_type.upper()],
            iops=volume.ebs.iops,
        )
        for name, volume in volumes.items()
        if volume.ebs
    ]


def _app_protocol(protocol: str | None) -> ecs.AppProtocol | None:
    protocols: dict[str, Any] = {
        "http": ecs.AppProtocol.http,
        "http2": ecs.AppProtocol.http2,
        "grpc": ecs.AppProtocol.grpc,
    }
    return cast("ecs.AppProtocol | None", protocols.get(protocol or ""))


def _secret(scope: Construct, variable: str, ref: SecretRef) -> ecs.Secret:
    """An ``ecs.Secret``; adding it to a container grants the execution role exactly that ARN."""
    if ref.parameter is not None:
        parameter = (
            ssm.StringParameter.from_string_parameter_arn(scope, f"Parameter-{variable}", ref.parameter)
            if ref.parameter.startswith("arn:")  # ECS takes a full ARN, e.g. from another region
            else ssm.StringParameter.from_secure_string_parameter_attributes(
                scope, f"Parameter-{variable}", parameter_name=ref.parameter
            )
        )
        return ecs.Secret.from_ssm_parameter(parameter)
    assert ref.secret is not None
    secret = secret_from_arn(scope, f"Secret-{variable}", ref.secret)
    if ref.version_stage or ref.version_id:
        return ecs.Secret.from_secrets_manager_version(
            secret,
            ecs.SecretVersionInfo(version_stage=ref.version_stage, version_id=ref.version_id),
            field=ref.key,
        )
    return ecs.Secret.from_secrets_manager(secret, field=ref.key)


def secret_key(
    scope: Construct, variable: str, ref: SecretRef, environment_key: kms.IKey | None
) -> SecretKey:
    """The customer-managed key ``ref.kms_key`` names, for the store the secret is in."""
    store = SecretStore.SSM_PARAMETER_STORE if ref.parameter is not None else SecretStore.SECRETS_MANAGER
    if ref.kms_key != ENVIRONMENT_KEY:
        return SecretKey(kms.Key.from_key_arn(scope, f"Key-{variable}", str(ref.kms_key)), store)
    if environment_key is None:
        raise ValueError(f"kms_key '{ENVIRONMENT_KEY}' needs the environment key")
    return SecretKey(environment_key, store)


def _environment_file(scope: Construct, index: int, arn: str) -> ecs.EnvironmentFile:
    match = re.match(r"^arn:aws[a-z-]*:s3:::([^/]+)/(.+)$", arn)
    assert match, arn  # the spec's pattern already guarantees the shape
    bucket = s3.Bucket.from_bucket_name(scope, f"EnvBucket{index}", match[1])
    return ecs.EnvironmentFile.from_bucket(bucket, match[2])
