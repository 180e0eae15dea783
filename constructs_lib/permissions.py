"""``TaskPermissions``: exactly the AWS rights an app needs, named by intent, on its task role.

Each intent maps to an explicit list of actions (never ``service:*``) on the resource it
names. A resource wildcard appears only where the ARN shape needs one (S3 object keys under
a prefix, DynamoDB indexes, an SSM parameter path), and each is acknowledged for cdk-nag's
``IAM5`` on the policy with its reason. ``docs/permissions.md`` lists every action.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from constructs_lib import permission_statements as plain
from constructs_lib.nag import acknowledge
from constructs_lib.permission_statements import BucketAccess, KeyAccess, QueueAccess, TableAccess

__all__ = [
    "DYNAMODB_INDEXES",
    "S3_OBJECT_KEYS",
    "SSM_PARAMETER_PATH",
    "BucketAccess",
    "BucketPermission",
    "KeyAccess",
    "KeyPermission",
    "ParameterPathPermission",
    "ParameterPermission",
    "Permission",
    "QueueAccess",
    "QueuePermission",
    "SecretPermission",
    "TableAccess",
    "TablePermission",
    "TaskPermissions",
    "TopicPermission",
]


@dataclass(frozen=True)
class BucketPermission:
    """Objects of ``bucket`` (default: read), all keys or only those starting with ``prefix``."""

    bucket: s3.IBucket
    access: BucketAccess = BucketAccess.READ
    prefix: str = ""


@dataclass(frozen=True)
class QueuePermission:
    """Send messages to, or consume messages from, ``queue``."""

    queue: sqs.IQueue
    access: QueueAccess


@dataclass(frozen=True)
class TablePermission:
    """Items of ``table`` (default: read); ``indexes`` adds Query and Scan on its indexes."""

    table: dynamodb.ITable
    access: TableAccess = TableAccess.READ
    indexes: bool = False


@dataclass(frozen=True)
class SecretPermission:
    """Read ``secret``'s value (a partial-ARN import matches only its 6-character suffix)."""

    secret: secretsmanager.ISecret


@dataclass(frozen=True)
class ParameterPermission:
    """Read one SSM parameter."""

    parameter: ssm.IParameter


@dataclass(frozen=True)
class ParameterPathPermission:
    """Read every SSM parameter under ``path`` (e.g. ``/shop/config/``) in the stack's account and region."""

    path: str


@dataclass(frozen=True)
class TopicPermission:
    """Publish to ``topic``."""

    topic: sns.ITopic


@dataclass(frozen=True)
class KeyPermission:
    """Use ``key`` (default: decrypt only)."""

    key: kms.IKey
    access: KeyAccess = KeyAccess.DECRYPT


Permission = (
    BucketPermission
    | QueuePermission
    | TablePermission
    | SecretPermission
    | ParameterPermission
    | ParameterPathPermission
    | TopicPermission
    | KeyPermission
)

S3_OBJECT_KEYS = (
    "S3 object ARNs have no shorter form than bucket/key: the trailing '*' matches the keys "
    "under the spec's prefix in that one bucket, and ListBucket is limited to that prefix."
)
DYNAMODB_INDEXES = (
    "DynamoDB authorises Query and Scan on an index by the index ARN; table/<name>/index/* "
    "matches only the indexes of that one table, and only for Query and Scan."
)
SSM_PARAMETER_PATH = (
    "The spec names an SSM parameter path ending in '/': the trailing '*' matches the "
    "parameters under that path only, and only for GetParameter(s) and GetParametersByPath."
)


class TaskPermissions(Construct):
    """One IAM policy on ``role`` granting ``permissions`` and nothing else.

    ``role`` must be a role this app creates (normally a task role): an imported role's
    policies belong to its owner, so it raises ``ValueError``, as does an empty list or an
    S3 prefix or SSM path containing a wildcard. The policy is ``.policy``; its cdk-nag
    acknowledgements are computed from the resolved resource ARNs when it is created.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, role: iam.IRole, permissions: Sequence[Permission]
    ) -> None:
        super().__init__(scope, construct_id)
        if not permissions:
            raise ValueError("TaskPermissions needs at least one permission")
        if not cdk.Resource.is_owned_resource(role):
            raise ValueError(
                f"role {role.node.path!r} is imported; grant permissions to a role this app creates"
            )
        stack = cdk.Stack.of(self)
        granted = [(p, _statements(stack, p)) for p in permissions]
        self.policy = iam.Policy(
            self, "Policy", statements=[s for _, statements in granted for s in statements], force=True
        )
        role.attach_inline_policy(self.policy)
        cfn_policy = self.policy.node.default_child
        assert isinstance(cfn_policy, cdk.CfnResource)
        for resource, reason in _wildcards(stack, granted):
            acknowledge(cfn_policy, f"IAM5[Resource::{resource}]", reason)


def _statements(stack: cdk.Stack, permission: Permission) -> list[iam.PolicyStatement]:
    return [_policy_statement(s) for s in _plain_statements(stack, permission)]


def _plain_statements(stack: cdk.Stack, permission: Permission) -> list[plain.Statement]:
    match permission:
        case BucketPermission(bucket=bucket, access=access, prefix=prefix):
            _check_plain(prefix, "S3 prefix")
            return plain.bucket_statements(bucket.bucket_arn, access, prefix)
        case QueuePermission(queue=queue, access=access):
            return plain.queue_statements(queue.queue_arn, access)
        case TablePermission(table=table, access=access, indexes=indexes):
            return plain.table_statements(table.table_arn, access, indexes)
        case SecretPermission(secret=secret):
            return plain.secret_statements(secret.secret_full_arn or f"{secret.secret_arn}-??????")
        case ParameterPermission(parameter=parameter):
            return plain.parameter_statements(parameter.parameter_arn)
        case ParameterPathPermission(path=path):
            _check_plain(path, "SSM parameter path")
            return plain.parameter_path_statements(_parameter_path_arn(stack, path))
        case TopicPermission(topic=topic):
            return plain.topic_statements(topic.topic_arn)
        case KeyPermission(key=key, access=access):
            return plain.key_statements(key.key_arn, access)
    raise ValueError(f"unknown permission {permission!r}")


def _wildcards(
    stack: cdk.Stack, granted: Sequence[tuple[Permission, list[iam.PolicyStatement]]]
) -> list[tuple[str, str]]:
    """``(resource, reason)`` of every expected wildcard resource, flattened as cdk-nag names it."""
    found: dict[str, str] = {}
    for permission, statements in granted:
        reason = _REASONS.get(type(permission))
        for resource in (r for s in statements for r in s.resources):
            flat = _flatten(stack.resolve(resource))
            if reason and "*" in flat:
                found[flat] = reason
    return sorted(found.items())


_REASONS: dict[type, str] = {
    BucketPermission: S3_OBJECT_KEYS,
    TablePermission: DYNAMODB_INDEXES,
    ParameterPathPermission: SSM_PARAMETER_PATH,
}


def _policy_statement(statement: plain.Statement) -> iam.PolicyStatement:
    return iam.PolicyStatement(
        actions=list(statement.actions), resources=list(statement.resources), conditions=statement.condition
    )


def _parameter_path_arn(stack: cdk.Stack, path: str) -> str:
    name = path.strip("/")
    if not (path.startswith("/") and path.endswith("/") and name):
        raise ValueError(
            f"SSM parameter path {path!r} must start and end with '/' and name a level (/app/config/)"
        )
    return stack.format_arn(
        service="ssm", resource="parameter", resource_name=name, arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME
    )


def _check_plain(text: str, what: str) -> None:
    if any(c in text for c in "*?$"):
        raise ValueError(
            f"{what} {text!r} may not contain '*', '?' or '$': they are IAM wildcards or variables"
        )


def _flatten(value: Any) -> str:
    """A resolved CloudFormation value as cdk-nag 3 flattens it into a finding id."""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict):
        if "Fn::Join" in value:
            delimiter, items = value["Fn::Join"]
            return str(delimiter).join(_flatten(item) for item in items)
        if "Fn::Sub" in value:
            return _flatten(value["Fn::Sub"])
        if "Fn::GetAtt" in value:
            resource, attribute = value["Fn::GetAtt"]
            return f"<{_flatten(resource)}.{_flatten(attribute)}>"
        if "Fn::ImportValue" in value:
            return _flatten(value["Fn::ImportValue"])
        if "Ref" in value:
            return f"<{_flatten(value['Ref'])}>"
    return json.dumps(value, separators=(",", ":"))
