"""Cross-field checks of service kinds, routing, deployments and ``allow_from``.

Each problem names the YAML path of the value to change, so a bad spec fails before any
synthesis with ``services.web.deployment.strategy: blue_green needs a web service …``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from config.call_graph import first_cycle
from config.http_checks import http_problems
from config.load_balancers import load_balancers, quota_problems
from config.workflow_checks import steps_run_by_workflows

if TYPE_CHECKING:
    from config.schema import AppSpec, ServiceSpec

Problem = tuple[tuple[str | int, ...], str, Any]

_ONLY_FOR = {"http": "web", "queue": "worker", "schedule": "job"}
_LINEAR_MIN_STEP = 3.0


RULE_CONDITION_VALUES = 5  # ALB quota, per rule: path and host values together
RULE_WILDCARDS = 5  # ALB quota, per rule: * and ? across the path and host values together


def kind_problems(spec: AppSpec) -> Iterator[Problem]:
    """Every problem with kinds, routes, strategies, scaling and allowed callers."""
    for name, service in spec.services.items():
        yield from _shape_problems(spec, name, service)
        yield from _deployment_problems(name, service)
        yield from _scaling_problems(spec, name, service)
    for services in load_balancers(spec).values():
        yield from _route_problems(spec, services)
    yield from quota_problems(spec)
    yield from http_problems(spec)
    yield from _allow_from_problems(spec)
    if not spec.load_balancer.public_ipv4 and not spec.network.ipv6:
        yield (
            ("load_balancer", "public_ipv4"),
            "a load balancer without public IPv4 addresses serves IPv6 clients: set network.ipv6: true",
            False,
        )
    needs_certificate = spec.services_of_kind("web") and spec.environment.target == "aws"
    if needs_certificate and spec.load_balancer.certificate_arn is None:
        yield (
            ("load_balancer", "certificate_arn"),
            "web services in an aws environment are served over HTTPS: give an ACM certificate ARN "
            "(only a local target may serve plain HTTP)",
            None,
        )


def _shape_problems(spec: AppSpec, name: str, service: ServiceSpec) -> Iterator[Problem]:
    loc = ("services", name)
    for key, kind in _ONLY_FOR.items():
        if getattr(service, key) is not None and service.kind != kind:
            yield (*loc, key), f"'{key}' is for kind {kind}; this service is kind {service.kind}", key
    if service.kind == "web" and service.port is None and service.task_definition_file is None:
        yield (*loc, "port"), "a web service needs the port its main container listens on", None
    if service.kind == "job":
        if service.schedule is None and not service.triggers and name not in steps_run_by_workflows(spec):
            yield (
                (*loc, "schedule"),
                "a job needs a schedule (e.g. expression: cron(0 3 * * ? *)), triggers, or a workflow step "
                "that runs it",
                None,
            )
        if service.allow_from:
            yield (*loc, "allow_from"), "a job runs to completion and takes no connections", None
    scales_from_zero = service.kind == "worker" and service.queue_settings.min_count == 0
    if scales_from_zero and spec.cluster.container_insights == "disabled":
        yield (
            (*loc, "queue", "min_count"),
            "scaling a worker from zero reads Container Insights' RunningTaskCount: "
            "set cluster.container_insights to enhanced or enabled, or min_count to 1 or more",
            0,
        )


def _deployment_problems(name: str, service: ServiceSpec) -> Iterator[Problem]:
    loc = ("services", name, "deployment")
    deployment = service.deployment
    if deployment.strategy != "rolling" and service.kind != "web":
        yield (
            (*loc, "strategy"),
            f"{deployment.strategy} shifts load balancer traffic, so it needs a web service "
            f"(this one is kind {service.kind}); use rolling",
            deployment.strategy,
        )
    if deployment.strategy not in ("canary", "linear"):
        for key in ("step_percent", "step_bake_minutes"):
            if getattr(deployment, key) is not None:
                yield (*loc, key), f"'{key}' is for canary or linear deployments", getattr(deployment, key)
    if deployment.strategy == "linear" and (deployment.step_percent or 10) < _LINEAR_MIN_STEP:
        yield (*loc, "step_percent"), "linear steps are 3 to 100 percent", deployment.step_percent


def _scaling_problems(spec: AppSpec, name: str, service: ServiceSpec) -> Iterator[Problem]:
    loc = ("services", name)
    queue = service.queue_settings
    if service.kind == "worker" and queue.min_count > queue.max_count:
        yield (*loc, "queue", "min_count"), f"min_count {queue.min_count} is above max_count", queue.min_count
    scaling = service.autoscaling
    if scaling is None:
        return
    if service.kind in ("worker", "job"):
        reason = (
            "scales on its queue backlog (queue.min_count/max_count)"
            if service.kind == "worker"
            else ("runs on a schedule")
        )
        yield (*loc, "autoscaling"), f"a {service.kind} {reason}; remove autoscaling", None
        return
    if scaling.min_count > scaling.max_count:
        yield (*loc, "autoscaling", "min_count"), "min_count is above max_count", scaling.min_count
    if scaling.requests_per_target is not None and service.kind != "web":
        yield (
            (*loc, "autoscaling", "requests_per_target"),
            "requests per target come from the load balancer: web services only",
            scaling.requests_per_target,
        )
    if not any((scaling.cpu_percent, scaling.memory_percent, scaling.requests_per_target)):
        yield (
            (*loc, "autoscaling"),
            "give at least one target: cpu_percent, memory_percent or requests_per_target",
            None,
        )


def _wildcard_problems(name: str, paths: Sequence[str], hosts: Sequence[str]) -> Iterator[Problem]:
    """A rule of more wildcards than ALB takes, at the paths or the hosts, whichever has more."""
    in_paths, in_hosts = (sum(v.count("*") + v.count("?") for v in values) for values in (paths, hosts))
    if in_paths + in_hosts > RULE_WILDCARDS:
        key = "paths" if in_paths >= in_hosts else "hosts"
        yield (
            ("services", name, "http", key),
            f"the paths and hosts have {in_paths + in_hosts} wildcards ({in_paths} in paths, {in_hosts} "
            f"in hosts); an ALB rule takes at most {RULE_WILDCARDS} * and ? in all (not adjustable): "
            "use fewer, e.g. /reports/* for /reports/*/daily/*",
            list(paths if key == "paths" else hosts),
        )


def _route_problems(spec: AppSpec, services: list[str]) -> Iterator[Problem]:
    """Routes that clash on one load balancer (another one has its own listeners and DNS name)."""
    seen: dict[tuple[frozenset[str], str], str] = {}
    priorities: dict[int, str] = {}
    for name in services:
        http = spec.services[name].http_settings
        values = len(http.paths) + len(http.hosts)
        if values > RULE_CONDITION_VALUES:
            yield (
                ("services", name, "http"),
                f"{len(http.paths)} paths and {len(http.hosts)} hosts make {values} condition values; "
                f"an ALB rule takes at most {RULE_CONDITION_VALUES} (paths plus hosts, not adjustable): "
                "use wildcards or fewer patterns",
                None,
            )
        yield from _wildcard_problems(name, http.paths, http.hosts)
        for index, path in enumerate(http.paths):
            loc = ("services", name, "http", "paths", index)
            key = (frozenset(http.hosts), path)
            if key in seen:
                yield loc, f"path {path} on these hosts is already routed to service {seen[key]!r}", path
            seen.setdefault(key, name)
        if http.priority is not None:
            owner = priorities.setdefault(http.priority, name)
            if owner != name:
                yield (
                    ("services", name, "http", "priority"),
                    f"priority {http.priority} is also used by service {owner!r}",
                    http.priority,
                )


def _allow_from_problems(spec: AppSpec) -> Iterator[Problem]:
    for name, service in spec.services.items():
        for index, caller in enumerate(service.allow_from):
            loc = ("services", name, "allow_from", index)
            if caller not in spec.services:
                close = difflib.get_close_matches(caller, list(spec.services), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                yield loc, f"unknown service {caller!r}; {hint}services: {', '.join(spec.services)}", caller
            elif caller == name:
                yield loc, "a service always reaches itself; remove it", caller
        if service.allow_from and service.port is None and service.task_definition_file is None:
            yield ("services", name, "allow_from"), "allow_from opens the service's port: set port", None
    cycle = first_cycle(spec)
    if cycle:
        yield (
            ("services", cycle[0], "allow_from"),
            f"{' → '.join(cycle)}: each caller's stack holds the rule into the service it calls, "
            "so calls cannot go both ways; route one direction through a queue or merge the services",
            list(cycle),
        )
