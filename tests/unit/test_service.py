"""``EcsService``: capacity provider strategy only, safe deployments, private networking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

from constructs_lib import (
    Capacity,
    ContainerProps,
    Ec2CapacityGroup,
    EcsCluster,
    EcsService,
    ManagedInstancesGroup,
    Network,
    VersionedTaskDefinition,
)
from tests.harness import new_stack

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27")


def build(
    capacity: Capacity = Capacity.FARGATE,
    before_synth: Callable[[EcsService], None] | None = None,
    **props: Any,
) -> tuple[EcsService, assertions.Template]:
    stack = new_stack()
    network = Network(stack, "Network")
    cluster = EcsCluster(
        stack,
        "Cluster",
        vpc=network.vpc,
        ec2_capacity=[Ec2CapacityGroup(name="general", instance_types=[ec2.InstanceType("t3.medium")])],
    )
    task = VersionedTaskDefinition(
        stack,
        "Task",
        family="f",
        cpu=256,
        memory_mib=512,
        capacity=capacity,
        containers=[ContainerProps("web", IMAGE, port=8080)],
    )
    provider = "FARGATE" if capacity is Capacity.FARGATE else cluster.capacity_provider_names["general"]
    service = EcsService(
        stack,
        "Service",
        cluster=cluster.cluster,
        task_definition=task.task_definition,
        service_name="web",
        vpc_subnets=network.private_subnets,
        capacity_provider_strategies=props.pop(
            "capacity_provider_strategies",
            [ecs.CapacityProviderStrategy(capacity_provider=provider, weight=1)],
        ),
        **props,
    )
    if before_synth:
        before_synth(service)
    return service, assertions.Template.from_stack(stack)


@pytest.fixture(scope="module")
def fargate() -> tuple[EcsService, assertions.Template]:
    return build()


def service_properties(template: assertions.Template) -> dict[str, Any]:
    [service] = template.find_resources("AWS::ECS::Service").values()
    return dict(service["Properties"])


def test_strategy_and_never_a_launch_type(fargate: tuple[EcsService, assertions.Template]) -> None:
    properties = service_properties(fargate[1])
    assert "LaunchType" not in properties
    assert properties["CapacityProviderStrategy"] == [{"CapacityProvider": "FARGATE", "Weight": 1}]


def test_circuit_breaker_with_rollback_and_100_200(fargate: tuple[EcsService, assertions.Template]) -> None:
    assert service_properties(fargate[1])["DeploymentConfiguration"] == {
        "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
        "MaximumPercent": 200,
        "MinimumHealthyPercent": 100,
        "Strategy": "ROLLING",
    }


def test_private_no_public_ip_latest_platform(fargate: tuple[EcsService, assertions.Template]) -> None:
    properties = service_properties(fargate[1])
    assert properties["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"] == "DISABLED"
    assert properties["PlatformVersion"] == "LATEST"
    assert properties["PropagateTags"] == "SERVICE"


def test_own_security_group_without_ingress(fargate: tuple[EcsService, assertions.Template]) -> None:
    groups = fargate[1].find_resources(
        "AWS::EC2::SecurityGroup", {"Properties": {"GroupDescription": "ECS service web"}}
    )
    [group] = groups.values()
    assert "SecurityGroupIngress" not in group["Properties"]


def test_no_min_healthy_percent_warning() -> None:
    service, _ = build()
    annotations = assertions.Annotations.from_stack(service.service.stack)
    annotations.has_no_warning("*", assertions.Match.string_like_regexp(".*minHealthyPercent.*"))


def test_ec2_capacity_gives_an_ec2_service_with_the_group_strategy() -> None:
    service, template = build(capacity=Capacity.EC2)
    assert isinstance(service.service, ecs.Ec2Service)
    properties = service_properties(template)
    assert "LaunchType" not in properties
    [item] = properties["CapacityProviderStrategy"]
    assert item["CapacityProvider"]["Ref"].startswith("ClusterEc2generalCapacityProvider")


def test_managed_instances_task_uses_a_strategy_and_no_fargate_platform() -> None:
    stack = new_stack()
    network = Network(stack, "Network")
    cluster = EcsCluster(
        stack,
        "Cluster",
        vpc=network.vpc,
        vpc_subnets=network.private_subnets,
        managed_instances=[ManagedInstancesGroup(name="flex", capacity_provider_name="cp-flex")],
    )
    task = VersionedTaskDefinition(
        stack,
        "Task",
        family="f",
        cpu=256,
        memory_mib=512,
        capacity=Capacity.MANAGED_INSTANCES,
        containers=[ContainerProps("web", IMAGE, port=8080)],
    )
    EcsService(
        stack,
        "Service",
        cluster=cluster.cluster,
        task_definition=task.task_definition,
        vpc_subnets=network.private_subnets,
        capacity_provider_strategies=[ecs.CapacityProviderStrategy(capacity_provider="cp-flex", weight=1)],
    )
    template = assertions.Template.from_stack(stack)
    properties = service_properties(template)
    assert properties["CapacityProviderStrategy"] == [{"CapacityProvider": "cp-flex", "Weight": 1}]
    assert "LaunchType" not in properties and "PlatformVersion" not in properties
    [definition] = template.find_resources("AWS::ECS::TaskDefinition").values()
    assert definition["Properties"]["RequiresCompatibilities"] == ["MANAGED_INSTANCES"]


def test_connections_open_only_what_is_asked() -> None:
    def open_port(service: EcsService) -> None:
        service.connections.allow_from(ec2.Peer.ipv4("10.0.0.0/16"), ec2.Port.tcp(8080))

    _, template = build(before_synth=open_port)
    [group] = template.find_resources(
        "AWS::EC2::SecurityGroup", {"Properties": {"GroupDescription": "ECS service web"}}
    ).values()
    [rule] = group["Properties"]["SecurityGroupIngress"]
    assert (rule["FromPort"], rule["ToPort"], rule["CidrIp"]) == (8080, 8080, "10.0.0.0/16")


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"capacity_provider_strategies": []}, "at least one provider"),
        ({"desired_count": -1}, "desired_count=-1"),
        ({"min_healthy_percent": 100, "max_healthy_percent": 100}, "max > min"),
    ],
)
def test_invalid_props(props: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build(**props)
