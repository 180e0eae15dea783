"""Which host ports of which EC2 groups a load balancer must reach, for bridge and host web services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from config.native.containers import web_target

if TYPE_CHECKING:
    from config.schema import AppSpec

DEFAULT_WEB_PORT = 80  # the container port a web service without ``port`` is reached on
# ECS's dynamic host ports for bridge tasks (constructs_lib.DYNAMIC_HOST_PORTS opens the same).
DYNAMIC_HOST_PORTS = range(32768, 65536)


def web_port(spec: AppSpec, service: str) -> int:
    """The container port the load balancer sends a web service's requests to (a task-definition
    file's main container port, else the spec's ``port``, else 80)."""
    return web_target(spec, service)[1]


def instance_ports(spec: AppSpec, services: list[str]) -> list[tuple[str, int | None]]:
    """(EC2 group, host port) pairs that ``services`` (one load balancer's) need open, each once,
    in spec order: ``None`` for bridge services (ECS's dynamic host port range), the container
    port for host services. Services in awsvpc mode add none: their own group takes the rule."""
    pairs: list[tuple[str, int | None]] = []
    for service in services:
        mode = spec.network_mode_of(service)
        if mode == "awsvpc":
            continue
        port = None if mode == "bridge" else web_port(spec, service)
        for item in spec.strategy_for(service):
            if (item.provider, port) not in pairs:
                pairs.append((item.provider, port))
    return pairs
