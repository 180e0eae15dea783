"""``EcsCluster`` and ``AsgCapacity``: capacity providers, hardening, ECS Exec, lifecycle."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

from constructs_lib import AmiFamily, Ec2CapacityGroup, EcsCluster, ManagedInstancesGroup, Network
from tests.harness import cdk_context, new_stack

Match = assertions.Match


def types(*names: str) -> list[ec2.InstanceType]:
    return [ec2.InstanceType(n) for n in names]


def build(**props: Any) -> tuple[EcsCluster, assertions.Template]:
    stack = new_stack()
    network = Network(stack, "Network")
    cluster = EcsCluster(stack, "Cluster", vpc=network.vpc, vpc_subnets=network.private_subnets, **props)
    return cluster, assertions.Template.from_stack(stack)


GROUPS = [
    Ec2CapacityGroup(name="general", instance_types=types("t3.medium"), min_capacity=1, max_capacity=3),
    Ec2CapacityGroup(
        name="graviton", instance_types=types("m7g.large", "m6g.large"), capacity_provider_name="cp-graviton"
    ),
    Ec2CapacityGroup(name="spot", instance_types=types("t3.large", "t3a.large", "m5.large"), spot=True),
    Ec2CapacityGroup(name="rocket", instance_types=types("c6i.large"), ami=AmiFamily.BOTTLEROCKET),
]


@pytest.fixture(scope="module")
def mixed() -> tuple[EcsCluster, assertions.Template]:
    return build(
        cluster_name="shop-test",
        ec2_capacity=GROUPS,
        managed_instances=[ManagedInstancesGroup(name="flex", capacity_provider_name="cp-flex")],
    )


def launch_data(template: assertions.Template) -> dict[str, dict[str, Any]]:
    """Launch template data by construct path fragment (general, graviton, …)."""
    return {
        next(g.name for g in GROUPS if f"Ec2{g.name}" in logical_id): lt["Properties"]["LaunchTemplateData"]
        for logical_id, lt in template.find_resources("AWS::EC2::LaunchTemplate").items()
    }


def asg_by_group(template: assertions.Template) -> dict[str, dict[str, Any]]:
    return {
        next(g.name for g in GROUPS if f"Ec2{g.name}" in logical_id): asg
        for logical_id, asg in template.find_resources("AWS::AutoScaling::AutoScalingGroup").items()
    }


def user_data(data: dict[str, Any]) -> str:
    parts = data["UserData"]["Fn::Base64"]["Fn::Join"][1]
    return "".join(p for p in parts if isinstance(p, str))


def test_enhanced_container_insights_by_default(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    mixed[1].has_resource_properties(
        "AWS::ECS::Cluster",
        {"ClusterName": "shop-test", "ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}]},
    )


def test_every_provider_is_associated(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    [association] = mixed[1].find_resources("AWS::ECS::ClusterCapacityProviderAssociations").values()
    providers = association["Properties"]["CapacityProviders"]
    by_kind: dict[bool, set[str]] = {True: set(), False: set()}
    for logical_id, provider in mixed[1].find_resources("AWS::ECS::CapacityProvider").items():
        by_kind["AutoScalingGroupProvider" in provider["Properties"]].add(logical_id)
    assert providers[:2] == ["FARGATE", "FARGATE_SPOT"]
    assert {p["Ref"] for p in providers[2:]} == by_kind[True]
    assert len(by_kind[True]) == len(GROUPS)
    # A Managed Instances provider belongs to its cluster directly, not via the association.
    [managed] = by_kind[False]
    [cluster_id] = mixed[1].find_resources("AWS::ECS::Cluster")
    assert mixed[1].find_resources("AWS::ECS::CapacityProvider")[managed]["Properties"]["ClusterName"] == {
        "Ref": cluster_id
    }


def test_ec2_providers_have_managed_scaling_termination_protection_and_draining(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    providers = [
        p
        for p in mixed[1].find_resources("AWS::ECS::CapacityProvider").values()
        if "AutoScalingGroupProvider" in p["Properties"]
    ]
    assert len(providers) == len(GROUPS)
    for provider in providers:
        asg_provider = provider["Properties"]["AutoScalingGroupProvider"]
        assert asg_provider["ManagedScaling"]["Status"] == "ENABLED"
        assert asg_provider["ManagedTerminationProtection"] == "ENABLED"
        assert asg_provider["ManagedDraining"] == "ENABLED"


def test_instances_are_protected_from_scale_in(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    groups = asg_by_group(mixed[1])
    assert len(groups) == len(GROUPS)
    assert all(g["Properties"]["NewInstancesProtectedFromScaleIn"] is True for g in groups.values())


def test_launch_templates_never_launch_configurations(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    mixed[1].resource_count_is("AWS::AutoScaling::LaunchConfiguration", 0)
    for asg in asg_by_group(mixed[1]).values():
        properties = asg["Properties"]
        assert "LaunchTemplate" in properties or "LaunchTemplate" in properties["MixedInstancesPolicy"]


def test_launch_template_hardening(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    for data in launch_data(mixed[1]).values():
        assert data["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}
        assert data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
        assert data["BlockDeviceMappings"][0]["Ebs"]["VolumeType"] == "gp3"
        assert data["NetworkInterfaces"][0]["AssociatePublicIpAddress"] is False


def test_awsvpc_tasks_are_blocked_from_imds_on_every_ami(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    data = launch_data(mixed[1])
    for name in ("general", "graviton", "spot"):
        text = user_data(data[name])
        assert "echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config" in text
        assert "ECS_CLUSTER=" in text
    rocket = user_data(data["rocket"])
    assert rocket.index("[settings.ecs]") < rocket.index("awsvpc-block-imds = true")
    assert "cluster = " in rocket


def test_spot_group_diversifies_and_drains(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    spot = asg_by_group(mixed[1])["spot"]["Properties"]
    policy = spot["MixedInstancesPolicy"]
    assert [o["InstanceType"] for o in policy["LaunchTemplate"]["Overrides"]] == [
        "t3.large",
        "t3a.large",
        "m5.large",
    ]
    assert policy["InstancesDistribution"]["OnDemandPercentageAboveBaseCapacity"] == 0
    assert policy["InstancesDistribution"]["SpotAllocationStrategy"] == "price-capacity-optimized"
    assert spot["CapacityRebalance"] is True
    assert "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true" in user_data(launch_data(mixed[1])["spot"])


def test_on_demand_multi_type_group_stays_on_demand(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    graviton = asg_by_group(mixed[1])["graviton"]["Properties"]
    assert (
        graviton["MixedInstancesPolicy"]["InstancesDistribution"]["OnDemandPercentageAboveBaseCapacity"]
        == 100
    )
    assert "CapacityRebalance" not in graviton


def test_ami_family_and_architecture(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    # AMI ids are context lookups pinned in cdk.context.json; without that context the
    # template carries CDK's placeholder, which names the SSM parameter looked up.
    context = cdk_context()

    def expected(parameter: str) -> str:
        key = f"ssm:account=123456789012:parameterName={parameter}:region=us-east-1"
        return str(context.get(key, f"dummy-value-for-{parameter}"))

    images = {name: data["ImageId"] for name, data in launch_data(mixed[1]).items()}
    al2023 = "/aws/service/ecs/optimized-ami/amazon-linux-2023"
    assert images["general"] == expected(f"{al2023}/recommended/image_id")
    assert images["graviton"] == expected(f"{al2023}/arm64/recommended/image_id")
    assert images["rocket"] == expected("/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id")


def test_instance_role_has_agent_and_session_manager_rights_only(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    for role in mixed[1].find_resources("AWS::IAM::Role").values():
        if "ECS container instances" in role["Properties"].get("Description", ""):
            assert "ManagedPolicyArns" not in role["Properties"]  # Bottlerocket's are removed too
    roles = mixed[1].find_resources(
        "AWS::IAM::Role", {"Properties": {"Description": "ECS container instances of group general"}}
    )
    [role_id] = roles
    assert "ManagedPolicyArns" not in roles[role_id]["Properties"]
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in mixed[1].find_resources("AWS::IAM::Policy").values()
        if {"Ref": role_id} in p["Properties"]["Roles"]
    ]
    actions = {
        a
        for statements in policies
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert "ssmmessages:OpenDataChannel" in actions and "ecs:RegisterContainerInstance" in actions
    assert not any(a.endswith("*") for a in actions if not a.startswith("ecs:Submit"))


def test_instances_roll_one_at_a_time_on_template_change(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    for asg in asg_by_group(mixed[1]).values():
        rolling = asg["UpdatePolicy"]["AutoScalingRollingUpdate"]
        assert rolling["MaxBatchSize"] == 1
        assert "AutoScalingReplacingUpdate" not in asg["UpdatePolicy"]


def test_changing_instance_type_replaces_neither_cluster_nor_provider() -> None:
    def cluster_with(instance: str) -> assertions.Template:
        group = Ec2CapacityGroup(
            name="general", instance_types=types(instance), capacity_provider_name="cp-general"
        )
        return build(cluster_name="shop-test", ec2_capacity=[group])[1]

    before, after = cluster_with("t3.medium"), cluster_with("m5.large")
    for resource_type in (
        "AWS::ECS::Cluster",
        "AWS::ECS::CapacityProvider",
        "AWS::AutoScaling::AutoScalingGroup",
    ):
        assert before.find_resources(resource_type) == after.find_resources(resource_type), resource_type
    [lt_before] = before.find_resources("AWS::EC2::LaunchTemplate").items()
    [lt_after] = after.find_resources("AWS::EC2::LaunchTemplate").items()
    assert lt_before[0] == lt_after[0]  # same logical id: updated in place (new version)
    assert lt_after[1]["Properties"]["LaunchTemplateData"]["InstanceType"] == "m5.large"


def test_ecs_exec_is_encrypted_and_logged(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    template = mixed[1]
    [cluster] = template.find_resources("AWS::ECS::Cluster").values()
    configuration = cluster["Properties"]["Configuration"]["ExecuteCommandConfiguration"]
    assert configuration["Logging"] == "OVERRIDE"
    assert "KmsKeyId" in configuration
    assert configuration["LogConfiguration"]["CloudWatchEncryptionEnabled"] is True
    template.has_resource(
        "AWS::KMS::Key", {"Properties": {"EnableKeyRotation": True}, "DeletionPolicy": "Retain"}
    )
    log_group = template.find_resources(
        "AWS::Logs::LogGroup", {"Properties": {"RetentionInDays": 365, "KmsKeyId": Match.any_value()}}
    )
    assert len(log_group) == 1


def test_every_scaling_event_is_published_to_an_encrypted_tls_only_topic(
    mixed: tuple[EcsCluster, assertions.Template],
) -> None:
    template = mixed[1]
    [(topic_id, topic)] = template.find_resources(
        "AWS::SNS::Topic", {"Properties": {"DisplayName": "ECS capacity scaling events"}}
    ).items()
    assert "KmsMasterKeyId" in topic["Properties"]
    [policy] = [
        p
        for p in template.find_resources("AWS::SNS::TopicPolicy").values()
        if p["Properties"]["Topics"] == [{"Ref": topic_id}]
    ]
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }
    for asg in asg_by_group(template).values():
        [notification] = asg["Properties"]["NotificationConfigurations"]
        assert notification["TopicARN"] == {"Ref": topic_id}
        assert set(notification["NotificationTypes"]) == {
            "autoscaling:EC2_INSTANCE_LAUNCH",
            "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
            "autoscaling:EC2_INSTANCE_TERMINATE",
            "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
        }
    [key] = template.find_resources("AWS::KMS::Key").values()
    principals = [s["Principal"] for s in key["Properties"]["KeyPolicy"]["Statement"]]
    assert any("AWSServiceRoleForAutoScaling" in json.dumps(p) for p in principals)


def test_managed_instances_provider(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    [provider] = [
        p
        for p in mixed[1].find_resources("AWS::ECS::CapacityProvider").values()
        if "ManagedInstancesProvider" in p["Properties"]
    ]
    assert provider["Properties"]["Name"] == "cp-flex"
    launch = provider["Properties"]["ManagedInstancesProvider"]["InstanceLaunchTemplate"]
    requirements = launch["InstanceRequirements"]
    assert requirements["VCpuCount"] == {"Min": 2, "Max": 8}
    assert requirements["MemoryMiB"] == {"Min": 4096, "Max": 32768}


def test_capacity_provider_names(mixed: tuple[EcsCluster, assertions.Template]) -> None:
    names = mixed[0].capacity_provider_names
    assert names["FARGATE"] == "FARGATE" and names["FARGATE_SPOT"] == "FARGATE_SPOT"
    assert names["graviton"] == "cp-graviton" and names["flex"] == "cp-flex"


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
    group = Ec2CapacityGroup(name="a", instance_types=types("t3.small"))
    with pytest.raises(ValueError, match="repeated: \\['a'\\]"):
        build(ec2_capacity=[group], managed_instances=[ManagedInstancesGroup(name="a")])


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"instance_types": []}, "at least one type"),
        (
            {"instance_types": types("m7g.large", "m5.large")},
            "mix CPU architectures: m7g.large \\(arm64\\), m5.large \\(x86_64\\)",
        ),
        ({"min_capacity": 3, "max_capacity": 2}, "min_capacity=3"),
        ({"target_capacity_percent": 0}, "target_capacity_percent=0"),
        ({"root_volume_gib": 4}, "root_volume_gib=4"),
        ({"root_volume_gib": 29}, "root_volume_gib=29 is out of range; allowed: 30 to 16384"),
        (
            {"root_volume_gib": 19, "ami": AmiFamily.BOTTLEROCKET},
            "root_volume_gib=19 is out of range; allowed: 20 to 16384 \\(Bottlerocket's data volume",
        ),
        ({"capacity_provider_name": "ecs-reserved"}, "not starting with aws, ecs or fargate"),
    ],
)
def test_invalid_group_props(props: dict[str, Any], message: str) -> None:
    settings: dict[str, Any] = {"instance_types": types("t3.small"), **props}
    with pytest.raises(ValueError, match=message):
        Ec2CapacityGroup(name="g", **settings)


def test_a_root_volume_down_to_the_amis_snapshot_is_accepted() -> None:
    """The ECS-optimised AL2023 AMI's root snapshot is 30 GiB, Bottlerocket's data snapshot 20 GiB;
    a custom machine image's snapshot is EC2's to check."""
    Ec2CapacityGroup(name="g", instance_types=types("t3.small"), root_volume_gib=30)
    Ec2CapacityGroup(
        name="g", instance_types=types("t3.small"), root_volume_gib=20, ami=AmiFamily.BOTTLEROCKET
    )
    custom = ec2.MachineImage.generic_linux({"eu-west-1": "ami-0123456789abcdef0"})
    Ec2CapacityGroup(name="g", instance_types=types("t3.small"), root_volume_gib=8, machine_image=custom)


def test_invalid_managed_instances_bounds() -> None:
    with pytest.raises(ValueError, match="min_vcpus"):
        ManagedInstancesGroup(name="m", min_vcpus=8, max_vcpus=2)
