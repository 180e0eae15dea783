"""Dead-letter queues for the events EventBridge (rules and Scheduler) could not deliver."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from constructs_lib.control_tower import (
    IMPORTED_KEY,
    QUEUE_DLQ,
    QUEUE_ENCRYPTED,
    SCHEDULER_DEAD_LETTERS,
    acknowledge_control,
    key_is_imported,
)
from constructs_lib.nag import acknowledge


def dead_letter_queue(
    scope: Construct,
    construct_id: str,
    *,
    encryption_key: kms.IKey | None,
    what: str,
    scheduler: bool = False,
) -> sqs.Queue:
    """A TLS-only queue kept 14 days, encrypted with ``encryption_key`` (default: SQS-managed
    encryption), for the events the rules of ``what`` (e.g. "the job's triggers") could not
    deliver, or with ``scheduler`` the runs EventBridge Scheduler could not start.

    A rule delivers to a queue encrypted with a customer-managed key only when the key policy
    lets EventBridge use it: this adds that statement, limited to this account's rules. A
    schedule sends with its own role instead, which the caller grants the key.
    """
    if encryption_key is not None and not scheduler:
        allow_eventbridge(encryption_key)
    undelivered = (
        "the runs EventBridge Scheduler could not start"
        if scheduler
        else "the events EventBridge could not deliver"
    )
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS if encryption_key else sqs.QueueEncryption.SQS_MANAGED,
        encryption_master_key=encryption_key,
        enforce_ssl=True,
        retention_period=cdk.Duration.days(14),
    )
    acknowledge(
        queue,
        "SQS3",
        f"This queue is the dead-letter queue of {what}: it receives {undelivered}, so it has no "
        "dead-letter queue of its own.",
    )
    acknowledge_control(queue, QUEUE_DLQ, SCHEDULER_DEAD_LETTERS)
    if key_is_imported(queue, encryption_key):
        acknowledge_control(queue, QUEUE_ENCRYPTED, IMPORTED_KEY)
    return queue


def allow_eventbridge(key: kms.IKey) -> None:
    """Let EventBridge rules of this account encrypt dead letters with ``key`` (key policy)."""
    rules = f"arn:{cdk.Aws.PARTITION}:events:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:rule/*"
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="EventBridgeDeadLetters",
            principals=[iam.ServicePrincipal("events.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey"],
            resources=["*"],  # in a key policy, "*" means this key
            conditions={"ArnLike": {"aws:SourceArn": rules}},
        )
    )
