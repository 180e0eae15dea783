"""Spec → the props a service's constructs share: deployment, Service Connect, capacity
strategy, placement strategies, subnets and target tracking."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

from config.native.containers import service_connect_port
from config.placement_schema import PlacementStrategySpec
from config.schema import AppSpec
from config.service_kinds import AutoscalingSpec, DeploymentSpec
from constructs_lib import Deployment, EcsCluster, IRetainedTaskDefinition, Network, TargetTracking

_STRATEGIES = {
    "rolling": ecs.DeploymentStrategy.ROLLING,
    "blue_green": ecs.DeploymentStrategy.BLUE_GREEN,
    "canary": ecs.DeploymentStrategy.CANARY,
    "linear": ecs.DeploymentStrategy.LINEAR,
}
# ECS's own defaults for the traffic shift, written out so the template shows them.
_SHIFT_DEFAULTS = {"canary": (5.0, 10), "linear": (10.0, 6)}


def deployment(spec: DeploymentSpec) -> Deployment:
    """The construct's ``Deployment`` for a service's ``deployment`` section."""
    shift = None
    if spec.strategy in _SHIFT_DEFAULTS:
        percent, minutes = _SHIFT_DEFAULTS[spec.strategy]
        shift = ecs.TrafficShiftConfig(
            step_percent=spec.step_percent if spec.step_percent is not None else percent,
            step_bake_time=cdk.Duration.minutes(
                spec.step_bake_minutes if spec.step_bake_minutes is not None else minutes
            ),
        )
    return Deployment(
        strategy=_STRATEGIES[spec.strategy],
        bake_time=cdk.Duration.minutes(spec.bake_minutes) if spec.bake_minutes is not None else None,
        traffic_shift=shift,
    )


def service_connect(
    spec: AppSpec,
    service: str,
    cluster: EcsCluster,
    task_definition: IRetainedTaskDefinition,
) -> ecs.ServiceConnectProps | None:
    """Every service joins the namespace as a client; one with a port also serves on it as
    ``http://<service>:<port>`` (its proxy logs go to the service's own log group), over TLS
    when the cluster has Service Connect TLS (the task role may read its certificate). A
    host-mode service does not join: Service Connect runs in awsvpc and bridge tasks only."""
    if not cluster.namespace_name or task_definition.task_definition.network_mode is ecs.NetworkMode.HOST:
        return None
    served = []
    tls = cluster.service_connect_tls_config
    if tls is not None:
        tls.grant_certificate_read(task_definition.task_definition.task_role)
    mapping = service_connect_port(spec, service)
    if mapping is not None:
        served = [
            ecs.ServiceConnectService(
                port_mapping_name=mapping[0],
                discovery_name=service,
                dns_name=service,
                port=mapping[1],
                tls=tls.tls_configuration() if tls else None,
            )
        ]
    log_group = task_definition.log_group
    return ecs.ServiceConnectProps(
        namespace=cluster.namespace_name,
        services=served,
        log_driver=(
            ecs.LogDrivers.aws_logs(stream_prefix="service-connect", log_group=log_group)
            if log_group
            else None
        ),
    )


def target_tracking(spec: AutoscalingSpec) -> TargetTracking:
    """The construct's ``TargetTracking`` for a service's ``autoscaling`` section (same fields)."""
    return TargetTracking(**spec.model_dump())


def capacity_strategy(
    spec: AppSpec, service: str, provider_names: Mapping[str, str]
) -> list[ecs.CapacityProviderStrategy]:
    """The service's capacity provider strategy, with the cluster's names for its providers."""
    return [
        ecs.CapacityProviderStrategy(
            capacity_provider=provider_names[item.provider], weight=item.weight, base=item.base
        )
        for item in spec.strategy_for(service)
    ]


def placement_strategies(spec: AppSpec, service: str) -> list[ecs.PlacementStrategy]:
    """The service's ``placement`` as ECS placement strategies, in the spec's order."""
    return [_placement(item) for item in spec.services[service].placement]


def _placement(item: PlacementStrategySpec) -> ecs.PlacementStrategy:
    if item.binpack == "cpu":
        return ecs.PlacementStrategy.packed_by_cpu()
    if item.binpack == "memory":
        return ecs.PlacementStrategy.packed_by_memory()
    if item.spread is not None:
        return ecs.PlacementStrategy.spread_across(item.spread)
    return ecs.PlacementStrategy.randomly()


def task_subnets(network: Network, task_definition: IRetainedTaskDefinition) -> ec2.SubnetSelection | None:
    """The private subnets for awsvpc tasks (a network interface each); None for bridge and
    host tasks, which use their instance's network."""
    if task_definition.task_definition.network_mode is ecs.NetworkMode.AWS_VPC:
        return network.private_subnets
    return None
