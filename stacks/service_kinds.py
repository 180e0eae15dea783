"""What a web service and a worker add to their service stack, mapped from the spec to
constructs_lib (a job's parts: ``stacks.job_from_spec``)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from constructs import Construct

from config.load_balancers import shifts_traffic
from config.naming import cluster_name, task_family
from config.native.containers import web_app_protocol, web_target
from config.routing import route_of
from config.schema import AppSpec
from constructs_lib import EcsCluster, EcsService
from constructs_lib.load_balancer import PublicLoadBalancer
from constructs_lib.web_routing import Route, TargetHealthCheck, WebRouting
from constructs_lib.work_queue import BacklogScaling, WorkQueue

# What the target groups speak to the container, by app_protocol; HTTP/1.1 (the ALB default,
# left unwritten) otherwise.
_PROTOCOL_VERSIONS = {
    "http2": elbv2.ApplicationProtocolVersion.HTTP2,
    "grpc": elbv2.ApplicationProtocolVersion.GRPC,
}


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
    protocol = web_app_protocol(spec, service)
    path, success_codes = check.resolved(protocol)
    alternate = shifts_traffic(spec, service)  # the same rule as the load balancer's quotas
    container, port = web_target(spec, service)
    return WebRouting(
        scope,
        "Web",
        service=ecs_service,
        listener=ingress.listener,
        container_name=container,
        container_port=port,
        route=Route(paths=route.paths, hosts=route.hosts, priority=route.priority),
        health_check=TargetHealthCheck(
            path=path,
            interval_seconds=check.interval_seconds,
            timeout_seconds=check.timeout_seconds,
            healthy_threshold=check.healthy_threshold,
            unhealthy_threshold=check.unhealthy_threshold,
            success_codes=success_codes,
        ),
        protocol_version=_PROTOCOL_VERSIONS.get(protocol or ""),
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
