"""``Network``: subnets, NAT, flow logs, S3 endpoint, input validation."""

from __future__ import annotations

import pytest
from aws_cdk import assertions

from constructs_lib import Network
from tests.harness import new_stack


def template_of(**props: object) -> assertions.Template:
    stack = new_stack()
    Network(stack, "Network", **props)  # type: ignore[arg-type]
    return assertions.Template.from_stack(stack)


@pytest.fixture(scope="module")
def default_template() -> assertions.Template:
    return template_of()


def test_two_azs_with_public_and_private_subnets(default_template: assertions.Template) -> None:
    default_template.resource_count_is("AWS::EC2::Subnet", 4)
    default_template.has_resource_properties("AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16"})
    default_template.has_resource_properties(
        "AWS::EC2::Subnet", {"MapPublicIpOnLaunch": False, "AvailabilityZone": "us-east-1a"}
    )


def test_one_nat_gateway_by_default(default_template: assertions.Template) -> None:
    default_template.resource_count_is("AWS::EC2::NatGateway", 1)


def test_flow_logs_capture_all_traffic_to_a_retained_log_group(default_template: assertions.Template) -> None:
    default_template.has_resource_properties(
        "AWS::EC2::FlowLog", {"TrafficType": "ALL", "ResourceType": "VPC"}
    )
    default_template.has_resource(
        "AWS::Logs::LogGroup",
        {"Properties": {"RetentionInDays": 365}, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
    )


def test_s3_gateway_endpoint(default_template: assertions.Template) -> None:
    default_template.has_resource_properties(
        "AWS::EC2::VPCEndpoint",
        {
            "VpcEndpointType": "Gateway",
            "ServiceName": {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".s3"]]},
        },
    )


def test_no_nat_makes_private_subnets_isolated() -> None:
    template = template_of(nat_gateways=0)
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    routes = template.find_resources("AWS::EC2::Route")
    assert all("NatGatewayId" not in r["Properties"] for r in routes.values())


def test_three_azs_three_nats() -> None:
    template = template_of(max_azs=3, nat_gateways=3)
    template.resource_count_is("AWS::EC2::NatGateway", 3)
    template.resource_count_is("AWS::EC2::Subnet", 6)


def test_flow_logs_can_be_turned_off() -> None:
    template_of(flow_logs=False).resource_count_is("AWS::EC2::FlowLog", 0)


@pytest.mark.parametrize(
    ("props", "message"),
    [({"max_azs": 0}, "max_azs=0 is out of range"), ({"max_azs": 2, "nat_gateways": 3}, "nat_gateways=3")],
)
def test_invalid_props_raise_naming_the_prop(props: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Network(new_stack(), "Network", **props)  # type: ignore[arg-type]


def test_interface_endpoints_are_private_and_open_to_the_vpc_only() -> None:
    from aws_cdk import aws_ec2 as ec2

    template = template_of(
        interface_endpoints=[
            ec2.InterfaceVpcEndpointAwsService.ECR,
            ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
        ]
    )
    endpoints = template.find_resources(
        "AWS::EC2::VPCEndpoint", {"Properties": {"VpcEndpointType": "Interface"}}
    )
    assert len(endpoints) == 2
    assert all(e["Properties"]["PrivateDnsEnabled"] is True for e in endpoints.values())
    [group] = template.find_resources(
        "AWS::EC2::SecurityGroup",
        {"Properties": {"GroupDescription": "Interface endpoints: HTTPS from inside the VPC only"}},
    ).values()
    [rule] = group["Properties"]["SecurityGroupIngress"]
    assert (rule["FromPort"], rule["ToPort"], rule["CidrIp"]) == (443, 443, "10.0.0.0/16")
