"""Cross-field checks of the load balancers' listeners, certificate and target health checks.

Each is a rule Elastic Load Balancing enforces only when CloudFormation creates the resource,
so without it a spec would validate and then fail its deploy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from config.alb_conditions import host_header_problem, path_pattern_problem

if TYPE_CHECKING:
    from config.schema import AppSpec

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
        if check.timeout_seconds >= check.interval_seconds:
            yield (
                ("services", name, "http", "health_check", "timeout_seconds"),
                f"the timeout ({check.timeout_seconds} s) must be shorter than the interval "
                f"({check.interval_seconds} s)",
                check.timeout_seconds,
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
