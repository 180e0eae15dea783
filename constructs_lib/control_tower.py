"""AWS Control Tower proactive-control acknowledgements that the constructs make.

Regulated accounts turn these controls on as CloudFormation hooks, so a failing control
blocks the deploy. The controls run offline as cfn-guard rules (``cdklabs.cdk-validator-
cfnguard`` plugged into CDK's ``Validations`` API). Where a rule cannot read what the
template holds, the construct acknowledges it on the exact resource, with the reason;
``docs/security.md`` lists them all.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct

# cfn-guard rule names (what the validator acknowledges), keyed by the control they check.
LOG_GROUP_KMS = "cloudwatch_log_group_encrypted_check"  # CT.CLOUDWATCH.PR.3
QUEUE_ENCRYPTED = "sqs_queue_encrypted_check"  # CT.SQS.PR.2
QUEUE_DLQ = "sqs_dlq_check"  # CT.SQS.PR.1
CONTAINER_INSIGHTS = "ecs_container_insights_enabled_check"  # CT.ECS.PR.2
LAMBDA_IN_VPC = "lambda_inside_vpc_check"  # CT.LAMBDA.PR.3
NON_ROOT_USER = "ecs_task_definition_nonroot_user_check"  # CT.ECS.PR.3
AWSVPC_ONLY = "ecs_awsvpc_networking_enabled_check"  # CT.ECS.PR.4
BRIDGE_OR_HOST = (
    "The task uses bridge or host networking by the spec's choice (network_mode on a service of "
    "an EC2 group): tasks share their instances' security group, which opens to the load "
    "balancer only; host mode also needs host_network_reason, which deployer validate prints."
)

IMPORTED_KEY = (
    "The resource is encrypted with the environment's customer-managed KMS key, which the "
    "network stack exports; the rule cannot read a key given by Fn::ImportValue, and "
    "tests/unit/test_control_tower.py asserts the key reference on the template."
)
ENHANCED_INSIGHTS = (
    "Container Insights is on as 'enhanced', a superset of 'enabled' (task and container "
    "level metrics); the rule accepts only the literal 'enabled'."
)
SCHEDULER_DEAD_LETTERS = (
    "This queue is the dead-letter queue of an EventBridge Scheduler schedule, not of an SQS "
    "queue: no queue redrives into it and messages it cannot take have nowhere further to go."
)
ACCESS_LOG_BUCKET = {
    "s3_bucket_default_encryption_kms_check": (  # CT.S3.PR.10
        "Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3 "
        "(AES-256); a KMS-encrypted bucket makes log delivery fail."
    ),
    "s3_bucket_versioning_enabled_check": (  # CT.S3.PR.11
        "Access logs are written once by the load-balancing service and expire by lifecycle; "
        "versioning would keep every expired log as a noncurrent version and protect nothing."
    ),
    "s3_bucket_logging_enabled_check": (  # CT.S3.PR.2
        "This bucket holds the load balancer's access logs; logging access to them would need "
        "yet another bucket, and CloudTrail S3 data events cover reads of it."
    ),
    "s3_event_notifications_enabled_check": (  # CT.S3.PR.4
        "Nothing consumes access-log objects as events; they are read on demand (Athena) and "
        "expire by lifecycle."
    ),
    "s3_bucket_object_lock_enabled_check": (  # CT.S3.PR.9
        "Object Lock would stop the lifecycle rule from expiring logs at the retention the "
        "spec sets, and can only be turned on when a bucket is created."
    ),
}
FIRELENS_ROOT = (
    "ECS requires the FireLens log router to run as root: it creates the log socket in a "
    "directory of the ECS agent (aws/containers-roadmap#2122); the router reads no request data."
)
DEFAULT_SG_PROVIDER = (
    "aws-cdk-lib's provider that strips the VPC's default security group runs only during "
    "deployment and calls the EC2 API alone; it reaches no resource inside the VPC."
)


def acknowledge_control(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge the Control Tower cfn-guard ``rule`` (e.g. ``sqs_dlq_check``) on ``construct``."""
    cdk.Validations.of(construct).acknowledge(
        cdk.Acknowledgment(id=f"cdk-validator-cfnguard::{rule}", reason=reason)
    )


def key_is_imported(scope: IConstruct, key: IConstruct | None) -> bool:
    """True when ``key`` lives in another stack than ``scope`` (the template imports it)."""
    return key is not None and cdk.Stack.of(key) is not cdk.Stack.of(scope)
