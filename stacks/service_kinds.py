"""What each service kind adds to a service stack, mapped from the spec to constructs_lib."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from constructs import Construct

from config.load_balancers import shifts_traffic
from config.naming import cluster_name, task_family
from config.routing import route_of
from config.schema import AppSpec
from config.service_kinds import AutoscalingSpec, DeploymentSpec
from constructs_lib import EcsCluster, EcsService, NativeTaskDefinition, VersionedTaskDefinition
from constructs_lib.load_balancer import PublicLoadBalancer
from constructs_lib.service import Deployment
from constructs_lib.web_routing import Route, TargetHealthCheck, WebRouting
from constructs_lib.work_queue import BacklogScaling, WorkQueue

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
    task_definition: VersionedTaskDefinition | NativeTaskDefinition,
) -> ecs.ServiceConnectProps | None:
    """Every service joins the namespace as a client; one with a port also serves on it as
    ``http://<service>:<port>`` (its proxy logs go to the service's own log group)."""
    if not cluster.namespace_name:
        return None
    svc = spec.services[service]
    served = []
    if svc.port is not None and svc.task_definition_file is None:
        served = [
            ecs.ServiceConnectService(
                port_mapping_name=f"{service}-{svc.port}",
                discovery_name=service,
                dns_name=service,
                port=svc.port,
            )
        ]
    log_group = getattr(task_definition, "log_group", None)
    return ecs.ServiceConnectProps(
        namespace=cluster.namespace_name,
        services=served,
        log_driver=(
            ecs.LogDrivers.aws_logs(stream_prefix="service-connect", log_group=log_group)
            if log_group
            else None
        ),
    )


def attach_web(
    scope: Construct,
    spec: AppSpec,
    service: str,
    ecs_service: EcsService,
    ingress: PublicLoadBalancer,
    *,
    alarm_topic: sns.ITopic,
) -> WebRouting:
    """The service's rule on its load balancer's listener (``ingress``), its target group(s)
    and rollback alarms, which notify ``alarm_topic``."""
    svc = spec.services[service]
    http = svc.http_settings
    route = route_of(spec, service)
    check = http.health_check
    alternate = shifts_traffic(spec, service)  # the same rule as the load balancer's quotas
    return WebRouting(
        scope,
        "Web",
        service=ecs_service,
        listener=ingress.listener,
        container_name=service,
        container_port=svc.port or 80,
        route=Route(paths=route.paths, hosts=route.hosts, priority=route.priority),
        health_check=TargetHealthCheck(
            path=check.path,
            interval_seconds=check.interval_seconds,
            timeout_seconds=check.timeout_seconds,
            healthy_threshold=check.healthy_threshold,
            unhealthy_threshold=check.unhealthy_threshold,
            success_codes=check.success_codes,
        ),
        deregistration_delay=cdk.Duration.seconds(http.deregistration_delay_seconds),
        alternate=alternate,
        test_listener=ingress.test_listener if alternate else None,
        alarm_name_prefix=task_family(spec, service),
        alarm_topic=alarm_topic,
    )


def attach_queue(
    scope: Construct, spec: AppSpec, service: str, ecs_service: EcsService, cluster: EcsCluster
) -> WorkQueue:
    """The worker's queue and dead-letter queue (encrypted with the environment's key)."""
    queue = spec.services[service].queue_settings
    return WorkQueue(
        scope,
        "Queue",
        service=ecs_service,
        cluster_name=cluster_name(spec),
        encryption_key=cluster.encryption_key,
        visibility_timeout=cdk.Duration.seconds(queue.visibility_timeout_seconds),
        retention_period=cdk.Duration.days(queue.retention_days),
        max_receive_count=queue.max_receive_count,
        scaling=BacklogScaling(
            messages_per_task=queue.messages_per_task, min_count=queue.min_count, max_count=queue.max_count
        ),
    )


def track_targets(
    ecs_service: EcsService, spec: AutoscalingSpec, target_group: elbv2.ApplicationTargetGroup | None
) -> None:
    """Target tracking on CPU, memory and (web) requests per target, as the spec asks."""
    scaling = ecs_service.service.auto_scale_task_count(
        min_capacity=spec.min_count, max_capacity=spec.max_count
    )
    cooldowns: dict[str, Any] = {
        "scale_in_cooldown": cdk.Duration.seconds(spec.scale_in_cooldown_seconds),
        "scale_out_cooldown": cdk.Duration.seconds(spec.scale_out_cooldown_seconds),
    }
    if spec.cpu_percent is not None:
        scaling.scale_on_cpu_utilization("Cpu", target_utilization_percent=spec.cpu_percent, **cooldowns)
    if spec.memory_percent is not None:
        scaling.scale_on_memory_utilization(
            "Memory", target_utilization_percent=spec.memory_percent, **cooldowns
        )
    if spec.requests_per_target is not None and target_group is not None:
        scaling.scale_on_request_count(
            "Requests", requests_per_target=spec.requests_per_target, target_group=target_group, **cooldowns
        )
