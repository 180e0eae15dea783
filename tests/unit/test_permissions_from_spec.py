"""``services.<name>.permissions`` → the task role's policy, compared with literal statements.

test_permissions.py checks the construct per intent and that the service stack's policy equals
what ``grant_permissions`` makes; this file checks that ``grant_permissions`` itself passes each
spec key on (an S3 prefix, an access level, ``indexes``), against statements written out here.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import assertions
from aws_cdk import aws_iam as iam
from pydantic import TypeAdapter

from config.permissions_schema import PermissionSpec
from stacks.permissions_from_spec import grant_permissions
from tests.harness import new_stack, resources_of_type

REGION_ACCOUNT = "us-east-1:123456789012"
UPLOADS, EXPORTS = "arn:aws:s3:::shop-uploads", "arn:aws:s3:::shop-exports"
ORDERS, AUDIT = (f"arn:aws:dynamodb:{REGION_ACCOUNT}:table/{t}" for t in ("orders", "audit"))
QUEUE = f"arn:aws:sqs:{REGION_ACCOUNT}:orders"
KEY = f"arn:aws:kms:{REGION_ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
SECRET = f"arn:aws:secretsmanager:{REGION_ACCOUNT}:secret:shop/db"
PARAMETER = f"arn:aws:ssm:{REGION_ACCOUNT}:parameter"
TOPIC = f"arn:aws:sns:{REGION_ACCOUNT}:events"

TABLE_READ = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
              "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]  # fmt: skip
TABLE_WRITE = ["dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
               "dynamodb:DescribeTable", "dynamodb:PutItem", "dynamodb:UpdateItem"]  # fmt: skip
OBJECT_WRITE = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"]


def policy_for(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    permissions = TypeAdapter(tuple[PermissionSpec, ...]).validate_python(items)
    stack = new_stack()
    role = iam.Role(stack, "TaskRole", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    grant_permissions(stack, "web", role, permissions)
    template = dict(assertions.Template.from_stack(stack).to_json())
    [policy] = resources_of_type(template, "AWS::IAM::Policy").values()
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def allow(action: str | list[str], resource: str | list[str], **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Action": action, "Effect": "Allow", "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return statement


def test_s3_prefix_and_access_reach_the_policy() -> None:
    assert policy_for(
        [
            {"s3": {"bucket": UPLOADS, "prefix": "incoming/"}},
            {"s3": {"bucket": EXPORTS, "prefix": "daily/", "access": "write"}},
        ]
    ) == [
        allow("s3:GetObject", f"{UPLOADS}/incoming/*"),
        allow("s3:ListBucket", UPLOADS, StringLike={"s3:prefix": ["incoming/*"]}),
        allow(OBJECT_WRITE, f"{EXPORTS}/daily/*"),
    ]


def test_s3_without_a_prefix_is_the_whole_bucket_read_only() -> None:
    assert policy_for([{"s3": {"bucket": UPLOADS}}]) == [
        allow("s3:GetObject", f"{UPLOADS}/*"),
        allow("s3:ListBucket", UPLOADS),
    ]


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ({"table": ORDERS}, [allow(TABLE_READ, ORDERS)]),
        ({"table": ORDERS, "access": "read"}, [allow(TABLE_READ, ORDERS)]),
        ({"table": ORDERS, "access": "write"}, [allow(TABLE_WRITE, ORDERS)]),
        ({"table": ORDERS, "access": "write", "indexes": True}, [allow(TABLE_WRITE, ORDERS)]),
        (
            {"table": ORDERS, "indexes": True},
            [allow(TABLE_READ, ORDERS), allow(["dynamodb:Query", "dynamodb:Scan"], f"{ORDERS}/index/*")],
        ),
        (
            {"table": AUDIT, "access": "read_write"},
            [allow(sorted({*TABLE_READ, *TABLE_WRITE}), AUDIT)],
        ),
    ],
)
def test_dynamodb_access_and_indexes_reach_the_policy(intent: dict[str, Any], expected: list[Any]) -> None:
    assert policy_for([{"dynamodb": intent}]) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"sqs": {"queue": QUEUE, "access": "send"}},
         [allow(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], QUEUE)]),
        ({"sqs": {"queue": QUEUE, "access": "consume"}},
         [allow(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                 "sqs:GetQueueUrl", "sqs:ReceiveMessage"], QUEUE)]),
        ({"kms": {"key": KEY}}, [allow("kms:Decrypt", KEY)]),
        ({"kms": {"key": KEY, "access": "encrypt_decrypt"}},
         [allow(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], KEY)]),
        ({"secret": {"arn": SECRET}},
         [allow(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], f"{SECRET}-??????")]),
        ({"secret": {"arn": f"{SECRET}-AbCdEf"}},
         [allow(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], f"{SECRET}-AbCdEf")]),
        ({"parameter": {"name": "/shop/api-token"}},
         [allow(["ssm:GetParameter", "ssm:GetParameters"], f"{PARAMETER}/shop/api-token")]),
        ({"parameter": {"name": "/shop/config/"}},
         [allow(["ssm:GetParameter", "ssm:GetParameters"], f"{PARAMETER}/shop/config/*"),
          allow("ssm:GetParametersByPath", [f"{PARAMETER}/shop/config", f"{PARAMETER}/shop/config/*"])]),
        ({"parameter": {"name": f"{PARAMETER}/other/flag"}},
         [allow(["ssm:GetParameter", "ssm:GetParameters"], f"{PARAMETER}/other/flag")]),
        ({"sns": {"topic": TOPIC}},
         [allow("sns:Publish", TOPIC)]),
    ],
)  # fmt: skip
def test_every_other_intent_reaches_the_policy(item: dict[str, Any], expected: list[Any]) -> None:
    assert policy_for([item]) == expected


def test_a_task_definition_files_own_role_is_refused_with_the_remedy() -> None:
    """A role the app does not create: the whole message, with both ways out (the cause alone
    would leave the user guessing whether to drop ``permissions`` or ``taskRoleArn``)."""
    permissions = TypeAdapter(tuple[PermissionSpec, ...]).validate_python([{"sns": {"topic": TOPIC}}])
    stack = new_stack()
    role = iam.Role.from_role_arn(stack, "Imported", "arn:aws:iam::123456789012:role/app", mutable=False)
    with pytest.raises(ValueError) as raised:
        grant_permissions(stack, "worker", role, permissions)
    assert str(raised.value) == (
        "services.worker.permissions: the task definition file names its own taskRoleArn; "
        "remove it so the app creates the task role, or grant these rights to that role yourself"
    )
    assert stack.node.try_find_child("PermissionTargets") is None
