"""Spec ``triggers`` → ``EventRule`` props, and a job's ``EventTrigger``."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from constructs import Construct

from config.naming import cluster_name
from config.schema import AppSpec
from config.trigger_schema import TriggerSpec
from constructs_lib import EcsCluster, IRetainedTaskDefinition, Network
from constructs_lib.event_trigger import EventRule, EventTrigger
from stacks.service_props import capacity_strategy

DEFAULT_BUS = "default"


def event_rules(scope: Construct, triggers: Sequence[TriggerSpec]) -> list[EventRule]:
    """One ``EventRule`` per trigger; a named bus is looked up by name (it must exist)."""
    buses: dict[str, events.IEventBus] = {}
    for trigger in triggers:
        if trigger.bus != DEFAULT_BUS and trigger.bus not in buses:
            buses[trigger.bus] = events.EventBus.from_event_bus_name(scope, f"Bus-{trigger.bus}", trigger.bus)
    return [
        EventRule(
            pattern=trigger.event_pattern,
            event_bus=buses.get(trigger.bus),
            environment=trigger.event_fields,
            retry_attempts=trigger.retries,
            max_event_age=cdk.Duration.seconds(trigger.max_event_age_seconds),
        )
        for trigger in triggers
    ]


def trigger_job(
    scope: Construct,
    spec: AppSpec,
    service: str,
    *,
    network: Network,
    cluster: EcsCluster,
    task_definition: IRetainedTaskDefinition,
    security_group: ec2.ISecurityGroup,
) -> EventTrigger:
    """The job's triggers ("Triggers"), placed like its schedule, in the job's security group."""
    return EventTrigger(
        scope,
        "Triggers",
        cluster=ecs.Cluster.from_cluster_attributes(
            scope, "TriggerCluster", cluster_name=cluster_name(spec), vpc=network.vpc
        ),
        task_definition=task_definition.task_definition,
        rules=event_rules(scope, spec.services[service].triggers),
        capacity_provider_strategies=capacity_strategy(spec, service, cluster.capacity_provider_names),
        security_groups=[security_group],
        vpc_subnets=network.private_subnets,
        encryption_key=cluster.encryption_key,
        description=service,
    )
