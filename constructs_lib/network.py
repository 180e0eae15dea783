"""``Network``: the VPC that ECS tasks run in."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from constructs_lib.control_tower import DEFAULT_SG_PROVIDER, LAMBDA_IN_VPC, acknowledge_control
from constructs_lib.nat_instance import harden_nat_instances, nat_instance_provider

PUBLIC_SUBNETS = "public"
PRIVATE_SUBNETS = "private"


class Network(Construct):
    """A VPC with a public and a private subnet in each availability zone.

    Tasks belong in the private subnets (``private_subnets``); only load balancers and NAT
    gateways (or instances) live in the public ones.

    Defaults: CIDR 10.0.0.0/16, IPv4 only, 2 AZs, 1 NAT gateway (private subnets without NAT
    become isolated; ``nat_instance_type`` makes the NATs hardened instances of that type, see
    ``constructs_lib.nat_instance``), VPC flow logs of all traffic to a log group kept 1 year
    and retained on deletion (encrypted with ``flow_log_encryption_key``, which must let
    CloudWatch Logs use it, when one is given; default: CloudWatch Logs' own encryption), an S3
    gateway endpoint (ECR image layers never cross the NAT), and the VPC's default security
    group stripped of all rules.
    ``interface_endpoints`` (none by default) are placed in the private subnets with private DNS,
    behind one security group that accepts HTTPS from the VPC's CIDR only. ``ipv6`` makes the
    VPC dual-stack: an Amazon-provided IPv6 block, one /64 per subnet, IPv6 to the internet
    gateway from public subnets and through an egress-only gateway from private ones.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cidr: str = "10.0.0.0/16",
        max_azs: int = 2,
        nat_gateways: int = 1,
        nat_instance_type: ec2.InstanceType | None = None,
        ipv6: bool = False,
        availability_zones: Sequence[str] | None = None,
        flow_logs: bool = True,
        flow_log_encryption_key: kms.IKey | None = None,
        restrict_default_security_group: bool = True,
        interface_endpoints: Sequence[ec2.InterfaceVpcEndpointAwsService] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        if not 1 <= max_azs <= 6:
            raise ValueError(f"max_azs={max_azs} is out of range; allowed: 1 to 6")
        if not 0 <= nat_gateways <= max_azs:
            raise ValueError(f"nat_gateways={nat_gateways} is out of range; allowed: 0 to {max_azs}")
        private_type = ec2.SubnetType.PRIVATE_WITH_EGRESS if nat_gateways else ec2.SubnetType.PRIVATE_ISOLATED
        nat_instances = (
            nat_instance_provider(nat_instance_type) if nat_instance_type and nat_gateways else None
        )
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(cidr),
            max_azs=None if availability_zones else max_azs,
            availability_zones=list(availability_zones) if availability_zones else None,
            nat_gateways=nat_gateways,
            nat_gateway_provider=nat_instances,
            ip_protocol=ec2.IpProtocol.DUAL_STACK if ipv6 else ec2.IpProtocol.IPV4_ONLY,
            subnet_configuration=[
                # Nothing in a public subnet takes an address at launch: load balancers and NAT
                # gateways bring their own, NAT instances ask for one (Control Tower CT.EC2.PR.11).
                ec2.SubnetConfiguration(
                    name=PUBLIC_SUBNETS,
                    subnet_type=ec2.SubnetType.PUBLIC,
                    cidr_mask=24,
                    map_public_ip_on_launch=False,
                ),
                ec2.SubnetConfiguration(name=PRIVATE_SUBNETS, subnet_type=private_type, cidr_mask=20),
            ],
            restrict_default_security_group=restrict_default_security_group,
        )
        if nat_instances:
            harden_nat_instances(nat_instances, cidr)
        provider = cdk.Stack.of(self).node.try_find_child(
            "Custom::VpcRestrictDefaultSGCustomResourceProvider"
        )
        if provider is not None:
            acknowledge_control(provider, LAMBDA_IN_VPC, DEFAULT_SG_PROVIDER)
        self.vpc.add_gateway_endpoint("S3Endpoint", service=ec2.GatewayVpcEndpointAwsService.S3)
        self.flow_log_group: logs.ILogGroup | None = None
        if flow_logs:
            self.flow_log_group = logs.LogGroup(
                self,
                "FlowLogGroup",
                retention=logs.RetentionDays.ONE_YEAR,
                encryption_key=flow_log_encryption_key,
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            self.vpc.add_flow_log(
                "FlowLog",
                destination=ec2.FlowLogDestination.to_cloud_watch_logs(self.flow_log_group),
                traffic_type=ec2.FlowLogTrafficType.ALL,
            )

        self.endpoint_security_group: ec2.SecurityGroup | None = None
        if interface_endpoints:
            self.endpoint_security_group = ec2.SecurityGroup(
                self,
                "EndpointSecurityGroup",
                vpc=self.vpc,
                description="Interface endpoints: HTTPS from inside the VPC only",
                allow_all_outbound=False,
            )
            self.endpoint_security_group.add_ingress_rule(
                ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), "HTTPS from the VPC"
            )
            for service in interface_endpoints:
                self.vpc.add_interface_endpoint(
                    f"Endpoint-{service.short_name}",
                    service=service,
                    private_dns_enabled=True,
                    subnets=self.private_subnets,
                    security_groups=[self.endpoint_security_group],
                    open=False,
                )

    @property
    def private_subnets(self) -> ec2.SubnetSelection:
        """Where tasks and EC2 capacity run: the private subnets, one per AZ."""
        return ec2.SubnetSelection(subnet_group_name=PRIVATE_SUBNETS)
