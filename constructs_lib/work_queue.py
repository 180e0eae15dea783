"""``WorkQueue``: an encrypted SQS queue with a dead-letter queue, consumed by one service
that scales on backlog per task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from constructs_lib.control_tower import IMPORTED_KEY, QUEUE_ENCRYPTED, acknowledge_control, key_is_imported
from constructs_lib.service import EcsService


@dataclass(frozen=True)
class BacklogScaling:
    """Task count from queue backlog. Default: hold 10 visible messages per task, 0-10
    tasks (0 lets an idle worker cost nothing), scale out after 30 s, in after 120 s."""

    messages_per_task: int = 10
    min_count: int = 0
    max_count: int = 10
    scale_out_cooldown_seconds: int = 30
    scale_in_cooldown_seconds: int = 120


class WorkQueue(Construct):
    """A queue for ``service`` to consume, and the scaling that follows its backlog.

    Defaults: both queues encrypted with ``encryption_key`` (a KMS key; SQS-managed
    encryption when None) and TLS-only; visibility timeout 60 s; messages kept 4 days;
    after ``max_receive_count`` (default 5) receives a message moves to the dead-letter
    queue, kept 14 days. Only this queue may use the dead-letter queue (its redrive-allow
    policy names it: Control Tower CT.SQS.PR.1); to name it without a reference cycle, the
    queue has a deterministic physical name derived from its construct path (at most 80
    characters). The service's task role may consume the queue (and nothing more);
    producers get ``grant_send``.

    Scaling: target tracking holds ``visible / running tasks`` at ``messages_per_task``
    (metric math over SQS and Container Insights' ``RunningTaskCount``). Target tracking
    cannot start the first task, so a step policy sets one task when messages wait and
    none runs (Container Insights must be on for the service's cluster).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        service: EcsService,
        cluster_name: str,
        encryption_key: kms.IKey | None = None,
        visibility_timeout: cdk.Duration | None = None,
        retention_period: cdk.Duration | None = None,
        max_receive_count: int = 5,
        scaling: BacklogScaling | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        scaling = scaling or BacklogScaling()
        if not 0 <= scaling.min_count <= scaling.max_count:
            raise ValueError(
                f"scaling min_count={scaling.min_count}, max_count={scaling.max_count}: need 0 <= min <= max"
            )
        encryption: dict[str, Any] = {
            "encryption": sqs.QueueEncryption.KMS if encryption_key else sqs.QueueEncryption.SQS_MANAGED,
            "encryption_master_key": encryption_key,
            "enforce_ssl": True,
        }
        stack = cdk.Stack.of(self)
        queue_name = cdk.Names.unique_resource_name(self, max_length=80, separator="-")
        self.dead_letter_queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            retention_period=cdk.Duration.days(14),
            redrive_allow_policy=sqs.RedriveAllowPolicy(
                redrive_permission=sqs.RedrivePermission.BY_QUEUE,
                source_queues=[
                    sqs.Queue.from_queue_arn(
                        self,
                        "SourceQueue",
                        stack.format_arn(service="sqs", resource=queue_name),
                    )
                ],
            ),
            **encryption,
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            queue_name=queue_name,
            visibility_timeout=visibility_timeout or cdk.Duration.seconds(60),
            retention_period=retention_period or cdk.Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letter_queue, max_receive_count=max_receive_count
            ),
            **encryption,
        )
        if key_is_imported(self, encryption_key):
            for queue in (self.queue, self.dead_letter_queue):
                acknowledge_control(queue, QUEUE_ENCRYPTED, IMPORTED_KEY)
        self.queue.grant_consume_messages(service.service.task_definition.task_role)
        self._scale(service, cluster_name, scaling)

    def grant_send(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` send messages to the queue."""
        return self.queue.grant_send_messages(grantee)

    def _scale(self, service: EcsService, cluster_name: str, scaling: BacklogScaling) -> None:
        task_count = service.service.auto_scale_task_count(
            min_capacity=scaling.min_count, max_capacity=scaling.max_count
        )
        target = task_count.node.find_child("Target")
        assert isinstance(target, appscaling.ScalableTarget)
        visible = self.queue.metric_approximate_number_of_messages_visible(
            period=cdk.Duration.minutes(1), statistic="Maximum"
        )
        running = cloudwatch.Metric(
            namespace="ECS/ContainerInsights",
            metric_name="RunningTaskCount",
            dimensions_map={"ClusterName": cluster_name, "ServiceName": service.service.service_name},
            period=cdk.Duration.minutes(1),
            statistic="Average",
        )
        appscaling.CfnScalingPolicy(
            self,
            "BacklogPerTask",
            policy_name=f"{cdk.Names.unique_id(self)[-200:]}-backlog-per-task",
            policy_type="TargetTrackingScaling",
            scaling_target_id=target.scalable_target_id,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=scaling.messages_per_task,
                scale_in_cooldown=scaling.scale_in_cooldown_seconds,
                scale_out_cooldown=scaling.scale_out_cooldown_seconds,
                customized_metric_specification=appscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty(
                    metrics=[
                        _query("visible", visible),
                        _query("running", running),
                        appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty(
                            id="backlog",
                            expression="IF(running > 0, visible / running, visible)",
                            label="visible messages per running task",
                            return_data=True,
                        ),
                    ]
                ),
            ),
        )
        # Only the "none running, messages waiting" case: target tracking owns every other count.
        start_one = appscaling.StepScalingAction(
            self,
            "StartFromZero",
            scaling_target=target,
            adjustment_type=appscaling.AdjustmentType.EXACT_CAPACITY,
            cooldown=cdk.Duration.seconds(scaling.scale_out_cooldown_seconds),
        )
        start_one.add_adjustment(adjustment=1, lower_bound=0)
        waiting_with_no_task = cloudwatch.Alarm(
            self,
            "WaitingWithNoTask",
            metric=cloudwatch.MathExpression(
                expression="IF(FILL(running, 0) == 0 AND visible > 0, 1, 0)",
                using_metrics={"visible": visible, "running": running},
                period=cdk.Duration.minutes(1),
                label="messages waiting and no task running",
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description="starts the first worker task when messages wait",
        )
        waiting_with_no_task.add_alarm_action(cloudwatch_actions.ApplicationScalingAction(start_one))


def _query(
    query_id: str, metric: cloudwatch.Metric
) -> appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty:
    return appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty(
        id=query_id,
        return_data=False,
        metric_stat=appscaling.CfnScalingPolicy.TargetTrackingMetricStatProperty(
            stat=metric.statistic,
            metric=appscaling.CfnScalingPolicy.TargetTrackingMetricProperty(
                namespace=metric.namespace,
                metric_name=metric.metric_name,
                dimensions=[
                    appscaling.CfnScalingPolicy.TargetTrackingMetricDimensionProperty(name=k, value=v)
                    for k, v in (metric.dimensions or {}).items()
                ],
            ),
        ),
    )
