"""``EcsCluster``: capacity providers, launch-template hardening, managed scaling/draining."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

from constructs_lib import Ec2CapacityGroup, EcsCluster, Network
from tests.harness import cdk_context, new_stack

Match = assertions.Match


def build(**props: Any) -> tuple[EcsCluster, assertions.Template]:
    stack = new_stack()
    network = Network(stack, "Network")
    cluster = EcsCluster(stack, "Cluster", vpc=network.vpc, vpc_subnets=network.private_subnets, **props)
    return cluster, assertions.Template.from_stack(stack)


@pytest.fixture(scope="module")
def mixed() -> tuple[EcsCluster, assertions.Template]:
    return build(
        cluster_name="shop-test",
        ec2_capacity=[
            Ec2CapacityGroup(
                name="general", instance_type=ec2.InstanceType("t3.medium"), min_capacity=1, max_capacity=3
            ),
            Ec2CapacityGroup(
                name="graviton",
                instance_type=ec2.InstanceType("m7g.large"),
                capacity_provider_name="cp-shop-test-graviton",
            ),
        ],
    )


def test_enhanced_container_insights_by_default(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    mixed[1].has_resource_properties(
        "AWS::ECS::Cluster",
        {"ClusterName": "shop-test", "ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}]},
    )


def test_fargate_and_spot_providers_are_associated(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    mixed[1].has_resource_properties(
        "AWS::ECS::ClusterCapacityProviderAssociations",
        {"CapacityProviders": Match.array_with(["FARGATE", "FARGATE_SPOT"])},
    )


def test_ec2_capacity_providers_have_managed_scaling_termination_protection_and_draining(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    providers = mixed[1].find_resources("AWS::ECS::CapacityProvider")
    assert len(providers) == 2
    for provider in providers.values():
        asg_provider = provider["Properties"]["AutoScalingGroupProvider"]
        assert asg_provider["ManagedScaling"]["Status"] == "ENABLED"
        assert asg_provider["ManagedTerminationProtection"] == "ENABLED"
        assert asg_provider["ManagedDraining"] == "ENABLED"


def test_instances_are_protected_from_scale_in(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    groups = mixed[1].find_resources("AWS::AutoScaling::AutoScalingGroup")
    assert len(groups) == 2
    assert all(g["Properties"]["NewInstancesProtectedFromScaleIn"] is True for g in groups.values())


def test_groups_use_launch_templates_never_launch_configurations(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    template = mixed[1]
    template.resource_count_is("AWS::AutoScaling::LaunchConfiguration", 0)
    for group in template.find_resources("AWS::AutoScaling::AutoScalingGroup").values():
        assert "LaunchTemplate" in group["Properties"]


def test_launch_template_requires_imdsv2_hop_limit_1_encrypted_ebs_no_public_ip(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    templates = mixed[1].find_resources("AWS::EC2::LaunchTemplate")
    assert len(templates) == 2
    for launch_template in templates.values():
        data = launch_template["Properties"]["LaunchTemplateData"]
        assert data["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}
        assert data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
        assert data["NetworkInterfaces"][0]["AssociatePublicIpAddress"] is False


def test_user_data_blocks_imds_for_awsvpc_tasks_and_joins_the_cluster(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    for launch_template in mixed[1].find_resources("AWS::EC2::LaunchTemplate").values():
        parts = launch_template["Properties"]["LaunchTemplateData"]["UserData"]["Fn::Base64"]["Fn::Join"][1]
        text = "".join(p for p in parts if isinstance(p, str))
        assert "ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config" in text
        assert "ECS_CLUSTER=" in text


def test_ami_is_ecs_optimised_al2023_for_the_instance_architecture(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    # The AMI id is a context lookup pinned in cdk.context.json; without that context the
    # template carries CDK's placeholder, which names the SSM parameter that was looked up.
    context = cdk_context()

    def expected(parameter: str) -> str:
        key = f"ssm:account=123456789012:parameterName={parameter}:region=us-east-1"
        return str(context.get(key, f"dummy-value-for-{parameter}"))

    images = {
        lt["Properties"]["LaunchTemplateData"]["InstanceType"]: lt["Properties"]["LaunchTemplateData"][
            "ImageId"
        ]
        for lt in mixed[1].find_resources("AWS::EC2::LaunchTemplate").values()
    }
    assert images == {
        "t3.medium": expected("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"),
        "m7g.large": expected("/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"),
    }


def test_capacity_provider_names(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    names = mixed[0].capacity_provider_names
    assert names["FARGATE"] == "FARGATE" and names["FARGATE_SPOT"] == "FARGATE_SPOT"
    assert names["graviton"] == "cp-shop-test-graviton"
    mixed[1].has_resource_properties("AWS::ECS::CapacityProvider", {"Name": "cp-shop-test-graviton"})


def test_fargate_only_cluster_has_no_instances() -> None:
    _, template = build()
    template.resource_count_is("AWS::AutoScaling::AutoScalingGroup", 0)
    template.resource_count_is("AWS::ECS::CapacityProvider", 0)


def test_insights_level_is_configurable() -> None:
    _, template = build(container_insights=ecs.ContainerInsights.ENABLED)
    template.has_resource_properties(
        "AWS::ECS::Cluster", {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]}
    )


def test_cluster_without_capacity_is_rejected() -> None:
    with pytest.raises(ValueError, match="needs capacity"):
        build(fargate=False)


def test_duplicate_group_names_are_rejected() -> None:
    group = Ec2CapacityGroup(name="a", instance_type=ec2.InstanceType("t3.small"))
    with pytest.raises(ValueError, match="repeated: \\['a'\\]"):
        build(ec2_capacity=[group, group])


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"min_capacity": 3, "max_capacity": 2}, "min_capacity=3"),
        ({"target_capacity_percent": 0}, "target_capacity_percent=0"),
        ({"root_volume_gib": 4}, "root_volume_gib=4"),
        ({"capacity_provider_name": "ecs-reserved"}, "not starting with aws, ecs or fargate"),
    ],
)
def test_invalid_group_props(props: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Ec2CapacityGroup(name="g", instance_type=ec2.InstanceType("t3.small"), **props)
