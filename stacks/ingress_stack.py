"""``IngressStack``: the environment's shared public load balancer."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from config.schema import AppSpec
from constructs_lib.load_balancer import PublicLoadBalancer
from constructs_lib.network import Network

_SSL_POLICIES = {
    "ELBSecurityPolicy-TLS13-1-2-2021-06": elbv2.SslPolicy.RECOMMENDED_TLS,
    "ELBSecurityPolicy-TLS13-1-3-2021-06": elbv2.SslPolicy.TLS13_13,
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": elbv2.SslPolicy.TLS13_RES,
}


class IngressStack(cdk.Stack):
    """Composes ``PublicLoadBalancer`` from ``spec.load_balancer``.

    Web services add their own rules and target groups in their stacks, so this stack never
    changes when a service is added; it gets a test listener when any web service deploys
    with blue/green, canary or linear.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, spec: AppSpec, network: Network, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        settings = spec.load_balancer
        shifts_traffic = any(
            spec.services[name].deployment.strategy != "rolling" for name in spec.services_of_kind("web")
        )
        self.public = PublicLoadBalancer(
            self,
            "LoadBalancer",
            vpc=network.vpc,
            certificate_arn=settings.certificate_arn,
            ssl_policy=_SSL_POLICIES[settings.ssl_policy],
            idle_timeout_seconds=settings.idle_timeout_seconds,
            access_log_retention_days=settings.access_log_retention_days,
            deletion_protection=settings.deletion_protection,
            test_listener_port=settings.test_listener_port if shifts_traffic else None,
        )
        cdk.CfnOutput(self, "LoadBalancerDns", value=self.public.load_balancer.load_balancer_dns_name)
