"""The VPC and the allowed network paths, read from synthesised templates (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deployer.diagram.model import ENDPOINTS, INTERNET, VPC, Flow, Network, Subnet
from deployer.diagram.templates import Resource, TemplateSet, tags

Key = tuple[str, str]
_SUBNET_ORDER = {"Public": 0, "Private": 1, "Isolated": 2}


def read_network(cfn: TemplateSet, region: str) -> Network:
    """The VPC's CIDR, its subnets (``aws-cdk:subnet-name``/``-type`` tags), NAT gateways or
    instances, and VPC endpoints."""
    vpc = next(cfn.resources("AWS::EC2::VPC"))
    nat_subnets = {
        cfn.target(nat.stack, nat.properties.get("SubnetId")): "NAT gateway"
        for nat in cfn.resources("AWS::EC2::NatGateway")
    }
    for instance in cfn.resources("AWS::EC2::Instance"):
        if instance.properties.get("SourceDestCheck") is False:
            interfaces = instance.properties.get("NetworkInterfaces") or [instance.properties]
            nat_subnets[cfn.target(instance.stack, interfaces[0].get("SubnetId"))] = "NAT instance"
    subnets = []
    for res in cfn.resources("AWS::EC2::Subnet"):
        labels = tags(res.properties)
        subnets.append(
            Subnet(
                name=labels.get("aws-cdk:subnet-name", res.logical_id),
                type=labels.get("aws-cdk:subnet-type", "Private"),
                zone=str(res.properties.get("AvailabilityZone", "")),
                cidr=str(res.properties.get("CidrBlock", "")),
                nat_gateway=res.key in nat_subnets,
                nat_kind=nat_subnets.get(res.key, "NAT gateway"),
            )
        )
    subnets.sort(key=lambda s: (s.zone, _SUBNET_ORDER.get(s.type, 3), s.name))
    return Network(
        cidr=str(vpc.properties.get("CidrBlock", "")),
        subnets=tuple(subnets),
        endpoints=tuple(_endpoint(cfn, res, region) for res in cfn.resources("AWS::EC2::VPCEndpoint")),
    )


def _endpoint(cfn: TemplateSet, endpoint: Resource, region: str) -> str:
    service = cfn.text(endpoint.properties.get("ServiceName"), region).removeprefix(
        f"com.amazonaws.{region}."
    )
    return f"{service} (gateway)" if endpoint.properties.get("VpcEndpointType") == "Gateway" else service


def security_group_owners(cfn: TemplateSet) -> dict[Key, str]:
    """Security group → ``endpoints`` for the interface endpoints' group (the other owners,
    load balancers and tasks, are known to the reader of those resources)."""
    owners = {}
    for endpoint in cfn.resources("AWS::EC2::VPCEndpoint"):
        for group in endpoint.properties.get("SecurityGroupIds", []):
            key = cfn.target(endpoint.stack, group)
            if key is not None:
                owners[key] = ENDPOINTS
    return owners


def read_flows(cfn: TemplateSet, owners: Mapping[Key, str], vpc_cidr: str) -> tuple[Flow, ...]:
    """Every inbound security group rule between known owners (``owners``: group → node key),
    or from a CIDR block, as a flow; rules of groups nobody known owns are left out."""
    rules: list[tuple[Key | None, str, Mapping[str, Any]]] = []
    for group in cfn.resources("AWS::EC2::SecurityGroup"):
        rules += [(group.key, group.stack, rule) for rule in group.properties.get("SecurityGroupIngress", [])]
    for res in cfn.resources("AWS::EC2::SecurityGroupIngress"):
        rules.append((cfn.target(res.stack, res.properties.get("GroupId")), res.stack, res.properties))
    flows = []
    for target_group, stack, rule in rules:
        target = owners.get(target_group) if target_group else None
        source = _source(cfn, stack, rule, owners, vpc_cidr)
        if target and source:
            flows.append(Flow(source, target, _ports(rule)))
    return tuple(dict.fromkeys(flows))


def _source(
    cfn: TemplateSet, stack: str, rule: Mapping[str, Any], owners: Mapping[Key, str], vpc_cidr: str
) -> str | None:
    if "SourceSecurityGroupId" in rule:
        return owners.get(cfn.target(stack, rule["SourceSecurityGroupId"]) or ("", ""))
    cidr = rule.get("CidrIp", rule.get("CidrIpv6"))
    if cidr in ("0.0.0.0/0", "::/0"):
        return INTERNET
    if isinstance(cidr, str):
        return VPC if cidr == vpc_cidr else f"cidr:{cidr}"
    resource = cfn.get(cfn.target(stack, cidr))
    return VPC if resource is not None and resource.type == "AWS::EC2::VPC" else None


def _ports(rule: Mapping[str, Any]) -> str:
    if str(rule.get("IpProtocol")) == "-1":
        return "all"
    low, high = rule.get("FromPort"), rule.get("ToPort")
    return str(low) if low == high else f"{low}-{high}"
