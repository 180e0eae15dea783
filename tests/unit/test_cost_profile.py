"""``environment.cost_profile: dev``: its defaults, explicit settings winning over them, and the
hardened NAT instance and dual-stack VPC it asks ``Network`` for."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2

from config import parse_spec
from config.schema import AppSpec
from constructs_lib import Network
from tests.harness import SynthesisCache, new_stack, resources_of_type
from tests.spec_problems import problems_raised_by

BASE: dict[str, Any] = {
    "app": "shop",
    "environment": {"name": "dev", "account": "111111111111", "region": "eu-west-1", "target": "aws"},
    "services": {
        "api": {"image": "public.ecr.aws/nginx/nginx-unprivileged:1.27", "port": 8080, "user": "101"}
    },
}


def spec_with(profile: str | None = "dev", **sections: Any) -> AppSpec:
    data = {**BASE, **sections}
    if profile:
        data["environment"] = {**BASE["environment"], "cost_profile": profile}
    return parse_spec(yaml.safe_dump(data))


def test_dev_profile_fills_the_keys_the_file_leaves_out() -> None:
    spec = spec_with()
    assert (spec.network.nat, spec.network.ipv6, spec.network.interface_endpoints) == (
        "instance",
        True,
        False,
    )
    assert [item.provider for item in spec.cluster.default_capacity] == ["FARGATE_SPOT"]
    assert spec.strategy_for("api")[0].provider == "FARGATE_SPOT"
    assert spec.load_balancer.public_ipv4 is False  # IPv6 clients only: no public IPv4 charges


@pytest.mark.parametrize("profile", [None, "standard"])
def test_the_standard_profile_changes_nothing(profile: str | None) -> None:
    spec = spec_with(profile)
    assert (spec.network.nat, spec.network.ipv6) == ("gateway", False)
    assert [item.provider for item in spec.cluster.default_capacity] == ["FARGATE"]
    assert spec.environment.cost_profile == "standard"


def test_explicit_settings_win_over_the_profile() -> None:
    spec = spec_with(
        network={"nat": "gateway", "ipv6": False, "interface_endpoints": True},
        cluster={
            "default_capacity": [
                {"provider": "FARGATE", "base": 1},
                {"provider": "FARGATE_SPOT", "weight": 2},
            ]
        },
    )
    assert (spec.network.nat, spec.network.ipv6, spec.network.interface_endpoints) == ("gateway", False, True)
    assert [item.provider for item in spec.cluster.default_capacity] == ["FARGATE", "FARGATE_SPOT"]
    assert spec.load_balancer.public_ipv4 is True  # an IPv4-only VPC keeps public IPv4 load balancers


def test_a_load_balancer_without_public_ipv4_needs_a_dual_stack_vpc() -> None:
    [problem] = problems_raised_by(lambda: spec_with(None, load_balancer={"public_ipv4": False}))
    assert problem.startswith("load_balancer.public_ipv4") and "network.ipv6: true" in problem


def test_without_fargate_the_cluster_keeps_its_own_default_strategy() -> None:
    spec = spec_with(
        cluster={
            "fargate": False,
            "ec2_capacity": {"general": {}},
            "default_capacity": [{"provider": "general"}],
        }
    )
    assert [item.provider for item in spec.cluster.default_capacity] == ["general"]


def test_an_unknown_profile_names_its_path_and_the_allowed_ones() -> None:
    [problem] = problems_raised_by(lambda: spec_with("cheap"))
    assert problem.startswith("environment.cost_profile") and "'standard' or 'dev'" in problem


def test_dev_yaml_uses_the_profile(synth_cache: SynthesisCache) -> None:
    spec = synth_cache.get("dev").spec
    assert spec.environment.cost_profile == "dev" and spec.network.nat == "instance"
    ingress = synth_cache.get("dev").templates["shop-dev-ingress"]
    [balancer] = resources_of_type(ingress, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    assert balancer["Properties"]["IpAddressType"] == "dualstack-without-public-ipv4"
    [group] = resources_of_type(ingress, "AWS::EC2::SecurityGroup").values()
    world = [r for r in group["Properties"]["SecurityGroupIngress"] if "CidrIpv6" in r]
    assert sorted((r["CidrIpv6"], r["FromPort"]) for r in world) == [("::/0", 80), ("::/0", 443)]
    assert not any(r.get("CidrIp") == "0.0.0.0/0" for r in group["Properties"]["SecurityGroupIngress"])


@pytest.fixture(scope="module")
def nat_template() -> assertions.Template:
    stack = new_stack()
    Network(stack, "Network", nat_instance_type=ec2.InstanceType("t4g.nano"), ipv6=True)
    return assertions.Template.from_stack(stack)


def test_nat_instance_replaces_the_nat_gateway_and_keeps_tasks_private(
    nat_template: assertions.Template,
) -> None:
    nat_template.resource_count_is("AWS::EC2::NatGateway", 0)
    nat_template.resource_count_is("AWS::EC2::EIP", 0)
    [instance] = nat_template.find_resources("AWS::EC2::Instance").values()
    props = instance["Properties"]
    assert props["InstanceType"] == "t4g.nano" and props["SourceDestCheck"] is False
    assert props["CreditSpecification"] == {"CPUCredits": "standard"}
    [nic] = props["NetworkInterfaces"]
    assert nic["AssociatePublicIpAddress"] is True
    routes = nat_template.find_resources(
        "AWS::EC2::Route", {"Properties": {"DestinationCidrBlock": "0.0.0.0/0"}}
    )
    private = [r for r in routes.values() if "InstanceId" in r["Properties"]]
    assert len(private) == 2  # each private subnet reaches the internet through the instance
    for subnet in resources_of_type(nat_template.to_json(), "AWS::EC2::Subnet").values():
        assert subnet["Properties"]["MapPublicIpOnLaunch"] is False


def test_nat_instance_is_hardened(nat_template: assertions.Template) -> None:
    [instance] = nat_template.find_resources("AWS::EC2::Instance").values()
    props = instance["Properties"]
    assert props["MetadataOptions"] == {
        "HttpEndpoint": "enabled",
        "HttpTokens": "required",
        "HttpPutResponseHopLimit": 1,
    }
    [volume] = props["BlockDeviceMappings"]
    assert volume["Ebs"]["Encrypted"] is True and volume["Ebs"]["VolumeType"] == "gp3"
    [group] = nat_template.find_resources(
        "AWS::EC2::SecurityGroup", {"Properties": {"GroupDescription": "Security Group for NAT instances"}}
    ).values()
    [rule] = group["Properties"]["SecurityGroupIngress"]
    assert (rule["CidrIp"], rule["IpProtocol"]) == ("10.0.0.0/16", "-1")


def test_ipv6_makes_the_vpc_dual_stack_with_egress_only_ipv6_for_private_subnets(
    nat_template: assertions.Template,
) -> None:
    nat_template.has_resource_properties("AWS::EC2::VPCCidrBlock", {"AmazonProvidedIpv6CidrBlock": True})
    nat_template.resource_count_is("AWS::EC2::EgressOnlyInternetGateway", 1)
    for subnet in resources_of_type(nat_template.to_json(), "AWS::EC2::Subnet").values():
        assert "Ipv6CidrBlock" in subnet["Properties"]
    egress_only = nat_template.find_resources(
        "AWS::EC2::Route",
        {"Properties": {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": {}}},
    )
    assert len(egress_only) == 2


def test_without_the_options_the_network_is_unchanged() -> None:
    stack = new_stack()
    Network(stack, "Network")
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::NatGateway", 1)
    template.resource_count_is("AWS::EC2::Instance", 0)
    template.resource_count_is("AWS::EC2::VPCCidrBlock", 0)
