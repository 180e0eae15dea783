"""Encrypted CloudWatch log groups: the key policy CloudWatch Logs needs, and the retained,
encrypted log group every construct here writes to."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib.control_tower import IMPORTED_KEY, LOG_GROUP_KMS, acknowledge_control, key_is_imported


def retained_log_group(
    scope: Construct,
    construct_id: str,
    *,
    retention: logs.RetentionDays,
    key: kms.IKey | None,
    name: str | None = None,
) -> logs.LogGroup:
    """A log group kept when its stack is deleted (logs outlive a teardown), encrypted with
    ``key`` (None: CloudWatch's own encryption). Where the key comes from another stack, the
    Control Tower rule cannot see it through ``Fn::ImportValue``, so the group acknowledges it."""
    group = logs.LogGroup(
        scope,
        construct_id,
        log_group_name=name,
        retention=retention,
        encryption_key=key,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    if key_is_imported(scope, key):
        acknowledge_control(group, LOG_GROUP_KMS, IMPORTED_KEY)
    return group


def allow_cloudwatch_logs(key: kms.IKey) -> None:
    """Add the key-policy statement CloudWatch Logs needs to encrypt this account's log groups."""
    stack = cdk.Stack.of(key)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=[
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            resources=["*"],  # in a key policy, "*" means this key
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": (
                        f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*"
                    )
                }
            },
        )
    )
