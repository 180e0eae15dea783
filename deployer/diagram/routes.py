"""Public load balancers, their listeners and the web services' rules, read from synthesised
templates (pure). A rule lives in its web service's stack and points at a listener of the
ingress stack through a cross-stack import."""

from __future__ import annotations

from collections.abc import Mapping

from config.schema import AppSpec
from deployer.diagram.model import Listener, LoadBalancer, Route
from deployer.diagram.templates import Resource, TemplateSet

Key = tuple[str, str]


def read_load_balancers(
    spec: AppSpec, cfn: TemplateSet, stacks: Mapping[str, str]
) -> list[tuple[LoadBalancer, list[Key]]]:
    """Every load balancer with the keys of its security groups. ``stacks``: service stack
    name → service. A load balancer is named after its services' ``http.load_balancer``."""
    listeners: dict[Key, list[Listener]] = {}
    listener_at: dict[Key, tuple[Key, int]] = {}  # listener → (its load balancer, its port)
    for res in cfn.resources("AWS::ElasticLoadBalancingV2::Listener"):
        owner = cfn.target(res.stack, res.properties.get("LoadBalancerArn"))
        if owner is not None:
            listener = Listener(str(res.properties["Protocol"]), int(res.properties["Port"]), _default(res))
            listeners.setdefault(owner, []).append(listener)
            listener_at[res.key] = (owner, listener.port)
    routes: dict[Key, list[Route]] = {}
    for res in cfn.resources("AWS::ElasticLoadBalancingV2::ListenerRule"):
        found = listener_at.get(cfn.target(res.stack, res.properties.get("ListenerArn")) or ("", ""))
        if found is not None and res.stack in stacks:
            routes.setdefault(found[0], []).append(_route(cfn, res, found[1], stacks[res.stack]))
    result = []
    for res in cfn.resources("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        served = routes.get(res.key, [])
        name = spec.services[served[0].service].http_settings.load_balancer if served else res.logical_id
        balancer = LoadBalancer(
            name,
            tuple(sorted(listeners.get(res.key, []), key=lambda listener: listener.port)),
            tuple(sorted(served, key=lambda route: (route.listener_port, route.priority))),
        )
        groups = [cfn.target(res.stack, group) for group in res.properties.get("SecurityGroups", [])]
        result.append((balancer, [group for group in groups if group is not None]))
    return result


def _default(listener: Resource) -> str:
    action = listener.properties["DefaultActions"][0]
    if action["Type"] == "fixed-response":
        return str(action["FixedResponseConfig"]["StatusCode"])
    if action["Type"] == "redirect":
        redirect = action["RedirectConfig"]
        return f"redirect to {redirect.get('Protocol', '')}:{redirect.get('Port', '')}"
    return str(action["Type"])


def _route(cfn: TemplateSet, rule: Resource, listener_port: int, service: str) -> Route:
    conditions = {condition["Field"]: condition for condition in rule.properties.get("Conditions", [])}
    hosts = conditions.get("host-header", {}).get("HostHeaderConfig", {}).get("Values", [])
    paths = conditions.get("path-pattern", {}).get("PathPatternConfig", {}).get("Values", [])
    action = rule.properties["Actions"][0]
    arn = action.get("TargetGroupArn") or action["ForwardConfig"]["TargetGroups"][0]["TargetGroupArn"]
    group = cfn.get(cfn.target(rule.stack, arn))
    port = int(group.properties["Port"]) if group is not None else 0
    return Route(listener_port, int(rule.properties["Priority"]), tuple(hosts), tuple(paths), service, port)
