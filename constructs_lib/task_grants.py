"""The IAM statements behind ``VersionedTaskDefinition``'s ``grant_*`` methods: what a task
needs to mount its EFS volumes, fetch its environment files and decrypt its secrets."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

from constructs_lib.containers import ContainerProps


def efs_access(
    grantee: iam.IGrantable,
    stack: cdk.Stack,
    volumes: Sequence[ecs.Volume],
    containers: Sequence[ContainerProps],
) -> iam.Grant:
    """``ClientMount`` on each EFS volume with IAM authorisation, plus ``ClientWrite`` on those a
    container mounts writable; one statement per volume, in volume order."""
    writable = {m.volume for c in containers for m in c.mounts if not m.read_only}
    grants = []
    for volume in volumes:
        efs = volume.efs_volume_configuration
        if efs is None or efs.authorization_config is None or efs.authorization_config.iam != "ENABLED":
            continue
        actions = ["elasticfilesystem:ClientMount"]
        if volume.name in writable:
            actions.append("elasticfilesystem:ClientWrite")
        arn = stack.format_arn(
            service="elasticfilesystem", resource="file-system", resource_name=efs.file_system_id
        )
        grants.append(iam.Grant.add_to_principal(grantee=grantee, actions=actions, resource_arns=[arn]))
    return _combined(grantee, grants, "no EFS volume with IAM authorisation")


def environment_files_read(
    grantee: iam.IGrantable, stack: cdk.Stack, containers: Sequence[ecs.ContainerDefinition]
) -> iam.Grant:
    """``s3:GetObject`` on exactly the containers' S3 environment files and
    ``s3:GetBucketLocation`` on their buckets (ECS needs both to fetch them)."""
    locations = [
        (config.s3_location.bucket_name, config.s3_location.object_key)
        for container in containers
        for config in container.environment_files or []
        if config.s3_location is not None
    ]
    if not locations:
        return iam.Grant.drop(grantee, "no environment files")
    objects = sorted({f"arn:{stack.partition}:s3:::{bucket}/{key}" for bucket, key in locations})
    buckets = sorted({f"arn:{stack.partition}:s3:::{bucket}" for bucket, _ in locations})
    return iam.Grant.add_to_principal(
        grantee=grantee, actions=["s3:GetObject"], resource_arns=objects
    ).combine(
        iam.Grant.add_to_principal(grantee=grantee, actions=["s3:GetBucketLocation"], resource_arns=buckets)
    )


def secrets_decrypt(
    grantee: iam.IGrantable, stack: cdk.Stack, containers: Sequence[ContainerProps]
) -> iam.Grant:
    """``kms:Decrypt`` with each key of the containers' ``secret_keys``, only through the store
    the key serves (``kms:ViaService``); one statement per store, keys sorted by ARN."""
    by_store: dict[str, set[str]] = {}
    for container in containers:
        for secret_key in container.secret_keys:
            by_store.setdefault(secret_key.store.value, set()).add(secret_key.key.key_arn)
    grants = [
        iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["kms:Decrypt"],
            resource_arns=sorted(key_arns),
            conditions={"StringEquals": {"kms:ViaService": f"{store}.{stack.region}.amazonaws.com"}},
        )
        for store, key_arns in sorted(by_store.items())
    ]
    return _combined(grantee, grants, "no customer-managed secret keys")


def _combined(grantee: iam.IGrantable, grants: list[iam.Grant], nothing: str) -> iam.Grant:
    if not grants:
        return iam.Grant.drop(grantee, nothing)
    combined = grants[0]
    for grant in grants[1:]:
        combined = combined.combine(grant)
    return combined
