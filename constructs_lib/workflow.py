"""``Workflow``: a Step Functions state machine whose steps run ECS task definitions."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from constructs_lib.log_encryption import retained_log_group
from constructs_lib.nag import acknowledge
from constructs_lib.service_roles import service_role
from constructs_lib.workflow_policy import run_task_statements, service_statements
from constructs_lib.workflow_steps import StateBuilder, Step, task_steps

NOTIFY_STATE, FAILED_STATE = "NotifyFailure", "Failed"
# The states every workflow adds next to its steps: a step may not take their names.
STATE_NAMES = (NOTIFY_STATE, FAILED_STATE)
# The steps' states are built under this child, so that a step's name (its state's construct
# ID) never meets one of the construct's own children (Role, Executions, StateMachine, ...).
STEPS_SCOPE = "Steps"
ENCRYPT_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")  # what SQS and SNS need of a sender


class Workflow(Construct):
    """A standard state machine running ``steps`` in order on ``cluster`` (give it with a
    literal name, ``Cluster.from_cluster_attributes``), tasks in ``vpc_subnets``.

    Defaults: a failed step (after its retries) publishes the error and its cause to
    ``failure_topic`` (when given) and fails the execution; each step's output is discarded,
    so every step gets the execution's input (a map's steps: the item); executions time out
    after 24 hours; every event is logged, with its data, to ``log_group`` (encrypted with
    ``log_encryption_key``, kept one year, retained on deletion); X-Ray off. ``failed_alarm``
    fires when an execution fails (one in 5 minutes) and notifies ``alarm_topic`` when given.

    The role may run exactly the steps' task-definition families on this cluster, watch, stop
    and tag the tasks they start, pass exactly those families' task and execution roles, keep
    Step Functions' ``.sync`` rule for ECS, deliver logs and publish to ``failure_topic``.
    aws-cdk-lib would also grant RunTask on the task definitions' revision ARNs: from another
    stack those become exports that break the next deploy (a new revision changes the ARN),
    so the role takes this construct's statements only (``without_policy_updates``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: ecs.ICluster,
        steps: Sequence[Step],
        vpc_subnets: ec2.SubnetSelection | None = None,
        state_machine_name: str | None = None,
        description: str | None = None,
        failure_topic: sns.ITopic | None = None,
        alarm_topic: sns.ITopic | None = None,
        log_encryption_key: kms.IKey | None = None,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        tracing: bool = False,
        timeout: cdk.Duration | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not steps:
            raise ValueError("a workflow needs at least one step")
        runs = task_steps(steps)
        self.log_group = retained_log_group(
            self,
            "Executions",
            retention=log_retention,
            key=log_encryption_key,
            # Step Functions keeps the logs resource policy small for names under this prefix.
            name=f"/aws/vendedlogs/states/{state_machine_name}" if state_machine_name else None,
        )
        self.role = service_role(
            self,
            "Role",
            service="states.amazonaws.com",
            description=f"Step Functions runs workflow {description or construct_id}",
        )
        run_task_statements(self.role, cluster, [step.task_definition for step in runs])
        service_statements(self.role, tracing=tracing)
        builder = StateBuilder(Construct(self, STEPS_SCOPE), cluster, vpc_subnets)
        chain, top_level = builder.chain(steps)
        failed = sfn.Fail(self, FAILED_STATE, error_path="$.error.Error", cause_path="$.error.Cause")
        handler: sfn.IChainable = failed
        if failure_topic is not None:
            # Exact actions rather than grant_publish's kms:GenerateDataKey* (cdk-nag IAM5).
            self.role.add_to_principal_policy(
                iam.PolicyStatement(actions=["sns:Publish"], resources=[failure_topic.topic_arn])
            )
            if failure_topic.master_key is not None:
                failure_topic.master_key.grant(self.role, *ENCRYPT_ACTIONS)
            handler = tasks.SnsPublish(
                self,
                NOTIFY_STATE,
                topic=failure_topic,
                subject=f"Workflow {state_machine_name or construct_id} failed",
                message=sfn.TaskInput.from_object(
                    {
                        "workflow": state_machine_name or construct_id,
                        "execution": sfn.JsonPath.execution_id,
                        "error": sfn.JsonPath.string_at("$.error.Error"),
                        "cause": sfn.JsonPath.string_at("$.error.Cause"),
                    }
                ),
                result_path=sfn.JsonPath.DISCARD,
            ).next(failed)
        for state in top_level:
            state.add_catch(handler, errors=[sfn.Errors.ALL], result_path="$.error")
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            state_machine_name=state_machine_name,
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_chainable(chain),
            role=self.role.without_policy_updates(),
            logs=sfn.LogOptions(
                destination=self.log_group, level=sfn.LogLevel.ALL, include_execution_data=True
            ),
            tracing_enabled=tracing,
            timeout=timeout or cdk.Duration.hours(24),
            comment=description,
        )
        if not tracing:
            acknowledge(
                self.state_machine,
                "SF2",
                "X-Ray tracing is opt-in per workflow (tracing: true); every execution event is "
                "logged with its data to the workflow's encrypted log group.",
            )
        self.failed_alarm = cloudwatch.Alarm(
            self,
            "ExecutionsFailed",
            metric=self.state_machine.metric_failed(period=cdk.Duration.minutes(5), statistic="Sum"),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"an execution of workflow {state_machine_name or construct_id} failed",
        )
        if alarm_topic is not None:
            self.failed_alarm.add_alarm_action(cloudwatch_actions.SnsAction(alarm_topic))

    def grant_start_execution(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` start executions of this workflow."""
        return self.state_machine.grant_start_execution(grantee)
