"""``VersionedTaskDefinition``: retained revisions, awsvpc, secure container defaults, logs."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import assertions
from aws_cdk import aws_ecs as ecs

from constructs_lib import Capacity, ContainerProps, VersionedTaskDefinition
from tests.harness import new_stack

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27")


def build(**overrides: Any) -> tuple[VersionedTaskDefinition, assertions.Template]:
    stack = new_stack()
    props: dict[str, Any] = {
        "family": "shop-test-web",
        "cpu": 256,
        "memory_mib": 512,
        "containers": [ContainerProps(name="web", image=IMAGE, port=8080, environment={"A": "1"})],
        "release_labels": {"deployer.version": "1.2.3"},
    }
    props.update(overrides)
    construct = VersionedTaskDefinition(stack, "TaskDefinition", **props)
    return construct, assertions.Template.from_stack(stack)


@pytest.fixture(scope="module")
def fargate() -> tuple[VersionedTaskDefinition, assertions.Template]:
    return build()


def test_replaced_revisions_are_retained(
    fargate: tuple[VersionedTaskDefinition, assertions.Template],
) -> None:
    fargate[1].has_resource(
        "AWS::ECS::TaskDefinition", {"UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"}
    )


def test_fargate_awsvpc_family_and_platform(
    fargate: tuple[VersionedTaskDefinition, assertions.Template],
) -> None:
    fargate[1].has_resource_properties(
        "AWS::ECS::TaskDefinition",
        {
            "Family": "shop-test-web",
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "Cpu": "256",
            "Memory": "512",
            "RuntimePlatform": {"CpuArchitecture": "X86_64", "OperatingSystemFamily": "LINUX"},
        },
    )
    assert fargate[0].family == "shop-test-web"


def test_container_is_read_only_with_named_port_and_labels(
    fargate: tuple[VersionedTaskDefinition, assertions.Template],
) -> None:
    fargate[1].has_resource_properties(
        "AWS::ECS::TaskDefinition",
        {
            "ContainerDefinitions": [
                assertions.Match.object_like(
                    {
                        "Name": "web",
                        "Essential": True,
                        "ReadonlyRootFilesystem": True,
                        "PortMappings": [{"ContainerPort": 8080, "Name": "web-8080", "Protocol": "tcp"}],
                        "Environment": [{"Name": "A", "Value": "1"}],
                        "DockerLabels": {"deployer.version": "1.2.3"},
                    }
                )
            ]
        },
    )


def test_no_privileged_or_host_modes(fargate: tuple[VersionedTaskDefinition, assertions.Template]) -> None:
    [definition] = fargate[1].find_resources("AWS::ECS::TaskDefinition").values()
    properties = definition["Properties"]
    assert "PidMode" not in properties and properties["NetworkMode"] != "host"
    assert all(not c.get("Privileged", False) for c in properties["ContainerDefinitions"])


def test_awslogs_non_blocking_to_a_retained_log_group(
    fargate: tuple[VersionedTaskDefinition, assertions.Template],
) -> None:
    [definition] = fargate[1].find_resources("AWS::ECS::TaskDefinition").values()
    logging = definition["Properties"]["ContainerDefinitions"][0]["LogConfiguration"]
    assert logging["LogDriver"] == "awslogs"
    assert logging["Options"]["mode"] == "non-blocking"
    assert logging["Options"]["max-buffer-size"] == "26214400b"
    fargate[1].has_resource(
        "AWS::Logs::LogGroup",
        {"Properties": {"RetentionInDays": 30}, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
    )


def test_separate_task_and_execution_roles(
    fargate: tuple[VersionedTaskDefinition, assertions.Template],
) -> None:
    [definition] = fargate[1].find_resources("AWS::ECS::TaskDefinition").values()
    properties = definition["Properties"]
    assert properties["TaskRoleArn"] != properties["ExecutionRoleArn"]


def test_ec2_capacity_omits_runtime_platform() -> None:
    _, template = build(capacity=Capacity.EC2)
    [definition] = template.find_resources("AWS::ECS::TaskDefinition").values()
    assert definition["Properties"]["RequiresCompatibilities"] == ["EC2"]
    assert "RuntimePlatform" not in definition["Properties"]


def test_same_inputs_give_identical_templates() -> None:
    assert build()[1].to_json() == build()[1].to_json()


@pytest.mark.parametrize(
    ("containers", "message"),
    [
        ([], "containers must not be empty"),
        ([ContainerProps("a", IMAGE), ContainerProps("a", IMAGE)], "container names repeat"),
        ([ContainerProps("a", IMAGE, essential=False)], "at least one container must be essential"),
    ],
)
def test_invalid_containers(containers: list[ContainerProps], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build(containers=containers)
