"""``NetworkStack``: the environment's foundation, its VPC and its KMS key."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from config.naming import key_alias
from config.schema import AppSpec
from constructs_lib import EnvironmentKey, Network
from constructs_lib.nat_instance import NAT_INSTANCE_TYPE


class NetworkStack(cdk.Stack):
    """Composes ``Network`` from ``spec.network`` and the ``EnvironmentKey`` every later stack uses.

    The key lives here, in the first stack, so that the flow logs are encrypted with it too.
    """

    def __init__(self, scope: Construct, construct_id: str, *, spec: AppSpec, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.environment_key = EnvironmentKey(self, "EnvironmentKey", alias=key_alias(spec))
        net = spec.network
        # The default-security-group lockdown is a Lambda-backed custom resource, which the
        # local endpoint cannot run (moto needs Docker for Lambda); real accounts keep it.
        self.network = Network(
            self,
            "Network",
            cidr=str(net.cidr),
            max_azs=net.max_azs,
            nat_gateways=net.nat_gateways,
            nat_instance_type=NAT_INSTANCE_TYPE if net.nat == "instance" else None,
            ipv6=net.ipv6,
            restrict_default_security_group=spec.environment.target == "aws",
            interface_endpoints=_endpoints(spec) if net.interface_endpoints else (),
            flow_log_encryption_key=self.environment_key.key,
        )
        cdk.CfnOutput(self, "VpcId", value=self.network.vpc.vpc_id)
        cdk.CfnOutput(self, "EnvironmentKeyArn", value=self.environment_key.key.key_arn)


def _endpoints(spec: AppSpec) -> list[ec2.InterfaceVpcEndpointAwsService]:
    """What tasks reach without a NAT: images, logs, secrets; the ECS agent for EC2 groups."""
    services = [
        ec2.InterfaceVpcEndpointAwsService.ECR,
        ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
        ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
        ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
        ec2.InterfaceVpcEndpointAwsService.SSM,
    ]
    if spec.cluster.ec2_capacity:
        services += [
            ec2.InterfaceVpcEndpointAwsService.ECS,
            ec2.InterfaceVpcEndpointAwsService.ECS_AGENT,
            ec2.InterfaceVpcEndpointAwsService.ECS_TELEMETRY,
            ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
        ]
    return services
