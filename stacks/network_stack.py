"""``NetworkStack``: the environment's VPC."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from config.schema import AppSpec
from constructs_lib import Network


class NetworkStack(cdk.Stack):
    """Composes ``Network`` from ``spec.network``."""

    def __init__(self, scope: Construct, construct_id: str, *, spec: AppSpec, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        net = spec.network
        # The default-security-group lockdown is a Lambda-backed custom resource, which the
        # local endpoint cannot run (moto needs Docker for Lambda); real accounts keep it.
        self.network = Network(
            self,
            "Network",
            cidr=str(net.cidr),
            max_azs=net.max_azs,
            nat_gateways=net.nat_gateways,
            restrict_default_security_group=spec.environment.target == "aws",
        )
        cdk.CfnOutput(self, "VpcId", value=self.network.vpc.vpc_id)
