"""The least-privilege statements of a workflow's state machine role (AWS's documented policy
for the ECS ``.sync`` integration, narrowed to one cluster and the steps' families)."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam

from constructs_lib.nag import acknowledge

# The rule Step Functions manages to learn that a .sync task stopped (AWS's documented name).
SYNC_RULE = "StepFunctionsGetEventsForECSTaskRule"
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)
XRAY_ACTIONS = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
)


def run_task_statements(
    role: iam.Role, cluster: ecs.ICluster, task_definitions: Sequence[ecs.TaskDefinition]
) -> None:
    """Run exactly these families on ``cluster``, watch and stop (and tag) its tasks, pass
    exactly the families' task and execution roles, and keep the .sync rule."""
    stack = cdk.Stack.of(role)
    on_cluster = {"ArnEquals": {"ecs:cluster": cluster.cluster_arn}}
    families = sorted({t.family for t in task_definitions})
    definitions = [
        stack.format_arn(service="ecs", resource="task-definition", resource_name=f"{family}:*")
        for family in families
    ]
    cluster_tasks = stack.format_arn(
        service="ecs", resource="task", resource_name=f"{cluster.cluster_name}/*"
    )
    roles: list[str] = []
    for definition in task_definitions:
        for task_role in (definition.task_role, definition.execution_role):
            if task_role is not None and task_role.role_arn not in roles:
                roles.append(task_role.role_arn)
    sync_rule = stack.format_arn(service="events", resource="rule", resource_name=SYNC_RULE)
    statements = [
        iam.PolicyStatement(actions=["ecs:RunTask"], resources=definitions, conditions=on_cluster),
        iam.PolicyStatement(
            actions=["ecs:DescribeTasks", "ecs:StopTask"], resources=[cluster_tasks], conditions=on_cluster
        ),
        iam.PolicyStatement(
            actions=["ecs:TagResource"],
            resources=[cluster_tasks],
            conditions={"StringEquals": {"ecs:CreateAction": "RunTask"}},
        ),
        iam.PolicyStatement(
            actions=["iam:PassRole"],
            resources=roles,
            conditions={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
        ),
        iam.PolicyStatement(
            actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"], resources=[sync_rule]
        ),
    ]
    for statement in statements:
        role.add_to_principal_policy(statement)
    policy = role.node.find_child("DefaultPolicy")
    for arn in [*definitions, cluster_tasks]:
        acknowledge(
            policy,
            f"IAM5[Resource::{arn}]",
            "Revisions of a step's task-definition family and the tasks a step starts are not "
            "known in advance: 'family:*' and 'task/<this cluster>/*' are as narrow as RunTask, "
            "DescribeTasks and StopTask allow, and RunTask is limited to this cluster.",
        )


def service_statements(role: iam.Role, *, tracing: bool) -> None:
    """Log delivery (and X-Ray with ``tracing``): actions that take no narrower resource than '*'."""
    role.add_to_principal_policy(iam.PolicyStatement(actions=list(LOG_DELIVERY_ACTIONS), resources=["*"]))
    if tracing:
        role.add_to_principal_policy(iam.PolicyStatement(actions=list(XRAY_ACTIONS), resources=["*"]))
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        "IAM5[Resource::*]",
        "CloudWatch Logs' log-delivery actions and X-Ray's trace actions accept no resource "
        "narrower than '*' (AWS's documented Step Functions logging and tracing policies).",
    )
