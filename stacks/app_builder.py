"""Build every stack of one environment into a CDK ``App`` (or any construct scope)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from config import naming
from config.call_graph import callees
from config.cdk_context import Release
from config.image_targets import container_images, image_target
from config.native.containers import served_port
from config.schema import AppSpec
from constructs_lib import EcsCluster, Network
from stacks.batch_stack import BatchStack
from stacks.cluster_stack import ClusterStack
from stacks.ingress_stack import IngressStack
from stacks.network_stack import NetworkStack
from stacks.proactive_controls import enforce
from stacks.service_stack import ServiceStack
from stacks.workflow_stack import WorkflowStack


def build_environment(
    scope: Construct,
    spec: AppSpec,
    *,
    images: Mapping[str, str] | None = None,
    release: Release | None = None,
    pins: Mapping[str, str] | None = None,
) -> list[cdk.Stack]:
    """Add every stack of ``naming.stack_plan(spec)`` (network, cluster, load balancers with web
    services, Batch with a ``batch:`` section, one stack per service, workflows); return them in
    that deploy order.

    ``images`` maps ``<service>`` (its main container) or ``<service>/<container>`` to an image
    reference overriding the spec or the task definition file (release input);
    ``release`` labels every task-definition revision; ``pins`` maps service name to a
    retained revision ARN the service must run (rollback).

    With ``environment.proactive_controls`` the synthesis runs their Control Tower rules
    (``stacks.proactive_controls``): synthesise with its ``synthesise`` to read their report.
    """
    unknown = sorted(set(pins or {}) - set(spec.services))
    if unknown:
        raise ValueError(f"pin for unknown service(s) {unknown}; services: {sorted(spec.services)}")
    for key in images or {}:
        image_target(spec, key)  # ImageTargetError (a ValueError) names a key that targets nothing
    builder = _EnvironmentBuilder(scope, spec, images or {}, release, pins or {})
    stacks = [builder.add(planned) for planned in naming.stack_plan(spec)]
    if spec.environment.permissions_boundary:
        for each in stacks:
            boundary = iam.ManagedPolicy.from_managed_policy_arn(
                each, "PermissionsBoundary", spec.environment.permissions_boundary
            )
            iam.PermissionsBoundary.of(each).apply(boundary)
    # environment.proactive_controls: their cfn-guard rules run in the synth
    enforce(scope, spec.environment.proactive_controls)
    return stacks


class _EnvironmentBuilder:
    """Adds the planned stacks one by one; each later stack is wired to the earlier ones."""

    def __init__(
        self,
        scope: Construct,
        spec: AppSpec,
        images: Mapping[str, str],
        release: Release | None,
        pins: Mapping[str, str],
    ) -> None:
        self.scope, self.spec, self.images, self.release, self.pins = scope, spec, images, release, pins
        self.env = cdk.Environment(account=spec.environment.account, region=spec.environment.region)
        self.tags = {"app": spec.app, "environment": spec.environment.name}
        self.network: NetworkStack | None = None
        self.cluster: ClusterStack | None = None
        self.ingress: IngressStack | None = None
        # security group and port of each service that takes calls, once its stack exists
        self.reachable: dict[str, tuple[ec2.ISecurityGroup, int]] = {}
        self.services: dict[str, ServiceStack] = {}  # the stacks built so far, for the workflows

    def add(self, planned: naming.PlannedStack) -> cdk.Stack:
        common: dict[str, Any] = {
            "stack_name": planned.name,  # the same name inside a pipeline Stage
            "spec": self.spec,
            "env": self.env,
            "tags": self.tags,
            "synthesizer": _synthesizer(self.spec),
        }
        if planned.kind == "network":
            self.network = NetworkStack(self.scope, planned.name, **common)
            return self.network
        assert self.network is not None  # the plan puts the network first
        network = self.network.network
        if planned.kind == "cluster":
            key = self.network.environment_key.key
            self.cluster = ClusterStack(
                self.scope, planned.name, network=network, encryption_key=key, **common
            )
            return self.cluster
        if planned.kind == "ingress":
            assert self.cluster is not None  # the plan puts the cluster before the load balancers
            self.ingress = IngressStack(
                self.scope, planned.name, network=network, cluster=self.cluster.ecs_cluster, **common
            )
            return self.ingress
        assert self.cluster is not None
        if planned.kind == "batch":
            return BatchStack(
                self.scope,
                planned.name,
                network=network,
                encryption_key=self.network.environment_key.key,
                alarm_topic=self.cluster.ecs_cluster.alarm_topic,
                release=self.release,
                **common,
            )
        if planned.kind == "workflows":  # the plan puts it after every service
            return WorkflowStack(
                self.scope,
                planned.name,
                network=network,
                cluster=self.cluster.ecs_cluster,
                services=self.services,
                pins=self.pins,
                **common,
            )
        assert planned.service is not None
        return self._service(planned.service, network, self.cluster.ecs_cluster, common)

    def _service(
        self, name: str, network: Network, cluster: EcsCluster, common: dict[str, Any]
    ) -> ServiceStack:
        stack = ServiceStack(
            self.scope,
            common["stack_name"],
            **{**common, "tags": {**self.tags, "service": name}},
            service=name,
            network=network,
            cluster=cluster,
            images=container_images(self.spec, name, self.images),
            release=self.release,
            pinned_task_definition=self.pins.get(name),
            log_encryption_key=cluster.encryption_key,
            ingress=self.ingress.balancer_of(name) if self.ingress else None,
            # the plan puts callees first: a caller's stack holds its rules into them
            callees={callee: self.reachable[callee] for callee in callees(self.spec)[name]},
        )
        self.services[name] = stack
        port = served_port(self.spec, name)
        if port is not None and stack.security_group is not None:
            self.reachable[name] = (stack.security_group, port)
        return stack


def _synthesizer(spec: AppSpec) -> cdk.DefaultStackSynthesizer:
    # moto cannot update a stack that has an SSM-typed parameter (the bootstrap version
    # check is one), so the local target synthesises without that check.
    return cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=spec.environment.target == "aws")
