"""Translate a service's ``permissions`` spec into one ``TaskPermissions`` on its task role."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from config.permissions_schema import (
    DynamoDbIntent,
    KmsIntent,
    ParameterIntent,
    PermissionSpec,
    S3Intent,
    SecretIntent,
    SnsIntent,
    SqsIntent,
)
from constructs_lib.permissions import (
    BucketAccess,
    BucketPermission,
    KeyAccess,
    KeyPermission,
    ParameterPathPermission,
    ParameterPermission,
    Permission,
    QueueAccess,
    QueuePermission,
    SecretPermission,
    TableAccess,
    TablePermission,
    TaskPermissions,
    TopicPermission,
)
from stacks.secret_refs import secret_from_arn


def grant_permissions(
    scope: Construct, service: str, role: iam.IRole, permissions: Sequence[PermissionSpec]
) -> TaskPermissions | None:
    """``TaskPermissions`` ("Permissions") on ``role`` for ``services.<service>.permissions``; None if empty.

    Raises ``ValueError`` naming the spec path when ``role`` is not created by this app (a
    ``task_definition_file`` that names its own ``taskRoleArn``).
    """
    if not permissions:
        return None
    if not cdk.Resource.is_owned_resource(role):
        raise ValueError(
            f"services.{service}.permissions: the task definition file names its own taskRoleArn; "
            "remove it so the app creates the task role, or grant these rights to that role yourself"
        )
    holder = Construct(scope, "PermissionTargets")
    return TaskPermissions(
        scope,
        "Permissions",
        role=role,
        permissions=[_permission(holder, index, item) for index, item in enumerate(permissions)],
    )


def _permission(scope: Construct, index: int, item: PermissionSpec) -> Permission:
    """The library permission of spec item ``index``; imports get the id ``<Kind><index>``."""
    intent = item.intent
    match intent:
        case S3Intent():
            bucket = s3.Bucket.from_bucket_arn(scope, f"Bucket{index}", intent.bucket)
            return BucketPermission(bucket, BucketAccess(intent.access), intent.prefix or "")
        case SqsIntent():
            queue = sqs.Queue.from_queue_arn(scope, f"Queue{index}", intent.queue)
            return QueuePermission(queue, QueueAccess(intent.access))
        case DynamoDbIntent():
            table = dynamodb.Table.from_table_arn(scope, f"Table{index}", intent.table)
            return TablePermission(table, TableAccess(intent.access), intent.indexes)
        case SecretIntent():
            return SecretPermission(secret_from_arn(scope, f"Secret{index}", intent.arn))
        case ParameterIntent():
            return _parameter(scope, f"Parameter{index}", intent.name)
        case SnsIntent():
            return TopicPermission(sns.Topic.from_topic_arn(scope, f"Topic{index}", intent.topic))
        case KmsIntent():
            return KeyPermission(
                kms.Key.from_key_arn(scope, f"Key{index}", intent.key), KeyAccess(intent.access)
            )
    raise AssertionError(intent)  # the schema admits no other intent


def _parameter(scope: Construct, construct_id: str, name: str) -> Permission:
    if name.endswith("/"):
        return ParameterPathPermission(name)
    if name.startswith("arn:"):
        return ParameterPermission(ssm.StringParameter.from_string_parameter_arn(scope, construct_id, name))
    return ParameterPermission(ssm.StringParameter.from_string_parameter_name(scope, construct_id, name))
