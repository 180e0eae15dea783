"""``BatchJobQueue``: a job queue that never leaves a job in RUNNABLE forever, and an alarm on
the jobs that fail in it."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_batch as batch
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_events as events
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib.environment_dashboard import failed_jobs_metric

# Why Batch cancels a job that waits in RUNNABLE longer than the queue's limit: every reason
# AWS Batch's job-state time limit actions know (JobStateTimeLimitAction.reason).
RUNNABLE_REASONS = (
    batch.JobStateTimeLimitActionsReason.INSUFFICIENT_INSTANCE_CAPACITY,
    batch.JobStateTimeLimitActionsReason.COMPUTE_ENVIRONMENT_MAX_RESOURCE,
    batch.JobStateTimeLimitActionsReason.JOB_RESOURCE_REQUIREMENT,
)


class BatchJobQueue(Construct):
    """A job queue over ``compute_environments``, tried in the order given.

    Defaults: priority 1; a job that waits in RUNNABLE for ``runnable_timeout`` (default one
    hour, 10 minutes to 24 hours) because capacity is short, the environments' max vCPUs are
    reached, or no environment can ever fit it is cancelled. ``failed_jobs_rule`` matches the
    queue's "Batch Job State Change" events to FAILED (it has no target: it is counted), and
    ``failed_jobs_alarm`` goes off when at least one job failed in 5 minutes, notifying
    ``alarm_topic`` on alarm and on OK when given (default: no action).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        compute_environments: Sequence[batch.IComputeEnvironment],
        job_queue_name: str | None = None,
        priority: int = 1,
        runnable_timeout: cdk.Duration | None = None,
        failed_jobs_rule_name: str | None = None,
        alarm_topic: sns.ITopic | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not 1 <= len(compute_environments) <= 3:
            count = len(compute_environments)
            raise ValueError(f"a job queue takes 1 to 3 compute environments, not {count}")
        timeout = runnable_timeout or cdk.Duration.hours(1)
        if not 600 <= timeout.to_seconds() <= 86400:
            raise ValueError(f"runnable_timeout {timeout.to_seconds():g} s: allowed 600 to 86400 s")
        self.job_queue = batch.JobQueue(
            self,
            "JobQueue",
            job_queue_name=job_queue_name,
            priority=priority,
            compute_environments=[
                batch.OrderedComputeEnvironment(compute_environment=environment, order=index + 1)
                for index, environment in enumerate(compute_environments)
            ],
            job_state_time_limit_actions=[
                batch.JobStateTimeLimitAction(
                    max_time=timeout,
                    reason=reason,
                    action=batch.JobStateTimeLimitActionsAction.CANCEL,
                    state=batch.JobStateTimeLimitActionsState.RUNNABLE,
                )
                for reason in RUNNABLE_REASONS
            ],
        )
        self.failed_jobs_rule = events.Rule(
            self,
            "FailedJobs",
            rule_name=failed_jobs_rule_name,
            description=f"jobs of {job_queue_name or construct_id} that fail",
            event_pattern=events.EventPattern(
                source=["aws.batch"],
                detail_type=["Batch Job State Change"],
                detail={"status": ["FAILED"], "jobQueue": [self.job_queue.job_queue_arn]},
            ),
        )
        self.failed_jobs_alarm = cloudwatch.Alarm(
            self,
            "FailedJobsAlarm",
            alarm_description=f"a job of {job_queue_name or construct_id} failed",
            metric=self.failed_jobs_metric(),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        if alarm_topic is not None:
            self.failed_jobs_alarm.add_alarm_action(actions.SnsAction(alarm_topic))
            self.failed_jobs_alarm.add_ok_action(actions.SnsAction(alarm_topic))

    def failed_jobs_metric(self, period: cdk.Duration | None = None) -> cloudwatch.Metric:
        """Jobs of this queue that failed per ``period`` (default 5 minutes)."""
        return failed_jobs_metric(self.failed_jobs_rule.rule_name, period)
