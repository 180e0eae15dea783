"""Which container of a native file is the service's main one, and the port it serves on.

The rule, in order: the container named after the service; else the only container; else the
only container with a port mapping (a FireLens router or an agent sidecar has none). Anything
else is ambiguous: the deployer then asks for ``--image <service>/<container>=…`` and a web
service is refused at validate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.schema import AppSpec


def main_container(body: dict[str, Any], service: str) -> str | None:
    """The main container's name by the rule above, None when it is ambiguous."""
    containers = body["containerDefinitions"]
    names = [c["name"] for c in containers]
    if service in names:
        return service
    if len(names) == 1:
        return str(names[0])
    with_ports = [c["name"] for c in containers if container_port(c) is not None]
    return str(with_ports[0]) if len(with_ports) == 1 else None


def _first_tcp_mapping(container: dict[str, Any]) -> dict[str, Any] | None:
    mappings = container.get("portMappings", [])
    return next((m for m in mappings if "containerPort" in m and m.get("protocol", "tcp") == "tcp"), None)


def container_port(container: dict[str, Any]) -> int | None:
    """The container's first TCP ``containerPort``, None when it maps none."""
    mapping = _first_tcp_mapping(container)
    return None if mapping is None else int(mapping["containerPort"])


def port_mapping_name(body: dict[str, Any], container: str) -> str | None:
    """The ``name`` of the container's first TCP port mapping (what Service Connect serves)."""
    [definition] = [c for c in body["containerDefinitions"] if c["name"] == container]
    mapping = _first_tcp_mapping(definition)
    return None if mapping is None or "name" not in mapping else str(mapping["name"])


def container_names(body: dict[str, Any]) -> list[str]:
    """Every container name of the file, in order."""
    return [str(c["name"]) for c in body["containerDefinitions"]]


def served_target(body: dict[str, Any], service: str) -> tuple[str, int] | None:
    """``(container, port)`` the service serves on: its main container's first TCP port."""
    main = main_container(body, service)
    if main is None:
        return None
    [definition] = [c for c in body["containerDefinitions"] if c["name"] == main]
    port = container_port(definition)
    return None if port is None else (main, port)


def served_app_protocol(body: dict[str, Any], service: str) -> tuple[str, str] | None:
    """``(JSON path, value)`` of the ``appProtocol`` of the mapping the service serves on (its
    main container's first TCP one), None when that mapping names none."""
    main = main_container(body, service)
    containers = body["containerDefinitions"]
    for index, container in enumerate(containers):
        if container["name"] != main:
            continue
        mapping = _first_tcp_mapping(container)
        if mapping is None or "appProtocol" not in mapping:
            return None
        position = container["portMappings"].index(mapping)
        where = f"containerDefinitions[{index}].portMappings[{position}].appProtocol"
        return where, str(mapping["appProtocol"])
    return None


def web_app_protocol(spec: AppSpec, service: str) -> str | None:
    """What ``services.<service>`` serves the load balancer: its spec ``app_protocol``, or its
    file's ``appProtocol`` on the served mapping; None for HTTP/1.1 (the ALB default)."""
    document = spec.task_definition_document(service)
    if document is None:
        return spec.services[service].app_protocol
    found = served_app_protocol(document, service)
    return None if found is None else found[1]


def served_port(spec: AppSpec, service: str) -> int | None:
    """The port ``services.<service>`` serves on: its spec ``port``, or its file's main container's."""
    document = spec.task_definition_document(service)
    if document is None:
        return spec.services[service].port
    target = served_target(document, service)
    return None if target is None else target[1]


def web_target(spec: AppSpec, service: str) -> tuple[str, int]:
    """``(container, port)`` a load balancer forwards ``services.<service>``'s traffic to."""
    document = spec.task_definition_document(service)
    if document is None:
        return service, spec.services[service].port or 80
    target = served_target(document, service)
    if target is None:  # validate refuses such a web service (config.native.service_rules)
        raise ValueError(f"services.{service}: its task definition file has no main container with a port")
    return target


def service_connect_port(spec: AppSpec, service: str) -> tuple[str, int] | None:
    """``(port mapping name, port)`` the service serves through Service Connect, if any: the spec
    names its mapping ``<service>-<port>``; a file serves its main container's first TCP mapping
    when that mapping has a ``name`` (Service Connect finds mappings by name)."""
    document = spec.task_definition_document(service)
    if document is None:
        port = spec.services[service].port
        return None if port is None else (f"{service}-{port}", port)
    target = served_target(document, service)
    name = port_mapping_name(document, target[0]) if target else None
    return None if target is None or name is None else (name, target[1])


def reported_container(definition: dict[str, Any], service: str) -> str:
    """The container whose exit code stands for a task of ``service`` (a job's run, ``deployer
    run``): the main container by the rule above, else the first essential one. ``definition``
    is a task definition as ECS describes it (or a file's)."""
    main = main_container(definition, service)
    if main is not None:
        return main
    containers = definition["containerDefinitions"]
    return str(next((c for c in containers if c.get("essential", True)), containers[0])["name"])
