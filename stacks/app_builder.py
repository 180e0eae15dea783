"""Build every stack of one environment into a CDK ``App`` (or any construct scope)."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from config import naming
from config.cdk_context import Release
from config.kind_checks import call_order
from config.schema import AppSpec
from stacks.cluster_stack import ClusterStack
from stacks.ingress_stack import IngressStack
from stacks.network_stack import NetworkStack
from stacks.service_stack import ServiceStack


def build_environment(
    scope: Construct,
    spec: AppSpec,
    *,
    images: Mapping[str, str] | None = None,
    release: Release | None = None,
    pins: Mapping[str, str] | None = None,
) -> list[cdk.Stack]:
    """Add the network, cluster, load balancer (with web services) and one stack per service;
    return them in deploy order.

    ``images`` maps service name to an image reference overriding the spec (release input);
    ``release`` labels every task-definition revision; ``pins`` maps service name to a
    retained revision ARN the service must run (rollback).
    """
    images = images or {}
    unknown = sorted((set(images) | set(pins or {})) - set(spec.services))
    if unknown:
        raise ValueError(f"image or pin for unknown service(s) {unknown}; services: {sorted(spec.services)}")
    env = cdk.Environment(account=spec.environment.account, region=spec.environment.region)
    tags = {"app": spec.app, "environment": spec.environment.name}
    network = NetworkStack(
        scope,
        naming.network_stack_name(spec),
        stack_name=naming.network_stack_name(spec),  # the same name inside a pipeline Stage
        spec=spec,
        env=env,
        tags=tags,
        synthesizer=_synthesizer(spec),
    )
    cluster = ClusterStack(
        scope,
        naming.cluster_stack_name(spec),
        stack_name=naming.cluster_stack_name(spec),
        spec=spec,
        network=network.network,
        encryption_key=network.environment_key.key,
        env=env,
        tags=tags,
        synthesizer=_synthesizer(spec),
    )
    stacks: list[cdk.Stack] = [network, cluster]
    ingress = None
    if spec.services_of_kind("web"):
        ingress = IngressStack(
            scope,
            naming.ingress_stack_name(spec),
            stack_name=naming.ingress_stack_name(spec),
            spec=spec,
            network=network.network,
            env=env,
            tags=tags,
            synthesizer=_synthesizer(spec),
        )
        stacks.append(ingress)
    reachable: dict[str, tuple[ec2.ISecurityGroup, int]] = {}
    for name in call_order(spec):  # callees first: a caller's stack holds its rules into them
        stack = ServiceStack(
            scope,
            naming.service_stack_name(spec, name),
            stack_name=naming.service_stack_name(spec, name),
            spec=spec,
            service=name,
            network=network.network,
            cluster=cluster.ecs_cluster,
            image=images.get(name),
            release=release,
            pinned_task_definition=(pins or {}).get(name),
            log_encryption_key=cluster.ecs_cluster.encryption_key,
            ingress=ingress.balancer_of(name) if ingress else None,
            callees={
                callee: reachable[callee]
                for callee in spec.services
                if name in spec.services[callee].allow_from
            },
            env=env,
            tags={**tags, "service": name},
            synthesizer=_synthesizer(spec),
        )
        port = spec.services[name].port
        if port is not None:
            reachable[name] = (stack.security_group, port)
        stacks.append(stack)
    if spec.environment.permissions_boundary:
        for each in stacks:
            boundary = iam.ManagedPolicy.from_managed_policy_arn(
                each, "PermissionsBoundary", spec.environment.permissions_boundary
            )
            iam.PermissionsBoundary.of(each).apply(boundary)
    return stacks


def _synthesizer(spec: AppSpec) -> cdk.DefaultStackSynthesizer:
    # moto cannot update a stack that has an SSM-typed parameter (the bootstrap version
    # check is one), so the local target synthesises without that check.
    return cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=spec.environment.target == "aws")
