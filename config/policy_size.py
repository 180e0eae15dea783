"""How long the IAM policies on a service's task role (a batch job's job role) will be.

IAM refuses a role whose inline policies add up to more than 10,240 characters (white space
not counted), and CloudFormation then fails the stack. ``permissions`` go to one inline
policy (``TaskPermissions``, an ``iam.Policy``) that aws-cdk-lib never splits: its overflow
into managed policies is for a role's default policy only, and looks at that policy alone.
The app's own grants to the task role (FireLens logs, EFS volumes, Service Connect TLS, a
worker's queue) go to that default policy, also inline.

This module builds the statements synthesis writes, from the same table of actions
(``constructs_lib/permission_statements.py``), merges them as aws-cdk-lib does under
``@aws-cdk/aws-iam:minimizePolicies`` (cdk.json) and counts their compact JSON. The grants'
ARNs are literal in the template, so their count is exact. The app's own statements name
resources CloudFormation names at deploy time (a log group, a queue, the environment key);
they are counted at the longest those names get. tests/unit/test_policy_size.py checks
both against synthesised templates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from config import naming
from config.permissions_schema import (
    COMPLETE_SECRET_ARN,
    DynamoDbIntent,
    Intent,
    KmsIntent,
    ParameterIntent,
    PermissionSpec,
    S3Intent,
    SecretIntent,
    SnsIntent,
    SqsIntent,
)
from config.regions import partition_of
from constructs_lib import permission_statements as plain
from constructs_lib.permission_statements import (
    BucketAccess,
    KeyAccess,
    QueueAccess,
    Statement,
    TableAccess,
    allow,
)

if TYPE_CHECKING:
    from config.schema import AppSpec, ServiceSpec

ROLE_INLINE_LIMIT = 10_240  # IAM: every inline policy of one role together, white space not counted
QUEUE_NAME_MAX = 80  # SQS
KEY_ID_LENGTH = 36  # the id of a key the app creates (the environment key) is a UUID
# CloudFormation names the task's log group <stack>-<logical id>-<random>: the logical id
# TaskDefinitionLogGroup<8 hex> is 30 characters, the random part 12 or 13.
LOG_GROUP_NAME_AFTER_STACK = 48
Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]


def role_policy_problems(spec: AppSpec) -> Iterator[Problem]:
    """A service's ``permissions`` (a batch job's) whose role's inline policies IAM would refuse."""
    for name, service in spec.services.items():
        if service.permissions:
            loc: Loc = ("services", name, "permissions")
            yield from _size_problems(
                spec, loc, "task role", service.permissions, own_statements(spec, name, service)
            )
    for name, job in spec.batch.jobs.items():
        if job.permissions:
            yield from _size_problems(
                spec, ("batch", "jobs", name, "permissions"), "job role", job.permissions, []
            )


def _size_problems(
    spec: AppSpec, loc: Loc, role: str, permissions: Sequence[PermissionSpec], own: Sequence[Statement]
) -> Iterator[Problem]:
    granted = policy_characters(grant_statements(spec, permissions))
    own_size = policy_characters(own) if own else 0
    total = granted + own_size
    if total <= ROLE_INLINE_LIMIT:
        return
    own_part = f", up to {own_size:,} for what the app grants the role itself" if own_size else ""
    yield (
        loc,
        f"the {role}'s inline policies would hold {total:,} characters ({granted:,} for these "
        f"{len(permissions)} items{own_part}); IAM allows at most {ROLE_INLINE_LIMIT:,} per role "
        "(white space not counted), so the deployment would fail: use fewer items, e.g. one s3 item "
        "per bucket (a shorter prefix, or none) rather than one per prefix, or a parameter path "
        "(/app/config/) rather than one item per parameter",
        len(permissions),
    )


def grant_statements(spec: AppSpec, permissions: Sequence[PermissionSpec]) -> list[Statement]:
    """The statements of ``TaskPermissions`` for ``permissions``, in order, before merging."""
    return [s for item in permissions for s in intent_statements(spec, item.intent)]


def intent_statements(spec: AppSpec, intent: Intent) -> list[Statement]:
    """The statements one intent grants, with the ARNs as the template holds them."""
    match intent:
        case S3Intent():
            return plain.bucket_statements(intent.bucket, BucketAccess(intent.access), intent.prefix or "")
        case SqsIntent():
            return plain.queue_statements(intent.queue, QueueAccess(intent.access))
        case DynamoDbIntent():
            return plain.table_statements(intent.table, TableAccess(intent.access), intent.indexes)
        case SecretIntent():
            arn = intent.arn if COMPLETE_SECRET_ARN.search(intent.arn) else f"{intent.arn}-??????"
            return plain.secret_statements(arn)
        case ParameterIntent():
            name = intent.name
            if name.startswith("arn:"):
                return plain.parameter_statements(name)
            parameters = _arn(spec, "ssm", "parameter")
            if name.endswith("/"):
                return plain.parameter_path_statements(f"{parameters}/{name.strip('/')}")
            return plain.parameter_statements(f"{parameters}/{name.removeprefix('/')}")
        case SnsIntent():
            return plain.topic_statements(intent.topic)
        case KmsIntent():
            return plain.key_statements(intent.key, KeyAccess(intent.access))
    raise AssertionError(intent)  # the schema admits no other intent


def own_statements(spec: AppSpec, name: str, service: ServiceSpec) -> list[Statement]:
    """What the app itself grants the task role of ``name``, in the order it grants it, with
    each ARN CloudFormation fills in at its longest."""
    result = []
    native = service.task_definition_file is not None
    if not native and service.logging == "firelens":  # the log router writes to the log group
        log_group = "x" * (len(naming.service_stack_name(spec, name)) + 1 + LOG_GROUP_NAME_AFTER_STACK)
        arn = f"{_arn(spec, 'logs', 'log-group')}:{log_group}:*"
        result.append(allow(("logs:CreateLogStream", "logs:PutLogEvents"), arn))
    if not native:
        containers = service.containers(name).values()
        writable = {m.volume for c in containers for m in c.mounts if not m.read_only}
        for volume_name, volume in service.volumes.items():
            if volume.efs is not None:  # every EFS volume uses IAM authorisation
                actions = ["elasticfilesystem:ClientMount"]
                if volume_name in writable:
                    actions.append("elasticfilesystem:ClientWrite")
                file_system = f"{_arn(spec, 'elasticfilesystem', 'file-system')}/{volume.efs.file_system_id}"
                result.append(allow(actions, file_system))
    key = f"{_arn(spec, 'kms', 'key')}/{'x' * KEY_ID_LENGTH}"
    if spec.network.service_connect_tls.enabled and service.kind != "job":  # a job has no service
        # the Service Connect certificate's private key, via Secrets Manager
        via = {"StringEquals": {"kms:ViaService": f"secretsmanager.{spec.environment.region}.amazonaws.com"}}
        result.append(allow(("kms:Decrypt",), key, condition=via))
    if service.kind == "worker":  # its own queue, encrypted with the environment key
        result += plain.queue_statements(_arn(spec, "sqs", "x" * QUEUE_NAME_MAX), QueueAccess.CONSUME)
        result.append(allow(("kms:Decrypt",), key))
    return result


def _arn(spec: AppSpec, service: str, resource: str) -> str:
    """``arn:<partition>:<service>:<region>:<account>:<resource>`` of the spec's environment."""
    region, account = spec.environment.region, spec.environment.account
    return f"arn:{partition_of(region)}:{service}:{region}:{account}:{resource}"


def policy_characters(statements: Sequence[Statement]) -> int:
    """The characters IAM counts in the policy document synthesis writes for ``statements``."""
    document = {"Statement": [_rendered(s) for s in merged(statements)], "Version": "2012-10-17"}
    return len(json.dumps(document, separators=(",", ":")))


def merged(statements: Sequence[Statement]) -> list[Statement]:
    """``statements`` merged as aws-cdk-lib's ``mergeStatements`` does when it resolves a policy
    (no size limit): statement ``i`` absorbs each later one with the same condition and the same
    actions or the same resources (the union of both, sorted), in passes until none merges."""
    result = list(statements)
    changed = True
    while changed:
        changed = False
        i = 0
        while i < len(result):
            j = i + 1
            while j < len(result):
                combined = _combined(result[i], result[j])
                if combined is None:
                    j += 1
                    continue
                result[i] = combined
                del result[j]
                changed = True
            i += 1
    return result


def _combined(a: Statement, b: Statement) -> Statement | None:
    if json.dumps(a.condition or {}) != json.dumps(b.condition or {}):
        return None
    if set(a.actions) != set(b.actions) and set(a.resources) != set(b.resources):
        return None
    actions = tuple(sorted({*a.actions, *b.actions}))
    return Statement(actions, tuple(sorted({*a.resources, *b.resources})), a.condition)


def _rendered(statement: Statement) -> dict[str, Any]:
    """The statement as the template holds it: a single action or resource is a plain string."""
    rendered: dict[str, Any] = {"Action": _one_or_all(statement.actions)}
    if statement.condition:
        rendered["Condition"] = statement.condition
    rendered["Effect"] = "Allow"
    rendered["Resource"] = _one_or_all(statement.resources)
    return rendered


def _one_or_all(values: Sequence[str]) -> str | list[str]:
    unique = sorted(set(values))
    return unique[0] if len(unique) == 1 else unique
