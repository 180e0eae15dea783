"""Roles that an AWS service assumes to act for this account: EventBridge rules and Scheduler,
Step Functions."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct


def service_role(scope: Construct, construct_id: str, *, service: str, description: str) -> iam.Role:
    """A role only ``service`` (``events.amazonaws.com``) may assume, and only for this stack's
    account (``aws:SourceAccount``: no confused deputy). It has no permission yet."""
    return iam.Role(
        scope,
        construct_id,
        assumed_by=iam.ServicePrincipal(
            service, conditions={"StringEquals": {"aws:SourceAccount": cdk.Stack.of(scope).account}}
        ),
        description=description,
    )


def schedule_role(
    scope: Construct, construct_id: str, *, dead_letter_key: kms.IKey | None, description: str
) -> iam.Role:
    """An EventBridge Scheduler role. Scheduler writes dead letters as this role: with a
    customer-managed key (``dead_letter_key``) SQS needs the sender to use the key too (the
    schedule's target grants sqs:SendMessage)."""
    role = service_role(scope, construct_id, service="scheduler.amazonaws.com", description=description)
    if dead_letter_key is not None:
        dead_letter_key.grant(role, "kms:GenerateDataKey", "kms:Decrypt")
    return role
