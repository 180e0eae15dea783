"""Cross-field checks of the load balancers' listeners, certificate and target health checks.

Each is a rule Elastic Load Balancing enforces only when CloudFormation creates the resource,
so without it a spec would validate and then fail its deploy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config.alb_conditions import (
    grpc_method_problem,
    host_header_problem,
    is_grpc_codes,
    path_pattern_problem,
)

if TYPE_CHECKING:
    from config.schema import AppSpec
    from config.service_kinds import TargetHealthCheckSpec

Problem = tuple[tuple[str | int, ...], str, Any]

PRODUCTION_PORTS = (80, 443)  # HTTP (a redirect with a certificate) and HTTPS
_CERTIFICATE = re.compile(r"^arn:aws[a-z-]*:acm:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):")


def http_problems(spec: AppSpec) -> Iterator[Problem]:
    """Listener ports, the certificate's place, and each web service's target health check."""
    port = spec.load_balancer.test_listener_port
    if port in PRODUCTION_PORTS:
        yield (
            ("load_balancer", "test_listener_port"),
            f"port {port} is a production listener of the load balancer (80 and 443 are); "
            "choose another port for blue/green test traffic, e.g. 9443",
            port,
        )
    yield from _certificate_problems(spec)
    for name in spec.services_of_kind("web"):
        http = spec.services[name].http_settings
        for key, problem_of in (("paths", path_pattern_problem), ("hosts", host_header_problem)):
            for index, value in enumerate(getattr(http, key)):
                message = problem_of(value)
                if message:
                    yield ("services", name, "http", key, index), message, value
        check = http.health_check
        service = spec.services[name]
        if service.task_definition_file is None:  # a file's appProtocol: config.native.service_rules
            https = spec.load_balancer.certificate_arn is not None
            for key, message, value in target_group_problems(service.app_protocol, check, https):
                where = (key,) if key == "app_protocol" else ("http", "health_check", key)
                yield ("services", name, *where), message, value
        if check.timeout_seconds >= check.interval_seconds:
            yield (
                ("services", name, "http", "health_check", "timeout_seconds"),
                f"the timeout ({check.timeout_seconds} s) must be shorter than the interval "
                f"({check.interval_seconds} s)",
                check.timeout_seconds,
            )


def target_group_problems(
    app_protocol: str | None, check: TargetHealthCheckSpec, https: bool
) -> Iterator[tuple[str, str, Any]]:
    """``(key, message, value)`` for what a web service's target group cannot do with the
    protocol its main container speaks: ``key`` is ``app_protocol``, or ``path`` or
    ``success_codes`` of its ``http.health_check``.

    ALB sends HTTP/2 or gRPC to targets (target group protocol version HTTP2 or GRPC) only
    behind an HTTPS listener, and a gRPC target group's health check is a gRPC call, healthy
    on gRPC status codes. (Each code list is already one of the two kinds, in range: the
    field's own check.)"""
    if app_protocol in ("http2", "grpc") and not https:
        yield (
            "app_protocol",
            f"{app_protocol} behind the load balancer needs its HTTPS listener (an ALB sends HTTP/2 and "
            "gRPC to targets only from HTTPS): give load_balancer.certificate_arn an ACM certificate; "
            "a plain-HTTP listener serves HTTP/1.1 only (protocol http, or none)",
            app_protocol,
        )
    codes = check.success_codes
    if app_protocol == "grpc":
        if check.path is not None:
            message = grpc_method_problem(check.path)
            if message:
                yield "path", message, check.path
        if codes is not None and not is_grpc_codes(codes):
            yield (
                "success_codes",
                f"{codes!r} are HTTP codes; app_protocol grpc checks gRPC status codes 0 to 99, e.g. 0 (OK) "
                "for /grpc.health.v1.Health/Check, or 12 (UNIMPLEMENTED, the default)",
                codes,
            )
    elif codes is not None and is_grpc_codes(codes):
        yield (
            "success_codes",
            f"{codes!r} are gRPC status codes, checked only with app_protocol grpc; this target group "
            "speaks HTTP: use HTTP codes from 200 to 499, e.g. 200-399",
            codes,
        )


def _certificate_problems(spec: AppSpec) -> Iterator[Problem]:
    arn = spec.load_balancer.certificate_arn
    match = _CERTIFICATE.match(arn or "")
    if match is None:
        return
    environment = spec.environment
    if match["region"] != environment.region:
        yield (
            ("load_balancer", "certificate_arn"),
            f"the certificate is in {match['region']}; a load balancer in {environment.region} "
            f"needs an ACM certificate of {environment.region}",
            arn,
        )
    if match["account"] != environment.account:
        yield (
            ("load_balancer", "certificate_arn"),
            f"the certificate belongs to account {match['account']}; a load balancer uses a "
            f"certificate of its own account ({environment.account})",
            arn,
        )
