"""Translate a service's spec into ``VersionedTaskDefinition`` inputs (containers, volumes)."""

from __future__ import annotations

import re
from typing import Any, cast

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from config.container_schema import ContainerSpec, SecretRef, VolumeSpec
from config.patterns import ENVIRONMENT_KEY
from constructs_lib import ContainerProps, MountProps, container_image
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
    scope: Construct, name: str, container: ContainerSpec, image: str, labels: dict[str, str]
) -> ContainerProps:
    """The ``ContainerProps`` of container ``name`` running ``image``."""
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
        environment=container.environment,
        secrets={k: _secret(holder, k, ref) for k, ref in container.secrets.items()},
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


def grant_efs(task_role: iam.IRole, volumes: dict[str, VolumeSpec], writable: set[str]) -> None:
    """IAM authorisation for the EFS volumes: mount, and write where a container writes."""
    stack = cdk.Stack.of(task_role)
    for name, volume in volumes.items():
        if volume.efs is None:
            continue
        actions = ["elasticfilesystem:ClientMount"]
        if name in writable:
            actions.append("elasticfilesystem:ClientWrite")
        task_role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=actions,
                resources=[
                    f"arn:{stack.partition}:elasticfilesystem:{stack.region}:{stack.account}:"
                    f"file-system/{volume.efs.file_system_id}"
                ],
            )
        )


def grant_environment_files(execution_role: iam.IRole, arns: list[str]) -> None:
    """Let the execution role fetch exactly these .env objects (ECS needs both actions)."""
    if not arns:
        return
    buckets = sorted({arn.split("/", 1)[0] for arn in arns})
    execution_role.add_to_principal_policy(
        iam.PolicyStatement(actions=["s3:GetObject"], resources=sorted(set(arns)))
    )
    execution_role.add_to_principal_policy(
        iam.PolicyStatement(actions=["s3:GetBucketLocation"], resources=buckets)
    )


def grant_secret_keys(
    execution_role: iam.IRole, secrets: list[SecretRef], environment_key: kms.IKey | None
) -> None:
    """Let the execution role decrypt with the customer-managed keys the secrets name, and only
    through the service that holds each secret (``kms:ViaService``).

    aws-cdk-lib's own grant for an encrypted secret goes on the key's policy, which for the
    environment key (another stack) would be a dependency cycle; this goes on the role.
    """
    region = cdk.Stack.of(execution_role).region
    by_service: dict[str, set[str]] = {}
    for ref in secrets:
        if ref.kms_key is None:
            continue
        if ref.kms_key == ENVIRONMENT_KEY and environment_key is None:
            raise ValueError(f"kms_key '{ENVIRONMENT_KEY}' needs the environment key")
        key_arn = (
            environment_key.key_arn if ref.kms_key == ENVIRONMENT_KEY and environment_key else ref.kms_key
        )
        service = "ssm" if ref.parameter is not None else "secretsmanager"
        by_service.setdefault(service, set()).add(key_arn)
    for service, key_arns in sorted(by_service.items()):
        execution_role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["kms:Decrypt"],
                resources=sorted(key_arns),
                conditions={"StringEquals": {"kms:ViaService": f"{service}.{region}.amazonaws.com"}},
            )
        )


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


def _environment_file(scope: Construct, index: int, arn: str) -> ecs.EnvironmentFile:
    match = re.match(r"^arn:aws[a-z-]*:s3:::([^/]+)/(.+)$", arn)
    assert match, arn  # the spec's pattern already guarantees the shape
    bucket = s3.Bucket.from_bucket_name(scope, f"EnvBucket{index}", match[1])
    return ecs.EnvironmentFile.from_bucket(bucket, match[2])
