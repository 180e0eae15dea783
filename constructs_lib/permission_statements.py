"""The IAM statements of each permission intent, built from resource ARNs as plain strings.

No CDK here: ``TaskPermissions`` (constructs_lib/permissions.py) passes its resources' ARNs
(tokens or literals) and turns each ``Statement`` into an ``iam.PolicyStatement``, and
``config/policy_size.py`` passes the spec's literal ARNs to know, before synthesis, how long
the policy on the task role will be. One table of actions serves both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any


class BucketAccess(Enum):
    READ = "read"
    WRITE = "write"
    READ_WRITE = "read_write"


class QueueAccess(Enum):
    SEND = "send"
    CONSUME = "consume"


class TableAccess(Enum):
    READ = "read"
    WRITE = "write"
    READ_WRITE = "read_write"


class KeyAccess(Enum):
    DECRYPT = "decrypt"
    ENCRYPT_DECRYPT = "encrypt_decrypt"


@dataclass(frozen=True)
class Statement:
    """One ``Allow`` statement: sorted, unique actions on ``resources``, under ``condition``."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: dict[str, Any] | None = None


_BUCKET_READ = ("s3:GetObject",)
_BUCKET_WRITE = ("s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject")
_QUEUE = {
    QueueAccess.SEND: ("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"),
    QueueAccess.CONSUME: (
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
    ),
}
_TABLE_READ = (
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
_TABLE_WRITE = (
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
)
_KEY = {
    KeyAccess.DECRYPT: ("kms:Decrypt",),
    KeyAccess.ENCRYPT_DECRYPT: ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"),
}
_READS = {BucketAccess.READ, BucketAccess.READ_WRITE, TableAccess.READ, TableAccess.READ_WRITE}
_WRITES = {BucketAccess.WRITE, BucketAccess.READ_WRITE, TableAccess.WRITE, TableAccess.READ_WRITE}


def allow(actions: Sequence[str], *resources: str, condition: dict[str, Any] | None = None) -> Statement:
    return Statement(tuple(sorted(set(actions))), resources, condition)


def bucket_statements(bucket_arn: str, access: BucketAccess, prefix: str) -> list[Statement]:
    """Objects under ``prefix`` (every key when empty); reads also list the bucket (that prefix)."""
    actions = (_BUCKET_READ if access in _READS else ()) + (_BUCKET_WRITE if access in _WRITES else ())
    result = [allow(actions, f"{bucket_arn}/{prefix}*")]
    if access in _READS:
        condition = {"StringLike": {"s3:prefix": [f"{prefix}*"]}} if prefix else None
        result.append(allow(("s3:ListBucket",), bucket_arn, condition=condition))
    return result


def queue_statements(queue_arn: str, access: QueueAccess) -> list[Statement]:
    return [allow(_QUEUE[access], queue_arn)]


def table_statements(table_arn: str, access: TableAccess, indexes: bool) -> list[Statement]:
    actions = (_TABLE_READ if access in _READS else ()) + (_TABLE_WRITE if access in _WRITES else ())
    result = [allow(actions, table_arn)]
    if indexes and access in _READS:
        result.append(allow(("dynamodb:Query", "dynamodb:Scan"), f"{table_arn}/index/*"))
    return result


def secret_statements(grant_arn: str) -> list[Statement]:
    """``grant_arn``: the complete ARN, or a partial one followed by ``-??????``."""
    return [allow(("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"), grant_arn)]


def parameter_statements(parameter_arn: str) -> list[Statement]:
    return [allow(("ssm:GetParameter", "ssm:GetParameters"), parameter_arn)]


def parameter_path_statements(base_arn: str) -> list[Statement]:
    """``base_arn``: ``arn:…:parameter/<path without its outer '/'>``."""
    return [
        allow(("ssm:GetParameter", "ssm:GetParameters"), f"{base_arn}/*"),
        allow(("ssm:GetParametersByPath",), base_arn, f"{base_arn}/*"),
    ]


def topic_statements(topic_arn: str) -> list[Statement]:
    return [allow(("sns:Publish",), topic_arn)]


def key_statements(key_arn: str, access: KeyAccess) -> list[Statement]:
    return [allow(_KEY[access], key_arn)]
