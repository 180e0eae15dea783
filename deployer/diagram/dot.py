"""Draw a ``Picture`` as Graphviz DOT text: what goes in which box, never where (Graphviz lays
it out). Left to right: the internet, the VPC with its subnets, endpoints and load balancers,
the ECS cluster with its capacity providers and one box per service kind, then the workflows
(Step Functions, outside the VPC) and the queues.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from html import escape

from deployer.diagram.model import (
    INTERNET,
    VPC,
    CapacityProvider,
    Flow,
    LoadBalancer,
    Network,
    Picture,
    Service,
    Subnet,
    service_node,
)

KINDS = {"web": "web services", "backend": "backends", "worker": "workers", "job": "jobs"}
COLOURS = {
    "web": "#dbeafe",
    "backend": "#dcfce7",
    "worker": "#fef3c7",
    "job": "#f3e8ff",
    "lb": "#fee2e2",
    "workflow": "#e0f2fe",
}
TABLE = 'border="1" cellspacing="0" color="#94a3b8" bgcolor="white"'
GRAPH = {
    "rankdir": "LR",
    "newrank": "true",
    "fontsize": "13",
    "labelloc": "t",
    "labeljust": "l",
    "nodesep": "0.3",
    "ranksep": "0.7",
    "pad": "0.3",
}
NODE = {
    "fontsize": "10",
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "white",
    "color": "#52525b",
    "margin": "0.12,0.06",
}


def to_dot(picture: Picture, font: str = "Helvetica") -> str:
    """The DOT text of ``picture`` with every label in ``font`` (default: Helvetica, which
    Graphviz measures with built-in metrics and every SVG viewer has)."""
    title = f"<<b>{escape(picture.title)}</b>>"
    lines = [
        f"digraph {_id(picture.title)} {{",
        f"graph [{_attrs(**GRAPH, fontname=font, label=title)}];",
        f"node [{_attrs(**NODE, fontname=font)}];",
        f"edge [{_attrs(fontname=font, fontsize='9', color='#3f3f46')}];",
        _node(INTERNET, shape="ellipse", label="internet"),
        *_vpc(picture),
        *_workflows(picture),
        *_queues(picture),
        *_flows(picture),
        "}",
    ]
    return "".join(f"{line}\n" for line in _indent(lines))


def _indent(lines: list[str]) -> Iterator[str]:
    depth = 0
    for line in lines:
        depth -= line == "}"
        yield "  " * depth + line
        depth += line.endswith("{")


def _vpc(picture: Picture) -> Iterator[str]:
    network = picture.network
    yield "subgraph cluster_vpc {"
    label = f"<<b>VPC</b> {escape(network.cidr)}>"
    yield _graph(label=label, style="rounded,filled", fillcolor="#f8fafc", color="#94a3b8")
    yield _node("subnets", shape="plain", style="", label=f"<{_subnets(network)}>")
    if network.endpoints:
        names = network.endpoints
        lines = [", ".join(names[i : i + 4]) for i in range(0, len(names), 4)]
        yield _node("endpoints", label=f"<{_left(['<b>VPC endpoints</b>', *map(escape, lines)])}>")
    if any(flow.source == VPC for flow in picture.flows):
        yield _node(VPC, shape="ellipse", label="clients in the VPC")
    for balancer in picture.load_balancers:
        yield _node(balancer.node, fillcolor=COLOURS["lb"], label=f"<{_balancer(balancer, picture)}>")
    yield from _cluster(picture)
    yield "}"


def _cluster(picture: Picture) -> Iterator[str]:
    cluster = picture.cluster
    yield "subgraph cluster_ecs {"
    title = [
        f"<b>ECS cluster</b> {escape(cluster.name)}",
        f"Service Connect namespace {escape(cluster.namespace)}",
    ]
    yield _graph(label=f"<{_left(title)}>", fillcolor="white", color="#64748b")
    yield _node("capacity", shape="plain", style="", label=f"<{_providers(cluster.providers)}>")
    for kind, title_text in KINDS.items():
        members = [service for service in picture.services if service.kind == kind]
        if members:
            yield f"subgraph cluster_{kind} {{"
            yield _graph(label=title_text, style="rounded,dashed", color="#a1a1aa")
            for service in members:
                yield _node(service.node, fillcolor=COLOURS[kind], label=f"<{_service(service)}>")
            yield "}"
    yield "}"


def _providers(providers: Iterable[CapacityProvider]) -> str:
    rows = "".join(
        f"<tr><td align='left'>{escape(p.name)}</td><td align='left'>{escape(p.detail)}</td></tr>"
        for p in providers
    )
    return (
        f'<table {TABLE} cellborder="0"><tr><td colspan="2"><b>capacity providers</b></td></tr>{rows}</table>'
    )


def _subnets(network: Network) -> str:
    names = list(dict.fromkeys(subnet.name for subnet in network.subnets))
    header = "".join(f"<td><b>{escape(name)}</b></td>" for name in names)
    rows = []
    for zone in network.zones:
        cells = []
        for name in names:
            found = [s for s in network.subnets if s.zone == zone and s.name == name]
            cells.append(f"<td align='left'>{'<br/>'.join(map(_subnet, found))}</td>")
        rows.append(f"<tr><td align='left'>{escape(zone)}</td>{''.join(cells)}</tr>")
    return (
        f'<table {TABLE} cellborder="1" cellpadding="4">'
        f'<tr><td colspan="{len(names) + 1}"><b>subnets</b></td></tr>'
        f"<tr><td><b>zone</b></td>{header}</tr>{''.join(rows)}</table>"
    )


def _subnet(subnet: Subnet) -> str:
    kind = "" if subnet.type.lower() == subnet.name else f" ({subnet.type.lower()})"
    return f"{escape(subnet.cidr + kind)}{'<br/>' + escape(subnet.nat_kind) if subnet.nat_gateway else ''}"


def _balancer(balancer: LoadBalancer, picture: Picture) -> str:
    name = f" {balancer.name}" if len(picture.load_balancers) > 1 else ""
    lines = [f"<b>public load balancer{escape(name)}</b>"]
    for listener in balancer.listeners:
        lines.append(f"{listener.protocol} :{listener.port}, default {escape(listener.default)}")
        for route in (r for r in balancer.routes if r.listener_port == listener.port):
            where = f"{','.join(route.hosts) or 'any host'} {' '.join(route.paths)}"
            lines.append(
                f"&#160;&#160;#{route.priority} {escape(where)} → {escape(route.service)}:{route.port}"
            )
    return _left(lines)


def _service(service: Service) -> str:
    lines = [f"<b>{escape(service.name)}</b>"]
    for index, container in enumerate(service.containers):
        role = "main" if index == 0 else "sidecar" if container.essential else "sidecar, not essential"
        ports = "".join(f" :{port}" for port in container.ports)
        lines.append(f"{escape(container.name)}{ports} ({role})")
    if service.connect:
        lines.append(f"Service Connect {escape(', '.join(service.connect))}")
    if service.schedule:
        lines.append(f"schedule {escape(service.schedule)}")
    lines += [f"on {escape(trigger)}" for trigger in service.triggers]
    placement = ", ".join(
        f"{p.provider} (weight {p.weight}{f', base {p.base}' if p.base else ''})" for p in service.placement
    )
    lines.append(f"on {escape(placement)}")
    return _left(lines)


def _workflows(picture: Picture) -> Iterator[str]:
    """Each workflow outside the VPC (Step Functions runs there), an arrow to each service a
    step runs, labelled with the steps."""
    for workflow in picture.workflows:
        lines = [f"<b>workflow {escape(workflow.name)}</b>", "Step Functions"]
        lines += [f"on {escape(start)}" for start in workflow.starts]
        yield _node(workflow.node, fillcolor=COLOURS["workflow"], label=f"<{_left(lines)}>")
        runs: dict[str, list[str]] = defaultdict(list)
        for step, service in workflow.steps:
            runs[service].append(step)
        for service, steps in runs.items():
            yield _edge(
                workflow.node, service_node(service), style="dashed", label=f"runs {', '.join(steps)}"
            )


def _queues(picture: Picture) -> Iterator[str]:
    for service in picture.services:
        if service.queue is None:
            continue
        queue, dlq = f"queue:{service.name}", f"dlq:{service.name}"
        label = f"<<b>SQS queue</b><br/>visibility {service.queue.visibility_seconds} s>"
        yield _node(queue, shape="cylinder", style="filled", fillcolor="#fef9c3", label=label)
        yield _node(
            dlq, shape="cylinder", style="filled", fillcolor="#fde68a", label="<<b>dead-letter queue</b>>"
        )
        # Drawn from the worker so the queue sits right of it; the arrow shows messages' way.
        yield _edge(service.node, queue, dir="back", style="dashed", label="consumes")
        yield _edge(queue, dlq, label=f"after {service.queue.max_receives} receives")


def _flows(picture: Picture) -> Iterator[str]:
    labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for flow in picture.flows:
        labels[flow.source, flow.target].append(_flow_label(flow, picture))
    for (source, target), ports in labels.items():
        if source.startswith("cidr:"):
            yield _node(source, shape="ellipse", label=source.removeprefix("cidr:"))
        yield _edge(source, target, label=", ".join(ports))


def _flow_label(flow: Flow, picture: Picture) -> str:
    """The port, or the Service Connect name a service calls when the target serves one on it."""
    for service in picture.services:
        if service.node == flow.target and flow.source.startswith("service:"):
            named = [name for name in service.connect if name.endswith(f":{flow.port}")]
            if named:
                return named[0]
    return f":{flow.port}"


def _graph(**attrs: str) -> str:
    return f"graph [{_attrs(**attrs)}];"


def _node(key: str, **attrs: str) -> str:
    return f"{_id(key)} [{_attrs(**attrs)}];"


def _edge(source: str, target: str, **attrs: str) -> str:
    return f"{_id(source)} -> {_id(target)} [{_attrs(**attrs)}];"


def _attrs(**attrs: str) -> str:
    """DOT attributes: a value in <…> is an HTML-like label, any other is quoted."""
    return ", ".join(
        f"{key}={value if value.startswith('<') else _id(value)}" for key, value in attrs.items()
    )


def _left(lines: list[str]) -> str:
    """Lines of an HTML-like label, left-aligned."""
    return "<br align='left'/>".join(lines) + "<br align='left'/>"


def _id(text: str) -> str:
    """A quoted DOT identifier."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
