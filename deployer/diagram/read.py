"""Fill a ``Picture`` from an environment's spec and its synthesised templates (pure).

The templates say what a deploy creates (subnets, listeners and rules, security group rules,
containers, Service Connect names, queues, schedules); the spec says what each thing is for
(service kinds, load balancer names, capacity group settings). Network paths come from the
security group rules alone: the picture shows what the templates allow (for bridge and host
tasks, the rules into their EC2 group's instances: ``deployer.diagram.instances``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from config import naming
from config.schema import FARGATE_PROVIDERS, AppSpec
from deployer.diagram.instances import expand, host_ports, instance_groups
from deployer.diagram.model import (
    CapacityProvider,
    Cluster,
    Container,
    Picture,
    Placement,
    Queue,
    Service,
    service_node,
)
from deployer.diagram.network import read_flows, read_network, security_group_owners
from deployer.diagram.routes import read_load_balancers
from deployer.diagram.templates import Resource, Templates, TemplateSet
from deployer.diagram.workflows import describe_schedule, read_workflows, triggers


def read_picture(spec: AppSpec, templates: Templates) -> Picture:
    """The picture of ``spec``'s environment from its ``templates`` (stack name → template,
    as ``deployer.cdk.synth.synthesise_templates`` returns them)."""
    cfn = TemplateSet(templates)
    stacks = {naming.service_stack_name(spec, name): name for name in spec.services}
    balancers = read_load_balancers(spec, cfn, stacks)
    owners = security_group_owners(cfn)
    for stack, name in stacks.items():
        for task in _task_launchers(cfn, stack):
            for group in _awsvpc(task).get("SecurityGroups", []):
                key = cfn.target(stack, group)
                if key is not None:
                    owners[key] = service_node(name)
    for balancer, groups in balancers:
        owners.update(dict.fromkeys(groups, balancer.node))
    providers = _provider_names(spec)
    owners.update(instance_groups(cfn, providers))
    on_instances: dict[str, list[tuple[str, tuple[range, ...]]]] = {}
    for stack, name in stacks.items():
        ports = host_ports(cfn, stack)
        for item in spec.strategy_for(name) if ports else ():
            on_instances.setdefault(item.provider, []).append((name, ports))
    network = read_network(cfn, spec.environment.region)
    return Picture(
        title=f"{naming.stack_prefix(spec)} ({spec.environment.target}, {spec.environment.region})",
        network=network,
        load_balancers=tuple(balancer for balancer, _ in balancers),
        cluster=_cluster(spec, cfn, providers),
        services=tuple(_service(spec, cfn, name, providers) for name in spec.services),
        flows=expand(read_flows(cfn, owners, network.cidr), on_instances),
        workflows=read_workflows(spec, cfn),
    )


def _provider_names(spec: AppSpec) -> dict[str, str]:
    """ECS capacity provider name → its name in the spec (``cp-shop-dev-spot`` → ``spot``)."""
    groups = [*spec.cluster.ec2_capacity, *spec.cluster.managed_instances]
    return {
        **{name: name for name in FARGATE_PROVIDERS},
        **{naming.capacity_provider_name(spec, group): group for group in groups},
    }


def _cluster(spec: AppSpec, cfn: TemplateSet, providers: Mapping[str, str]) -> Cluster:
    stack = naming.cluster_stack_name(spec)
    cluster = next(cfn.resources("AWS::ECS::Cluster", stack))
    namespaces = [str(ns.properties["Name"]) for ns in cfn.resources("AWS::ServiceDiscovery::HttpNamespace")]
    found = []
    for association in cfn.resources("AWS::ECS::ClusterCapacityProviderAssociations", stack):
        for entry in association.properties.get("CapacityProviders", []):
            provider = cfn.get(cfn.target(stack, entry))
            ecs_name = str(provider.properties.get("Name", provider.logical_id)) if provider else str(entry)
            name = providers.get(ecs_name, ecs_name)
            found.append(CapacityProvider(name, _provider_detail(spec, name)))
    return Cluster(
        name=str(cluster.properties.get("ClusterName", naming.cluster_name(spec))),
        namespace=namespaces[0] if namespaces else "",
        providers=tuple(found),
    )


def _provider_detail(spec: AppSpec, name: str) -> str:
    if name in FARGATE_PROVIDERS:
        return "Fargate Spot" if name.endswith("SPOT") else "Fargate"
    if name in spec.cluster.managed_instances:
        managed = spec.cluster.managed_instances[name]
        spot = " Spot" if managed.spot else ""
        return f"Managed Instances{spot}, {managed.min_vcpus}-{managed.max_vcpus} vCPUs"
    group = spec.cluster.ec2_capacity.get(name)
    if group is None:
        return ""
    os_name = ", Bottlerocket" if group.ami == "bottlerocket" else ""
    return (
        f"EC2{' Spot' if group.spot else ''}{os_name}, {'/'.join(group.instance_types)}, "
        f"{group.min_capacity}-{group.max_capacity} instances"
    )


def _service(spec: AppSpec, cfn: TemplateSet, name: str, providers: Mapping[str, str]) -> Service:
    stack = naming.service_stack_name(spec, name)
    containers = tuple(
        Container(
            name=str(definition["Name"]),
            ports=tuple(int(mapping["ContainerPort"]) for mapping in definition.get("PortMappings", [])),
            essential=bool(definition.get("Essential", True)),
        )
        for task in cfn.resources("AWS::ECS::TaskDefinition", stack)
        for definition in task.properties.get("ContainerDefinitions", [])
    )
    launchers = list(_task_launchers(cfn, stack))
    strategy = [item for task in launchers for item in _ecs(task).get("CapacityProviderStrategy", [])]
    connect = [
        f"{alias['DnsName']}:{alias['Port']}"
        for task in launchers
        for served in task.properties.get("ServiceConnectConfiguration", {}).get("Services", [])
        for alias in served.get("ClientAliases", [])
    ]
    schedules = [
        describe_schedule(res.properties) for res in cfn.resources("AWS::Scheduler::Schedule", stack)
    ]
    return Service(
        name=name,
        kind=spec.services[name].kind,
        containers=containers,
        placement=tuple(
            Placement(
                providers.get(str(item["CapacityProvider"]), str(item["CapacityProvider"])),
                int(item.get("Weight", 0)),
                int(item.get("Base", 0)),
            )
            for item in strategy
        ),
        connect=tuple(connect),
        schedule=schedules[0] if schedules else None,
        queue=_queue(cfn, stack),
        triggers=triggers(cfn, stack),
    )


def _queue(cfn: TemplateSet, stack: str) -> Queue | None:
    """The stack's queue that redrives to a dead-letter queue (a job's own dead-letter queue,
    for runs that cannot start, is not a work queue)."""
    for res in cfn.resources("AWS::SQS::Queue", stack):
        redrive = res.properties.get("RedrivePolicy")
        if redrive:
            return Queue(int(res.properties.get("VisibilityTimeout", 30)), int(redrive["maxReceiveCount"]))
    return None


def _task_launchers(cfn: TemplateSet, stack: str) -> list[Resource]:
    """The stack's ECS services, schedules and EventBridge rules: what starts its tasks (a job
    with a schedule and triggers: the schedule, whose placement its rules share)."""
    found = [*cfn.resources("AWS::ECS::Service", stack), *cfn.resources("AWS::Scheduler::Schedule", stack)]
    rules = [rule for rule in cfn.resources("AWS::Events::Rule", stack) if _ecs(rule)]
    return found or rules[:1]


def _ecs(launcher: Resource) -> Mapping[str, Any]:
    """The ECS parameters of a service, or of a schedule's or a rule's RunTask target."""
    parameters: Mapping[str, Any]
    if launcher.type == "AWS::Scheduler::Schedule":
        parameters = launcher.properties.get("Target", {}).get("EcsParameters", {})
        return parameters
    if launcher.type == "AWS::Events::Rule":
        targets = launcher.properties.get("Targets", [])
        parameters = next((t["EcsParameters"] for t in targets if "EcsParameters" in t), {})
        return parameters
    return launcher.properties


def _awsvpc(launcher: Resource) -> Mapping[str, Any]:
    config: Mapping[str, Any] = _ecs(launcher).get("NetworkConfiguration", {}).get("AwsvpcConfiguration", {})
    return config
