"""``ScheduledJob``: run a task definition to completion on a schedule (EventBridge Scheduler)."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from constructs import Construct

from constructs_lib.dead_letters import dead_letter_queue
from constructs_lib.nag import acknowledge
from constructs_lib.service_roles import schedule_role


class ScheduledJob(Construct):
    """A schedule that starts one task of ``task_definition`` per run; the task ends itself.

    Placement is the capacity provider strategy, like a service's, and on EC2 capacity
    ``placement_strategies`` (default none). Defaults: time zone UTC; 2
    retries when RunTask fails to start the task; a request older than one hour is given up;
    undeliverable runs go to a dead-letter queue (encrypted with ``encryption_key``, default
    SQS-managed encryption; TLS-only; kept 14 days); private subnets, no public IP, a security
    group of its own with no ingress (an ``awsvpc`` task definition; a ``bridge`` or ``host``
    one uses its instance's network and gets neither: ``security_group`` is None); tags
    propagated from the task definition; ECS managed tags
    on. The schedule's role may run this task definition family, tag the tasks it starts and pass
    the task's two roles, nothing else. Give ``cluster`` with a literal name
    (``Cluster.from_cluster_attributes``) so the tagging wildcard can be acknowledged for cdk-nag
    exactly.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: ecs.ICluster,
        task_definition: ecs.TaskDefinition,
        expression: str,
        capacity_provider_strategies: Sequence[ecs.CapacityProviderStrategy],
        vpc_subnets: ec2.SubnetSelection | None = None,
        time_zone: str = "UTC",
        retry_attempts: int = 2,
        max_event_age: cdk.Duration | None = None,
        description: str | None = None,
        encryption_key: kms.IKey | None = None,
        placement_strategies: Sequence[ecs.PlacementStrategy] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        if not capacity_provider_strategies:
            raise ValueError("capacity_provider_strategies must name at least one provider")
        if not (expression.startswith("cron(") or expression.startswith("rate(")):
            raise ValueError(f"expression={expression!r}: use cron(...) or rate(...)")
        own_network = task_definition.network_mode is ecs.NetworkMode.AWS_VPC
        if placement_strategies and task_definition.is_fargate_compatible:
            raise ValueError("placement_strategies choose among EC2 instances: give an EC2 task definition")
        self.security_group: ec2.SecurityGroup | None = None
        if own_network:
            self.security_group = ec2.SecurityGroup(
                self, "SecurityGroup", vpc=cluster.vpc, description=f"job {description or construct_id}"
            )
        self.dead_letter_queue = dead_letter_queue(
            self, "DeadLetterQueue", encryption_key=encryption_key, what="the job's schedule", scheduler=True
        )
        self.role = schedule_role(
            self,
            "ScheduleRole",
            dead_letter_key=encryption_key,
            description=f"EventBridge Scheduler runs job {description or construct_id}",
        )
        common = {
            "role": self.role,
            "task_definition": task_definition,
            "capacity_provider_strategies": list(capacity_provider_strategies),
            **({"security_groups": [self.security_group], "vpc_subnets": vpc_subnets} if own_network else {}),
            "propagate_tags": True,
            "enable_ecs_managed_tags": True,
            "retry_attempts": retry_attempts,
            "max_event_age": max_event_age or cdk.Duration.hours(1),
            "dead_letter_queue": self.dead_letter_queue,
        }
        target: scheduler.IScheduleTarget
        if task_definition.is_fargate_compatible:
            target = targets.EcsRunFargateTask(cluster, assign_public_ip=False, **common)  # type: ignore[arg-type]
        else:
            target = targets.EcsRunEc2Task(
                cluster,
                placement_strategies=list(placement_strategies) or None,
                **common,  # type: ignore[arg-type]
            )
        self.schedule = scheduler.Schedule(
            self,
            "Schedule",
            schedule=scheduler.ScheduleExpression.expression(expression, cdk.TimeZone.of(time_zone)),
            target=target,
            description=description,
        )
        stack = cdk.Stack.of(self)
        if not cdk.Token.is_unresolved(cluster.cluster_name):
            tasks = f"arn:{stack.partition}:ecs:{stack.region}:{stack.account}:task/{cluster.cluster_name}/*"
            acknowledge(
                self.role.node.find_child("DefaultPolicy"),
                f"IAM5[Resource::{tasks}]",
                "Propagating the task definition's tags needs ecs:TagResource on the tasks the "
                "schedule starts, whose ids are unknown in advance: 'task/<this cluster>/*'. "
                "RunTask itself is limited to this task definition family.",
            )
