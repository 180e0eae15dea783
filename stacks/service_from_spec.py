"""A long-running service in its service stack: the ``EcsService`` of the spec, what its kind
attaches (load balancer routing, work queue), its scaling and rollback alarms, and the outputs
the deployer reads."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from config.schema import AppSpec
from constructs_lib import EcsCluster, EcsService, IRetainedTaskDefinition, Network
from constructs_lib.load_balancer import PublicLoadBalancer
from stacks.containers_from_spec import ebs_volumes
from stacks.service_kinds import attach_queue, attach_web
from stacks.service_props import (
    capacity_strategy,
    deployment,
    placement_strategies,
    service_connect,
    target_tracking,
    task_subnets,
)


def add_service(
    scope: Construct,
    spec: AppSpec,
    name: str,
    *,
    network: Network,
    cluster: EcsCluster,
    task_definition: IRetainedTaskDefinition,
    ingress: PublicLoadBalancer | None,
    pinned_task_definition: str | None = None,
) -> EcsService:
    """The service ("Service") running ``task_definition``, or the retained revision
    ``pinned_task_definition`` names (a rollback; default: none). A web service needs
    ``ingress``, the load balancer serving it."""
    svc = spec.services[name]
    pin = None
    if pinned_task_definition:
        pin = ecs.TaskDefinition.from_task_definition_arn(scope, "PinnedRevision", pinned_task_definition)
    service = EcsService(
        scope,
        "Service",
        cluster=cluster.cluster,
        task_definition=task_definition.task_definition,
        service_name=name,
        desired_count=None if svc.scaled else svc.desired_count,
        vpc_subnets=task_subnets(network, task_definition),
        capacity_provider_strategies=capacity_strategy(spec, name, cluster.capacity_provider_names),
        placement_strategies=placement_strategies(spec, name),
        volume_configurations=ebs_volumes(scope, svc.volumes),
        deployment=deployment(svc.deployment),
        health_check_grace_period=(
            cdk.Duration.seconds(svc.http_settings.health_check_grace_seconds) if svc.kind == "web" else None
        ),
        service_connect=service_connect(spec, name, cluster, task_definition),
        pinned_task_definition=pin,
    )
    alarms = list(svc.deployment.rollback_alarms)
    routing = None
    if svc.kind == "web":
        if ingress is None:
            raise ValueError(f"web service {name} needs the environment's load balancer")
        routing = attach_web(scope, spec, name, service, ingress, alarm_topic=cluster.alarm_topic)
        alarms += routing.alarm_names
    if svc.kind == "worker":
        queue = attach_queue(scope, spec, name, service, cluster)
        cdk.CfnOutput(scope, "QueueUrl", value=queue.queue.queue_url)
    if svc.autoscaling is not None:
        service.auto_scale(
            target_tracking(svc.autoscaling), target_group=routing.target_group if routing else None
        )
    service.roll_back_on_alarms(alarms)
    cdk.CfnOutput(scope, "ServiceName", value=service.service.service_name)
    if pinned_task_definition:
        cdk.CfnOutput(scope, "PinnedTaskDefinition", value=pinned_task_definition)
    return service
