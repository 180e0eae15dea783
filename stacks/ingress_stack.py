"""``IngressStack``: the environment's public load balancers, one per ``http.load_balancer`` name."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from config.host_ports import instance_ports
from config.load_balancers import load_balancers, shifts_traffic
from config.schema import AppSpec
from config.service_kinds import MAIN_LOAD_BALANCER
from constructs_lib import DYNAMIC_HOST_PORTS, EcsCluster, InstancePortsIngress
from constructs_lib.load_balancer import PublicLoadBalancer
from constructs_lib.network import Network

_SSL_POLICIES = {
    "ELBSecurityPolicy-TLS13-1-2-2021-06": elbv2.SslPolicy.RECOMMENDED_TLS,
    "ELBSecurityPolicy-TLS13-1-3-2021-06": elbv2.SslPolicy.TLS13_13,
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": elbv2.SslPolicy.TLS13_RES,
}


class IngressStack(cdk.Stack):
    """Composes one ``PublicLoadBalancer`` per load balancer name the web services use, each
    with the shared settings of ``spec.load_balancer``.

    Web services add their own rules and target groups in their stacks, so adding a service
    changes this stack only when it brings a new load balancer name, or the first blue/green,
    canary or linear deployment to its load balancer (which then gets a test listener). ``main`` keeps the
    construct IDs of the single load balancer this stack used to hold (``LoadBalancer``,
    output ``LoadBalancerDns``); another name ``edge`` gets ``LoadBalancerEdge`` and output
    ``LoadBalancerEdgeDns``. A few resources per load balancer: the stack stays far below
    CloudFormation's 500, and AWS allows 50 load balancers per region.

    Web services in bridge or host mode have no security group of their own: each load
    balancer gets one ``InstancePortsIngress`` per EC2 group of ``cluster`` they run on (and per
    host port), here, so services sharing a group share the rule and the cluster's stack never
    depends on a load balancer.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AppSpec,
        network: Network,
        cluster: EcsCluster,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        settings = spec.load_balancer
        self.balancers: dict[str, PublicLoadBalancer] = {}
        self._serving: dict[str, str] = {}
        for name, services in load_balancers(spec).items():
            balancer_id = "LoadBalancer" if name == MAIN_LOAD_BALANCER else f"LoadBalancer{name.capitalize()}"
            public = PublicLoadBalancer(
                self,
                balancer_id,
                vpc=network.vpc,
                certificate_arn=settings.certificate_arn,
                ssl_policy=_SSL_POLICIES[settings.ssl_policy],
                idle_timeout_seconds=settings.idle_timeout_seconds,
                access_log_retention_days=settings.access_log_retention_days,
                deletion_protection=settings.deletion_protection,
                public_ipv4=settings.public_ipv4,
                test_listener_port=(
                    settings.test_listener_port if any(shifts_traffic(spec, s) for s in services) else None
                ),
            )
            cdk.CfnOutput(self, f"{balancer_id}Dns", value=public.load_balancer.load_balancer_dns_name)
            self.balancers[name] = public
            for group, port in instance_ports(spec, services):
                InstancePortsIngress(
                    self,
                    f"{balancer_id}To-{group}-{port or 'dynamic'}",
                    load_balancer=public.security_group,
                    instances=cluster.ec2_groups[group],
                    ports=ec2.Port.tcp(port) if port else DYNAMIC_HOST_PORTS,
                    description=f"{name} load balancer to {'host' if port else 'bridge'} tasks on {group}",
                )
            self._serving.update(dict.fromkeys(services, name))

    def balancer_of(self, service: str) -> PublicLoadBalancer | None:
        """The load balancer that serves ``service`` (none unless it is a web service)."""
        name = self._serving.get(service)
        return self.balancers[name] if name else None
