"""A Copilot environment manifest as the spec's ``environment``, ``network``, ``cluster`` and
``load_balancer``."""

from __future__ import annotations

from typing import get_args

from config.service_kinds import LoadBalancerSpec
from deployer.copilot.models_environment import EnvironmentManifest, EnvironmentVpc, PublicHttp
from deployer.copilot.names import Target
from deployer.copilot.record import FieldLog

SSL_POLICIES = get_args(LoadBalancerSpec.model_fields["ssl_policy"].annotation)
MAX_AZS = 6


def map_environment(manifest: EnvironmentManifest, log: FieldLog, target: Target) -> None:
    """The environment-level keys; ``app`` and ``environment`` come from the workspace and the target."""
    log.put(("name",), ("environment", "name"), target.environment)
    log.seen(("type",))
    if manifest.network is not None and manifest.network.vpc is not None:
        _vpc(manifest.network.vpc, log)
    observability = manifest.observability
    if observability is not None and observability.container_insights is not None:
        level = "enabled" if observability.container_insights else "disabled"
        log.put(("observability", "container_insights"), ("cluster", "container_insights"), level)
    if manifest.http is not None and manifest.http.public is not None:
        _public(manifest.http.public, log)
    if manifest.http is not None and manifest.http.private is not None:
        log.manual(
            ("http", "private"),
            "there is no internal load balancer here: backend services are reached through Service Connect",
            "call backends at http://<service>:<port>",
        )
    if manifest.cdn is not None:
        log.manual(
            ("cdn",),
            "CloudFront is not modelled",
            "put a CloudFront distribution in front of the load balancer (stack output LoadBalancerDns) in "
            "your own CDK app; its certificate must be in us-east-1",
        )


def _vpc(vpc: EnvironmentVpc, log: FieldLog) -> None:
    if vpc.id is not None:
        log.manual(
            ("network", "vpc", "id"),
            f"Copilot used the existing {vpc.id}; this project creates the environment's own VPC",
            "plan the move: reach data stores in the old VPC through peering or a transit gateway, "
            "or move them",
        )
    if vpc.cidr is not None:
        log.put(("network", "vpc", "cidr"), ("network", "cidr"), vpc.cidr)
    subnets = vpc.subnets
    if subnets is not None and vpc.id is not None:
        log.seen(("network", "vpc", "subnets"), note="subnets of the imported VPC (see network.vpc.id)")
    elif subnets is not None:
        zones = max(len(subnets.public), len(subnets.private), 1)
        log.put(
            ("network", "vpc", "subnets"),
            ("network", "max_azs"),
            min(zones, MAX_AZS),
            note="one public /24 and one private /20 subnet per zone, in the region's first zones: "
            "subnet CIDRs and zone names are derived, not given",
        )
    if vpc.security_group is not None:
        log.manual(
            ("network", "vpc", "security_group"),
            "rules on an environment-wide security group are not modelled: each service has its own group",
            "open resources to a service's group, and services to each other with allow_from",
        )
    if vpc.flow_logs is not None:
        log.seen(("network", "vpc", "flow_logs"), note="VPC flow logs are always on here, kept 1 year")


def _public(public: PublicHttp, log: FieldLog) -> None:
    field = ("http", "public")
    if public.certificates:
        log.put((*field, "certificates"), ("load_balancer", "certificate_arn"), public.certificates[0])
        if len(public.certificates) > 1:
            log.manual(
                (*field, "certificates"),
                "the HTTPS listener has one certificate here",
                "use one certificate that covers every alias (subject alternative names)",
            )
    if public.ssl_policy is not None:
        if public.ssl_policy in SSL_POLICIES:
            log.put((*field, "ssl_policy"), ("load_balancer", "ssl_policy"), public.ssl_policy)
        else:
            log.manual(
                (*field, "ssl_policy"),
                f"{public.ssl_policy} is not allowed here: only TLS 1.2+ policies "
                f"({', '.join(SSL_POLICIES)})",
                "check that every client speaks TLS 1.2 or 1.3",
            )
    if public.access_logs is not None:
        if isinstance(public.access_logs, dict):
            log.manual(
                (*field, "access_logs"),
                "access logs go to a bucket this project creates "
                "(kept load_balancer.access_log_retention_days)",
                "read them from the new bucket, or copy them to yours",
            )
        else:
            log.seen((*field, "access_logs"), note="access logs are always on here")
    restrictions = [key for key in ("ingress", "security_groups") if getattr(public, key) is not None]
    for key in restrictions:
        log.manual(
            (*field, key),
            "the public load balancer accepts every source here (no CDN-only or source-IP restriction)",
            "restrict it with AWS WAF, or a security group rule in your own CDK code",
        )
