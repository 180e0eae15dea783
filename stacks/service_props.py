"""Spec → the props a service's constructs share: deployment, Service Connect, capacity
strategy and target tracking."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs

from config.native.containers import service_connect_port
from config.schema import AppSpec
from config.service_kinds import AutoscalingSpec, DeploymentSpec
from constructs_lib import Deployment, EcsCluster, IRetainedTaskDefinition, TargetTracking

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
    ``http://<service>:<port>`` (its proxy logs go to the service's own log group)."""
    if not cluster.namespace_name:
        return None
    served = []
    mapping = service_connect_port(spec, service)
    if mapping is not None:
        served = [
            ecs.ServiceConnectService(
                port_mapping_name=mapping[0], discovery_name=service, dns_name=service, port=mapping[1]
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
