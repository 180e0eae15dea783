"""``EnvironmentKey``: the one KMS key an environment encrypts its data with."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from constructs_lib.log_encryption import allow_cloudwatch_logs


class EnvironmentKey(Construct):
    """A customer-managed KMS key for logs, ECS Exec, queues, SNS topics and app secrets.

    Defaults: automatic yearly rotation, retained on stack deletion and replacement (data it
    encrypted stays readable), a key policy that lets this account's IAM policies grant its use
    and lets CloudWatch Logs encrypt this account's log groups in the region, and a deny on
    ``kms:CreateGrant`` unless the grant is for an AWS resource or made by an AWS service (grants
    are how EBS, Fargate storage and ECS use a key; a person has no reason to make one, and a
    grant outlives the IAM policy that allowed it: Control Tower CT.KMS.PR.3). ``alias`` (e.g.
    ``alias/shop-prod``, default none) is the name app teams encrypt their secrets with.
    """

    def __init__(self, scope: Construct, construct_id: str, *, alias: str | None = None) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "Key",
            enable_key_rotation=True,
            description="environment key: logs, ECS Exec, queues, topics and app secrets",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        if alias:
            self.key.add_alias(alias)
        allow_cloudwatch_logs(self.key)
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=["kms:CreateGrant"],
                resources=["*"],  # in a key policy, "*" means this key
                conditions={
                    "BoolIfExists": {
                        "kms:GrantIsForAWSResource": "false",
                        "aws:PrincipalIsAWSService": "false",
                    }
                },
            )
        )
