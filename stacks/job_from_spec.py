"""A job's parts in its service stack: its schedule, its event triggers and the security group
its tasks run in, with the outputs the deployer reads."""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from config import naming
from config.schema import AppSpec
from constructs_lib import EcsCluster, IRetainedTaskDefinition, Network, ScheduledJob
from constructs_lib.event_trigger import EventTrigger
from stacks.events_from_spec import trigger_job
from stacks.service_props import capacity_strategy, placement_strategies, task_subnets


@dataclass(frozen=True)
class JobParts:
    """What ``add_job`` made: each part is None when the spec asks for none."""

    schedule: ScheduledJob | None
    triggers: EventTrigger | None
    security_group: ec2.ISecurityGroup | None  # None for a bridge or host job: its instances' group


def add_job(
    scope: Construct,
    spec: AppSpec,
    name: str,
    *,
    network: Network,
    cluster: EcsCluster,
    task_definition: IRetainedTaskDefinition,
) -> JobParts:
    """The job's schedule and triggers, and the security group its tasks run in: the schedule's,
    else one of its own for awsvpc tasks (triggers and workflow steps run them)."""
    svc = spec.services[name]
    schedule: ScheduledJob | None = None
    group: ec2.ISecurityGroup | None = None
    if svc.schedule is not None:
        schedule = schedule_job(
            scope, spec, name, network=network, cluster=cluster, task_definition=task_definition
        )
        cdk.CfnOutput(scope, "ScheduleName", value=schedule.schedule.schedule_name)
        cdk.CfnOutput(scope, "DeadLetterQueueUrl", value=schedule.dead_letter_queue.queue_url)
        group = schedule.security_group
    elif spec.network_mode_of(name) == "awsvpc":
        group = ec2.SecurityGroup(scope, "JobSecurityGroup", vpc=network.vpc, description=f"job {name}")
    triggers: EventTrigger | None = None
    if svc.triggers:
        triggers = trigger_job(
            scope,
            spec,
            name,
            network=network,
            cluster=cluster,
            task_definition=task_definition,
            security_group=group,
        )
        for index, rule in enumerate(triggers.rules):
            cdk.CfnOutput(scope, naming.trigger_output("Rule", index), value=rule.rule_name)
        queue_url = triggers.dead_letter_queue.queue_url
        cdk.CfnOutput(scope, naming.trigger_output("DeadLetterQueueUrl"), value=queue_url)
    return JobParts(schedule, triggers, group)


def schedule_job(
    scope: Construct,
    spec: AppSpec,
    service: str,
    *,
    network: Network,
    cluster: EcsCluster,
    task_definition: IRetainedTaskDefinition,
) -> ScheduledJob:
    """The job's schedule ("Job"), placed like a service, its dead-letter queue encrypted with
    the environment's key."""
    schedule = spec.services[service].schedule
    if schedule is None:  # the spec check rejects a job without one
        raise ValueError(f"job {service} has no schedule")
    return ScheduledJob(
        scope,
        "Job",
        cluster=ecs.Cluster.from_cluster_attributes(
            scope, "ClusterByName", cluster_name=naming.cluster_name(spec), vpc=network.vpc
        ),
        task_definition=task_definition.task_definition,
        expression=schedule.expression,
        time_zone=schedule.timezone,
        retry_attempts=schedule.retries,
        max_event_age=cdk.Duration.seconds(schedule.max_event_age_seconds),
        capacity_provider_strategies=capacity_strategy(spec, service, cluster.capacity_provider_names),
        vpc_subnets=task_subnets(network, task_definition),
        placement_strategies=placement_strategies(spec, service),
        description=service,
        encryption_key=cluster.encryption_key,
    )
