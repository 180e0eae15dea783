"""``WorkflowStack``: the environment's Step Functions workflows and what starts them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from config import naming
from config.schema import AppSpec
from constructs_lib import EcsCluster, Network
from constructs_lib.workflow import Workflow
from constructs_lib.workflow_starts import ScheduledStart, WorkflowStarts
from stacks.events_from_spec import event_rules
from stacks.retention import retention
from stacks.workflows_from_spec import RunnableService, workflow_steps


class WorkflowStack(cdk.Stack):
    """Composes one ``Workflow`` per ``spec.workflows`` entry, with its ``WorkflowStarts``
    (schedule, triggers), after the service stacks whose task definitions the steps run
    (``services``: service name → its stack). A service rolled back (``pins``, as for its own
    stack) runs its pinned revision in the steps too.

    Failed steps and the failed-execution alarms notify the environment's alarm topic
    (``EcsCluster.alarm_topic``, encrypted with the environment key).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AppSpec,
        network: Network,
        cluster: EcsCluster,
        services: Mapping[str, RunnableService],
        pins: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        topic = cluster.alarm_topic
        ecs_cluster = ecs.Cluster.from_cluster_attributes(
            self, "ClusterByName", cluster_name=naming.cluster_name(spec), vpc=network.vpc
        )
        self.workflows: dict[str, Workflow] = {}
        for name, workflow_spec in spec.workflows.items():
            state_machine = naming.state_machine_name(spec, name)
            workflow = Workflow(
                self,
                f"Workflow-{name}",
                cluster=ecs_cluster,
                steps=workflow_steps(spec, workflow_spec.steps, services, cluster, pins),
                vpc_subnets=network.private_subnets,
                state_machine_name=state_machine,
                description=workflow_spec.description,
                failure_topic=topic,
                alarm_topic=topic,
                log_encryption_key=cluster.encryption_key,
                log_retention=retention(workflow_spec.log_retention_days),
                tracing=workflow_spec.tracing,
                timeout=cdk.Duration.minutes(workflow_spec.timeout_minutes),
            )
            self.workflows[name] = workflow
            schedule = workflow_spec.schedule
            if schedule is not None or workflow_spec.triggers:
                starts = WorkflowStarts(
                    self,
                    f"Starts-{name}",
                    state_machine=workflow.state_machine,
                    schedule=ScheduledStart(
                        expression=schedule.expression,
                        time_zone=schedule.timezone,
                        retry_attempts=schedule.retries,
                        max_event_age=cdk.Duration.seconds(schedule.max_event_age_seconds),
                    )
                    if schedule
                    else None,
                    rules=event_rules(self, workflow_spec.triggers),
                    encryption_key=cluster.encryption_key,
                    description=f"workflow {name}",
                )
                for index, rule in enumerate(starts.rules):
                    cdk.CfnOutput(self, naming.trigger_output("Rule", index, name), value=rule.rule_name)
                queue_url = starts.dead_letter_queue.queue_url
                cdk.CfnOutput(
                    self, naming.trigger_output("DeadLetterQueueUrl", workflow=name), value=queue_url
                )
            cdk.CfnOutput(
                self, naming.state_machine_output(name), value=workflow.state_machine.state_machine_arn
            )
