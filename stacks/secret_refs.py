"""A Secrets Manager secret referenced by ARN, complete or partial."""

from __future__ import annotations

from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from config.permissions_schema import COMPLETE_SECRET_ARN


def secret_from_arn(scope: Construct, construct_id: str, arn: str) -> secretsmanager.ISecret:
    """The secret ``arn`` names; a partial ARN (no suffix) grants on ``<arn>-??????`` only."""
    if COMPLETE_SECRET_ARN.search(arn):
        return secretsmanager.Secret.from_secret_complete_arn(scope, construct_id, arn)
    return secretsmanager.Secret.from_secret_partial_arn(scope, construct_id, arn)
