"""Network paths into bridge and host tasks, read from templates (pure).

Such tasks have no security group of their own: they use their EC2 group's instances'. A rule
into an instance group reaches the tasks on it that listen on a host port the rule covers:
bridge tasks on ECS's dynamic host ports (any of them may be picked), host tasks on their
containers' own ports. Instances are found from each capacity provider, through its Auto
Scaling group, to its launch template's security groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from config.host_ports import DYNAMIC_HOST_PORTS
from deployer.diagram.model import Flow, service_node
from deployer.diagram.templates import TemplateSet

Key = tuple[str, str]
INSTANCES = "instances:"  # the temporary node of a group's instances while rules are read


def instance_groups(cfn: TemplateSet, providers: Mapping[str, str]) -> dict[Key, str]:
    """Each EC2 group's instance security group → ``INSTANCES`` + the group's spec name
    (``providers``: ECS capacity provider name → spec name)."""
    found: dict[Key, str] = {}
    for provider in cfn.resources("AWS::ECS::CapacityProvider"):
        group = provider.properties.get("AutoScalingGroupProvider", {}).get("AutoScalingGroupArn")
        asg = cfn.get(cfn.target(provider.stack, group))
        if asg is None:
            continue
        mixed = asg.properties.get("MixedInstancesPolicy", {}).get("LaunchTemplate", {})
        launch = asg.properties.get("LaunchTemplate") or mixed.get("LaunchTemplateSpecification", {})
        template = cfn.get(cfn.target(asg.stack, launch.get("LaunchTemplateId")))
        if template is None:
            continue
        data: Mapping[str, Any] = template.properties.get("LaunchTemplateData", {})
        groups = [*data.get("SecurityGroupIds", [])]
        groups += [g for interface in data.get("NetworkInterfaces", []) for g in interface.get("Groups", [])]
        name = str(provider.properties.get("Name", provider.logical_id))
        for security_group in groups:
            key = cfn.target(template.stack, security_group)
            if key is not None:
                found[key] = INSTANCES + providers.get(name, name)
    return found


def host_ports(cfn: TemplateSet, stack: str) -> tuple[range, ...]:
    """The host ports the task definition in ``stack`` listens on, or none for an awsvpc task:
    the container ports in host mode; in bridge mode each fixed host port, and ECS's whole
    dynamic range for a mapping without one."""
    found: list[range] = []
    for task in cfn.resources("AWS::ECS::TaskDefinition", stack):
        mode = str(task.properties.get("NetworkMode", "bridge"))
        if mode not in ("bridge", "host"):
            continue
        for container in task.properties.get("ContainerDefinitions", []):
            for mapping in container.get("PortMappings", []):
                fixed = int(mapping.get("HostPort") or (mapping["ContainerPort"] if mode == "host" else 0))
                found.append(range(fixed, fixed + 1) if fixed else DYNAMIC_HOST_PORTS)
    return tuple(found)


OnInstances = Mapping[str, list[tuple[str, tuple[range, ...]]]]  # group → (service, host ports)


def expand(flows: Iterable[Flow], on_instances: OnInstances) -> tuple[Flow, ...]:
    """``flows`` with each flow into a group's instances replaced by one flow into each service
    of ``on_instances[group]`` (name, host ports) that listens on a port the rule covers."""
    result: list[Flow] = []
    for flow in flows:
        if not flow.target.startswith(INSTANCES):
            result.append(flow)
            continue
        for service, ports in on_instances.get(flow.target.removeprefix(INSTANCES), []):
            if _covers(flow.port, ports):
                result.append(Flow(flow.source, service_node(service), flow.port))
    return tuple(dict.fromkeys(result))


def _covers(rule: str, ports: tuple[range, ...]) -> bool:
    if rule == "all":
        return bool(ports)
    low, _, high = rule.partition("-")
    return any(int(low) < listened.stop and listened.start <= int(high or low) for listened in ports)
