"""``ServiceStack``: one service, its task definition, volumes and security group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from constructs import Construct

from config.cdk_context import Release
from config.schema import AppSpec
from constructs_lib import CallerIngress, EcsCluster, IRetainedTaskDefinition, Network
from constructs_lib.load_balancer import PublicLoadBalancer
from stacks.job_from_spec import add_job
from stacks.permissions_from_spec import grant_permissions
from stacks.service_from_spec import add_service
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
            self.job = add_job(
                self, spec, service, network=network, cluster=cluster, task_definition=self.task_definition
            )
            self.security_group = self.job.security_group
            running = self.task_definition.task_definition.task_definition_arn
        else:
            self.service = add_service(
                self,
                spec,
                service,
                network=network,
                cluster=cluster,
                task_definition=self.task_definition,
                ingress=ingress,
                pinned_task_definition=pinned_task_definition,
            )
            self.security_group = self.service.security_group
            running = self.service.task_definition_arn
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
