"""cdk-nag acknowledgements the constructs make for findings that are inherent to ECS.

Each sits on the exact construct and finding, with the reason a reviewer needs; anything
else cdk-nag reports stays an error. ``docs/security.md`` lists them all.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct

AGENT_RESOURCES = (
    "The ECS agent's actions (ecs:DiscoverPollEndpoint, ecs:Poll, ecs:StartTelemetrySession, "
    "ecr:GetAuthorizationToken) and Session Manager's ssmmessages actions accept no resource "
    "narrower than '*'; cluster-scoped actions are limited to this cluster's ARN."
)
AGENT_SUBMIT = (
    "ecs:Submit* is the ECS agent's set of state-change calls (task, container, attachment), "
    "scoped to this cluster's ARN by aws-cdk-lib's agent policy."
)
ASG_ENCRYPTION = (
    "The rule cannot read a launch-template reference; the root volume is encrypted gp3 in "
    "the launch template, which tests/unit/test_cluster.py asserts."
)
BOTTLEROCKET_MANAGED_POLICIES = (
    "aws-cdk-lib attaches these AWS managed policies to Bottlerocket instance roles; a "
    "property deletion override removes them from the template (tests/unit/test_cluster.py "
    "asserts no ManagedPolicyArns) and the inline agent and Session Manager policies remain."
)
ECR_TOKEN = (
    "ecr:GetAuthorizationToken has no resource-level permissions, so it must be '*'; image "
    "pulls are limited to the named repositories and logs to the service's own log group."
)
PLAIN_ENVIRONMENT = (
    "Plain environment variables carry non-secret configuration only; secrets reach the task "
    "through Secrets Manager or SSM references, and the spec rejects secret-like names."
)


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge cdk-nag's AwsSolutions ``finding`` (e.g. ``IAM5[Resource::*]``) on ``construct``."""
    cdk.Validations.of(construct).acknowledge(
        cdk.Acknowledgment(id=f"AwsSolutions::AwsSolutions-{finding}", reason=reason)
    )
