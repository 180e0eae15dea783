"""``ServiceStack``: one service, its task definition, volumes and security group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from constructs import Construct

from config import naming
from config.cdk_context import Release
from config.schema import AppSpec
from constructs_lib import (
    CallerIngress,
    EcsCluster,
    EcsService,
    IRetainedTaskDefinition,
    Network,
    ScheduledJob,
)
from constructs_lib.load_balancer import PublicLoadBalancer
from stacks.containers_from_spec import ebs_volumes
from stacks.events_from_spec import trigger_job
from stacks.permissions_from_spec import grant_permissions
from stacks.service_kinds import attach_queue, attach_web, schedule_job
from stacks.service_props import (
    capacity_strategy,
    deployment,
    placement_strategies,
    service_connect,
    target_tracking,
)
from stacks.task_definition_from_spec import task_definition_for


class ServiceStack(cdk.Stack):
    """Composes the task definition and ``EcsService`` (or ``ScheduledJob``) of ``spec.services[name]``.

    ``images`` override containers' images (release input from ``-c image.<service>=<ref>``
    and ``-c image.<service>/<container>=<ref>``, by container name); ``release`` labels every revision;
    ``pinned_task_definition`` (``-c pin.<service>=<ARN>``, set by ``deployer rollback``)
    runs the service on that retained revision instead of the synthesised one.

    The kind decides the rest: ``web`` attaches to ``ingress`` (the load balancer serving it),
    ``worker`` gets its queue, ``job`` becomes a ``ScheduledJob`` (with a schedule) and an
    ``EventTrigger`` (with triggers) instead of a service.
    ``callees`` maps each service this one may call (their ``allow_from`` names it) to its
    security group and port; the rules into them live here, in the caller's stack.
    ``security_group`` is None for a bridge or host service: its tasks use their instances'
    group, whose load balancer rules ``IngressStack`` holds.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AppSpec,
        service: str,
        network: Network,
        cluster: EcsCluster,
        images: Mapping[str, str] | None = None,
        release: Release | None = None,
        log_encryption_key: kms.IKey | None = None,
        pinned_task_definition: str | None = None,
        ingress: PublicLoadBalancer | None = None,
        callees: Mapping[str, tuple[ec2.ISecurityGroup, int]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        svc = spec.services[service]
        self.task_definition: IRetainedTaskDefinition = task_definition_for(
            self,
            spec,
            service,
            images=images or {},
            labels=(release or Release()).labels(),
            environment_key=log_encryption_key,
        )
        grant_permissions(self, service, self.task_definition.task_definition.task_role, svc.permissions)
        self.security_group: ec2.ISecurityGroup | None
        if svc.kind == "job":
            if pinned_task_definition:
                raise ValueError(f"{service} is a job: a pin applies to services only")
            self.security_group = self._job(spec, service, network, cluster)
            running = self.task_definition.task_definition.task_definition_arn
        else:
            pin = (
                ecs.TaskDefinition.from_task_definition_arn(self, "PinnedRevision", pinned_task_definition)
                if pinned_task_definition
                else None
            )
            self.service = self._service(
                spec, service, network=network, cluster=cluster, ingress=ingress, pin=pin
            )
            self.security_group = self.service.security_group
            running = self.service.task_definition_arn
            if pinned_task_definition:
                cdk.CfnOutput(self, "PinnedTaskDefinition", value=pinned_task_definition)
        for callee, (group, port) in (callees or {}).items():
            if self.security_group is None:  # the spec check refuses allow_from naming such a caller
                raise ValueError(f"{service} uses its instances' network: no rule can admit it to {callee}")
            CallerIngress(
                self,
                f"To-{callee}",
                caller=self.security_group,
                callee=group,
                port=ec2.Port.tcp(port),
                description=f"from {service} (allow_from)",
            )
        cdk.CfnOutput(self, "TaskDefinitionArn", value=running)

    def _job(self, spec: AppSpec, name: str, network: Network, cluster: EcsCluster) -> ec2.ISecurityGroup:
        """The job's schedule and triggers; the security group its tasks run in (the schedule's,
        else one of its own)."""
        svc = spec.services[name]
        self.job: ScheduledJob | None = None
        group: ec2.ISecurityGroup
        if svc.schedule is not None:
            self.job = schedule_job(
                self, spec, name, network=network, cluster=cluster, task_definition=self.task_definition
            )
            cdk.CfnOutput(self, "ScheduleName", value=self.job.schedule.schedule_name)
            cdk.CfnOutput(self, "DeadLetterQueueUrl", value=self.job.dead_letter_queue.queue_url)
        if self.job is not None and self.job.security_group is not None:
            group = self.job.security_group
        else:  # triggers and workflow steps run awsvpc tasks: they need a group of their own
            group = ec2.SecurityGroup(self, "JobSecurityGroup", vpc=network.vpc, description=f"job {name}")
        if svc.triggers:
            self.triggers = trigger_job(
                self,
                spec,
                name,
                network=network,
                cluster=cluster,
                task_definition=self.task_definition,
                security_group=group,
            )
            for index, rule in enumerate(self.triggers.rules):
                cdk.CfnOutput(self, naming.trigger_output("Rule", index), value=rule.rule_name)
            queue_url = self.triggers.dead_letter_queue.queue_url
            cdk.CfnOutput(self, naming.trigger_output("DeadLetterQueueUrl"), value=queue_url)
        return group

    def _service(
        self,
        spec: AppSpec,
        name: str,
        *,
        network: Network,
        cluster: EcsCluster,
        ingress: PublicLoadBalancer | None,
        pin: ecs.ITaskDefinition | None,
    ) -> EcsService:
        svc = spec.services[name]
        ecs_service = EcsService(
            self,
            "Service",
            cluster=cluster.cluster,
            task_definition=self.task_definition.task_definition,
            service_name=name,
            desired_count=None if svc.scaled else svc.desired_count,
            vpc_subnets=network.private_subnets if _own_network(self.task_definition) else None,
            capacity_provider_strategies=capacity_strategy(spec, name, cluster.capacity_provider_names),
            placement_strategies=placement_strategies(spec, name),
            volume_configurations=ebs_volumes(self, svc.volumes),
            deployment=deployment(svc.deployment),
            health_check_grace_period=(
                cdk.Duration.seconds(svc.http_settings.health_check_grace_seconds)
                if svc.kind == "web"
                else None
            ),
            service_connect=service_connect(spec, name, cluster, self.task_definition),
            pinned_task_definition=pin,
        )
        alarms = list(svc.deployment.rollback_alarms)
        routing = None
        if svc.kind == "web":
            if ingress is None:
                raise ValueError(f"web service {name} needs the environment's load balancer")
            routing = attach_web(self, spec, name, ecs_service, ingress, alarm_topic=cluster.alarm_topic)
            alarms += routing.alarm_names
        if svc.kind == "worker":
            queue = attach_queue(self, spec, name, ecs_service, cluster)
            cdk.CfnOutput(self, "QueueUrl", value=queue.queue.queue_url)
        if svc.autoscaling is not None:
            ecs_service.auto_scale(
                target_tracking(svc.autoscaling), target_group=routing.target_group if routing else None
            )
        ecs_service.roll_back_on_alarms(alarms)
        cdk.CfnOutput(self, "ServiceName", value=ecs_service.service.service_name)
        return ecs_service


def _own_network(task_definition: IRetainedTaskDefinition) -> bool:
    """True for awsvpc tasks (a network interface in the VPC's subnets each)."""
    return task_definition.task_definition.network_mode is ecs.NetworkMode.AWS_VPC
