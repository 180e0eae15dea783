"""An encrypted SNS topic for the Auto Scaling events of a cluster's EC2 groups."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct


def scaling_events_topic(scope: Construct, construct_id: str, key: kms.IKey) -> sns.Topic:
    """A TLS-only topic encrypted with ``key``, which Auto Scaling may publish to.

    Auto Scaling publishes as its service-linked role, so the key policy lets that role
    generate data keys: without it, notifications to an encrypted topic are dropped.
    """
    stack = cdk.Stack.of(scope)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[
                iam.ArnPrincipal(
                    f"arn:{stack.partition}:iam::{stack.account}:role/aws-service-role/"
                    "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
                )
            ],
            actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            resources=["*"],  # in a key policy, "*" means this key
        )
    )
    return sns.Topic(
        scope,
        construct_id,
        display_name="ECS capacity scaling events",
        master_key=key,
        enforce_ssl=True,
    )
