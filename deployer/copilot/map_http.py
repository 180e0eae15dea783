"""``http`` of a Load Balanced Web Service: its listener rule, health check and target group."""

from __future__ import annotations

from config.yaml_source import Loc
from deployer.copilot.durations import whole_seconds
from deployer.copilot.models_workload import HttpHealthCheck, RoutingRule
from deployer.copilot.record import FieldLog

NO_RULE_KEY = "give the service a native task definition or extend the listener rule in your own CDK code"


def rule_paths(path: str) -> list[str]:
    """Copilot's path patterns: ``/`` is every path; ``api`` is ``/api`` and everything under it."""
    trimmed = path.strip("/")
    return ["/*"] if not trimmed else [f"/{trimmed}", f"/{trimmed}/*"]


def map_http(http: RoutingRule, log: FieldLog, to: Loc, service: str, port: int | None) -> None:
    """The routing rule into ``services.<service>.http``."""
    target = (*to, "http")
    log.seen(("http",), target)
    if http.path is not None:
        log.put(("http", "path"), (*target, "paths"), rule_paths(http.path))
    if http.alias:
        hosts = [alias.name for alias in http.alias]
        log.put(
            ("http", "alias"),
            (*target, "hosts"),
            hosts,
            note="Copilot also created the DNS records; this project does not manage DNS",
            step=f"point {', '.join(hosts)} at the load balancer (stack output LoadBalancerDns) and "
            "check that load_balancer.certificate_arn covers them",
        )
    if http.hosted_zone is not None or any(alias.hosted_zone for alias in http.alias):
        log.seen(("http", "hosted_zone"), note="the hosted zone for the records of the alias step")
    if http.healthcheck is not None:
        _health_check(http.healthcheck, log, target)
    if http.deregistration_delay is not None:
        seconds = whole_seconds(http.deregistration_delay)
        log.put(("http", "deregistration_delay"), (*target, "deregistration_delay_seconds"), seconds)
    _target(http, log, service, port)
    if http.version is not None:
        _version(http.version, log, to)
    _unmodelled(http, log)


def _health_check(check: HttpHealthCheck, log: FieldLog, target: Loc) -> None:
    field: Loc = ("http", "healthcheck")
    for key, spec_key in (
        ("path", "path"),
        ("success_codes", "success_codes"),
        ("healthy_threshold", "healthy_threshold"),
        ("unhealthy_threshold", "unhealthy_threshold"),
        ("interval", "interval_seconds"),
        ("timeout", "timeout_seconds"),
    ):
        value = getattr(check, key)
        if value is not None:
            timing = key in ("interval", "timeout")
            log.put(
                (*field, key), (*target, "health_check", spec_key), whole_seconds(value) if timing else value
            )
    if check.grace_period is not None:
        seconds = whole_seconds(check.grace_period)
        log.put((*field, "grace_period"), (*target, "health_check_grace_seconds"), seconds)
    if check.port is not None:
        log.manual(
            (*field, "port"),
            "the health check goes to the traffic port here",
            "serve the health check path on the container port",
        )


def _version(version: str, log: FieldLog, to: Loc) -> None:
    """Copilot's target group protocol version: HTTP/1.1 by default, as here; ``grpc`` and
    ``http2`` are the main container's ``app_protocol`` (which also names its Service Connect
    protocol)."""
    protocol = version.lower()
    if protocol == "http1":
        log.seen(("http", "version"), note="HTTP/1.1 to the targets, as here")
    elif protocol in ("grpc", "http2"):
        log.put(
            ("http", "version"),
            (*to, "app_protocol"),
            protocol,
            note="the main container's protocol, for the target groups and Service Connect",
        )
    else:
        log.manual(("http", "version"), f"{version} to the targets is not modelled", NO_RULE_KEY)


def _target(http: RoutingRule, log: FieldLog, service: str, port: int | None) -> None:
    for key, value in (
        ("target_container", http.target_container),
        ("targetContainer", http.target_container_camel),
    ):
        if value is None:
            continue
        if value == service:
            log.seen(("http", key), note="the main container, as here")
        else:
            log.manual(
                ("http", key),
                "the load balancer reaches the main container here, not a sidecar",
                "make the proxy the main container (and the app a sidecar), or route in your own CDK code",
            )
    if http.target_port is not None:
        if http.target_port == port:
            log.seen(("http", "target_port"), note="the main container's port, as here")
        else:
            log.manual(
                ("http", "target_port"), "the load balancer targets the main container's port", NO_RULE_KEY
            )


def _unmodelled(http: RoutingRule, log: FieldLog) -> None:
    if http.stickiness:
        log.manual(
            ("http", "stickiness"),
            "sticky sessions are not supported: any task may serve any request",
            "keep session state out of the task (a cache or database), or enable stickiness on the target "
            "group in your own CDK code",
        )
    elif http.stickiness is False:
        log.seen(("http", "stickiness"), note="not sticky, as here")
    if http.allowed_source_ips:
        log.manual(
            ("http", "allowed_source_ips"),
            "listener rules do not match on source IP here",
            "restrict the clients with AWS WAF or a source-ip rule condition in your own CDK code",
        )
    if http.redirect_to_https is not None:
        if http.redirect_to_https:
            log.seen(("http", "redirect_to_https"), note="HTTP always redirects to HTTPS here")
        else:
            log.manual(
                ("http", "redirect_to_https"),
                "HTTP always redirects to HTTPS here",
                "serve HTTPS clients only",
            )
    if http.additional_rules:
        log.manual(
            ("http", "additional_rules"),
            "one listener rule per service here (at most 5 paths and hosts)",
            "add the paths to http.paths if they share the port and health check, else split the service",
        )
