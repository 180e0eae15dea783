"""A Secrets Manager secret referenced by ARN, complete or partial."""

from __future__ import annotations

import re

from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

# A complete ARN ends in the 6-character suffix Secrets Manager appends to the name.
_COMPLETE_SECRET_ARN = re.compile(r"-[A-Za-z0-9]{6}$")


def secret_from_arn(scope: Construct, construct_id: str, arn: str) -> secretsmanager.ISecret:
    """The secret ``arn`` names; a partial ARN (no suffix) grants on ``<arn>-??????`` only."""
    if _COMPLETE_SECRET_ARN.search(arn):
        return secretsmanager.Secret.from_secret_complete_arn(scope, construct_id, arn)
    return secretsmanager.Secret.from_secret_partial_arn(scope, construct_id, arn)
