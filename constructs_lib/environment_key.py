"""``EnvironmentKey``: the one KMS key an environment encrypts its data with."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from constructs import Construct

from constructs_lib.log_encryption import allow_cloudwatch_logs


class EnvironmentKey(Construct):
    """A customer-managed KMS key for logs, ECS Exec, queues, SNS topics and app secrets.

    Defaults: automatic yearly rotation, retained on stack deletion and replacement (data it
    encrypted stays readable), a key policy that lets this account's IAM policies grant its use
    and lets CloudWatch Logs encrypt this account's log groups in the region. ``alias`` (e.g.
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
