"""Listener rule priorities for web services, derived from the spec (pure, no CDK).

ALB evaluates rules lowest priority first, so a more specific rule must get a lower number,
and a number must not move when another service is added (two service stacks briefly
claiming one priority fail the deploy). A rule's priority is therefore

    band (host and path / host only / path only) * 16000
    + (127 - length of the shortest literal path prefix) * 125     (longer prefixes first)
    + a slot in 0..124 from a hash of (service, hosts, path)

and a rare hash collision moves the later service (in spec order) to the next free slot.
An explicit ``http.priority`` wins. Priorities are unique per load balancer (its listeners
share them), so services on another load balancer never move a rule.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from config.load_balancers import load_balancers

if TYPE_CHECKING:
    from config.schema import AppSpec

_BAND = 16000
_LENGTH_STEP = 125
_MAX_LITERAL = 127


@dataclass(frozen=True)
class Route:
    """A web service's listener rule: its path patterns (and optional hosts), priority and
    the load balancer whose listeners carry it."""

    service: str
    paths: tuple[str, ...]
    hosts: tuple[str, ...]
    priority: int
    load_balancer: str


def literal_prefix(path: str) -> str:
    """The part of a path pattern before its first wildcard (``/api/*`` → ``/api/``)."""
    cut = min((i for i, ch in enumerate(path) if ch in "*?"), default=len(path))
    return path[:cut]


def _preferred(service: str, paths: Sequence[str], hosts: Sequence[str]) -> int:
    # One rule carries all of a service's paths (native blue/green shifts exactly one rule),
    # so it is placed by its least specific path and never shadows a narrower rule.
    catch_all = any(path in ("/*", "*") for path in paths)
    band = 0 if hosts and not catch_all else 1 if hosts else 2
    length = min(_MAX_LITERAL, *(len(literal_prefix(path)) for path in paths))
    slot = zlib.crc32(f"{service}|{','.join(sorted(hosts))}|{','.join(paths)}".encode()) % _LENGTH_STEP
    return band * _BAND + (_MAX_LITERAL - length) * _LENGTH_STEP + slot + 1


def routes(spec: AppSpec) -> list[Route]:
    """Every web service's rule with its priority, grouped by load balancer, each in spec order."""
    result: list[Route] = []
    for balancer, web in load_balancers(spec).items():
        explicit = {name: spec.services[name].http_settings.priority for name in web}
        taken = {priority for priority in explicit.values() if priority}
        for name in web:
            http = spec.services[name].http_settings
            priority = explicit[name]
            if not priority:
                priority = _preferred(name, http.paths, http.hosts)
                while priority in taken:
                    priority += 1
                taken.add(priority)
            result.append(Route(name, tuple(http.paths), tuple(http.hosts), priority, balancer))
    return result


def route_of(spec: AppSpec, service: str) -> Route:
    """The rule of one web service."""
    [route] = [r for r in routes(spec) if r.service == service]
    return route
