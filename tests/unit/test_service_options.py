"""``EcsService`` options: target tracking (``auto_scale``), the revision pin and encrypted
service-managed EBS volumes; and ``CallerIngress`` between two stacks."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_kms as kms

from constructs_lib import (
    CallerIngress,
    ContainerProps,
    EcsCluster,
    EcsService,
    EncryptedEbsVolume,
    MountProps,
    Network,
    TargetTracking,
    VersionedTaskDefinition,
)
from tests.harness import make_app, new_stack

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27")
KEY = "arn:aws:kms:us-east-1:123456789012:key/aaaaaaaa-1111-2222-3333-444444444444"
PINNED = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-test-web:7"


def service(stack: cdk.Stack, **props: Any) -> EcsService:
    network = Network(stack, "Network")
    cluster = EcsCluster(stack, "Cluster", vpc=network.vpc)
    task = VersionedTaskDefinition(
        stack,
        "Task",
        family="shop-test-web",
        cpu=256,
        memory_mib=512,
        containers=[ContainerProps("web", IMAGE, port=8080, mounts=[MountProps("data", "/data")])],
        volumes=[ecs.Volume(name="data", configured_at_launch=True)],
    )
    return EcsService(
        stack,
        "Service",
        cluster=cluster.cluster,
        task_definition=task.task_definition,
        service_name="web",
        desired_count=None,
        vpc_subnets=network.private_subnets,
        capacity_provider_strategies=[ecs.CapacityProviderStrategy(capacity_provider="FARGATE", weight=1)],
        **props,
    )


def target_group(stack: cdk.Stack, web: EcsService) -> elbv2.ApplicationTargetGroup:
    balancer = elbv2.ApplicationLoadBalancer(stack, "Balancer", vpc=web.service.cluster.vpc)
    listener = balancer.add_listener("Http", port=80, open=False)
    return listener.add_targets("Web", port=8080, targets=[web.service])


def tracking_policies(template: assertions.Template) -> dict[str, Any]:
    policies = template.find_resources("AWS::ApplicationAutoScaling::ScalingPolicy").values()
    return {
        p["Properties"]["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"][
            "PredefinedMetricType"
        ]: p["Properties"]["TargetTrackingScalingPolicyConfiguration"]
        for p in policies
    }


def test_auto_scale_tracks_each_target_with_the_cooldowns() -> None:
    stack = new_stack()
    web = service(stack)
    web.auto_scale(
        TargetTracking(min_count=2, max_count=6, memory_percent=70, requests_per_target=500),
        target_group=target_group(stack, web),
    )
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {"MinCapacity": 2, "MaxCapacity": 6, "ScalableDimension": "ecs:service:DesiredCount"},
    )
    policies = tracking_policies(template)
    assert set(policies) == {
        "ECSServiceAverageCPUUtilization",
        "ECSServiceAverageMemoryUtilization",
        "ALBRequestCountPerTarget",
    }
    assert {
        k: (v["TargetValue"], v["ScaleInCooldown"], v["ScaleOutCooldown"]) for k, v in policies.items()
    } == {
        "ECSServiceAverageCPUUtilization": (60, 120, 30),
        "ECSServiceAverageMemoryUtilization": (70, 120, 30),
        "ALBRequestCountPerTarget": (500, 120, 30),
    }


def test_auto_scale_defaults_to_one_to_four_tasks_at_60_percent_cpu() -> None:
    stack = new_stack()
    service(stack).auto_scale(TargetTracking())
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget", {"MinCapacity": 1, "MaxCapacity": 4}
    )
    assert list(tracking_policies(template)) == ["ECSServiceAverageCPUUtilization"]


@pytest.mark.parametrize(
    ("tracking", "message"),
    [
        (TargetTracking(min_count=5, max_count=2), "min_count=5, max_count=2"),
        (TargetTracking(cpu_percent=None), "sets no target"),
        (TargetTracking(requests_per_target=100), "requests_per_target=100 needs the target_group"),
    ],
)
def test_auto_scale_rejects_what_cannot_work(tracking: TargetTracking, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        service(new_stack()).auto_scale(tracking)


def test_a_pinned_revision_is_the_one_the_service_runs() -> None:
    stack = new_stack()
    pin = ecs.TaskDefinition.from_task_definition_arn(stack, "Pin", PINNED)
    web = service(stack, pinned_task_definition=pin)
    assert web.task_definition_arn == PINNED
    [properties] = [
        s["Properties"]
        for s in assertions.Template.from_stack(stack).find_resources("AWS::ECS::Service").values()
    ]
    assert properties["TaskDefinition"] == PINNED


def test_without_a_pin_the_service_runs_its_task_definition() -> None:
    stack = new_stack()
    web = service(stack)
    [properties] = [
        s["Properties"]
        for s in assertions.Template.from_stack(stack).find_resources("AWS::ECS::Service").values()
    ]
    assert properties["TaskDefinition"] == stack.resolve(web.task_definition_arn)
    assert list(properties["TaskDefinition"]) == ["Ref"]


def test_a_pin_of_another_family_is_refused() -> None:
    stack = new_stack()
    other = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-test-api:3"
    pin = ecs.TaskDefinition.from_task_definition_arn(stack, "Pin", other)
    with pytest.raises(ValueError, match=r"pinned_task_definition=.*shop-test-api:3.*family 'shop-test-web'"):
        service(stack, pinned_task_definition=pin)


def ebs_volume_configuration(stack: cdk.Stack, volume: EncryptedEbsVolume) -> dict[str, Any]:
    service(stack, volume_configurations=[volume])
    [properties] = [
        s["Properties"]
        for s in assertions.Template.from_stack(stack).find_resources("AWS::ECS::Service").values()
    ]
    [configuration] = properties["VolumeConfigurations"]
    return dict(configuration)


def test_encrypted_ebs_volume_defaults_to_gp3_and_the_account_key() -> None:
    stack = new_stack()
    data = ebs_volume_configuration(
        stack, EncryptedEbsVolume(stack, "Volume-data", name="data", size=cdk.Size.gibibytes(20))
    )
    role = data["ManagedEBSVolume"]["RoleArn"]["Fn::GetAtt"][0]
    assert data == {
        "ManagedEBSVolume": {
            "Encrypted": True,
            "RoleArn": {"Fn::GetAtt": [role, "Arn"]},
            "SizeInGiB": 20,
            "VolumeType": "gp3",
        },
        "Name": "data",
    }
    assert role.startswith("VolumedataEBSRole")  # the construct ID names the infrastructure role


def test_encrypted_ebs_volume_with_its_own_type_and_key() -> None:
    stack = new_stack()
    key = kms.Key.from_key_arn(stack, "Key", KEY)
    volume = EncryptedEbsVolume(
        stack,
        "Volume-data",
        name="data",
        size=cdk.Size.gibibytes(50),
        volume_type=ec2.EbsDeviceVolumeType.GP2,
        encryption_key=key,
    )
    managed = ebs_volume_configuration(stack, volume)["ManagedEBSVolume"]
    assert (managed["Encrypted"], managed["VolumeType"], managed["SizeInGiB"]) == (True, "gp2", 50)
    assert managed["KmsKeyId"] == "aaaaaaaa-1111-2222-3333-444444444444"  # CloudFormation takes the key id


def test_caller_ingress_lives_in_the_callers_stack_under_its_construct_id() -> None:
    app = make_app()
    env = cdk.Environment(account="123456789012", region="us-east-1")
    network_stack = cdk.Stack(app, "Net", env=env)
    vpc = Network(network_stack, "Network").vpc
    callee_stack = cdk.Stack(app, "Api", env=env)
    callee = ec2.SecurityGroup(callee_stack, "Group", vpc=vpc)
    caller_stack = cdk.Stack(app, "Web", env=env)
    caller = ec2.SecurityGroup(caller_stack, "Group", vpc=vpc)
    ingress = CallerIngress(
        caller_stack, "To-api", caller=caller, callee=callee, port=ec2.Port.tcp(8080), description="from web"
    )
    app.synth()  # the callee's stack never refers back to its caller
    rules = assertions.Template.from_stack(caller_stack).find_resources("AWS::EC2::SecurityGroupIngress")
    assert list(rules) == ["Toapi"]
    properties = rules["Toapi"]["Properties"]
    assert properties["GroupId"]["Fn::ImportValue"].startswith("Api:ExportsOutputFnGetAttGroup")
    assert {k: v for k, v in properties.items() if k != "GroupId"} == {
        "Description": "from web",
        "FromPort": 8080,
        "IpProtocol": "tcp",
        "SourceSecurityGroupId": {
            "Fn::GetAtt": [caller_stack.get_logical_id(caller.node.default_child), "GroupId"]
        },
        "ToPort": 8080,
    }
    assert caller_stack.resolve(ingress.rule.from_port) == 8080
    callee_template = assertions.Template.from_stack(callee_stack)
    callee_template.resource_count_is("AWS::EC2::SecurityGroupIngress", 0)
    assert "Web" not in str(callee_template.to_json())


def test_caller_ingress_needs_exactly_one_group_on_each_side() -> None:
    stack = new_stack()
    vpc = Network(stack, "Network").vpc
    groups = [ec2.SecurityGroup(stack, f"Group{i}", vpc=vpc) for i in range(3)]
    two = ec2.Connections(security_groups=groups[:2])
    with pytest.raises(ValueError, match="caller has 2 security groups; CallerIngress needs exactly 1"):
        CallerIngress(stack, "Rule", caller=two, callee=groups[2], port=ec2.Port.tcp(80))
