"""``InstancePortsIngress``: a load balancer reaches the host ports of a capacity group's instances."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from constructs_lib.caller_ingress import CallerIngress, only_security_group

# The Linux ephemeral range ECS assigns bridge-mode host ports from (hostPort 0): the
# instance's ip_local_port_range (32768-60999 on the ECS-optimised AMIs), else 49153-65535.
# aws-cdk-lib opens the same range for bridge targets.
DYNAMIC_HOST_PORTS = ec2.Port.tcp_range(32768, 65535)


class InstancePortsIngress(Construct):
    """The two rules that let ``load_balancer`` reach bridge or host tasks on ``instances``.

    Ingress into the instances' security group from the load balancer's (``Ingress``, a
    ``CallerIngress``) and the load balancer's egress to the instances' group (``Egress``: a
    ``PublicLoadBalancer`` sends nowhere until told), both on ``ports`` and both in this
    construct's stack, so the stacks that own the two groups depend on neither rule. Default
    ``ports``: ``DYNAMIC_HOST_PORTS`` (bridge tasks); a host-mode service's port for host tasks.

    Create one per capacity group, load balancer and port range, however many services use
    them: AWS refuses a second identical rule. Each side must have exactly one security group.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        load_balancer: ec2.IConnectable,
        instances: ec2.IConnectable,
        ports: ec2.Port = DYNAMIC_HOST_PORTS,
        description: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.ingress = CallerIngress(
            self, "Ingress", caller=load_balancer, callee=instances, port=ports, description=description
        )
        rule = ports.to_rule_json()
        self.egress = ec2.CfnSecurityGroupEgress(
            self,
            "Egress",
            group_id=only_security_group(load_balancer, "load_balancer").security_group_id,
            destination_security_group_id=only_security_group(instances, "instances").security_group_id,
            ip_protocol=rule["ipProtocol"],
            from_port=rule.get("fromPort"),
            to_port=rule.get("toPort"),
            description=description,
        )
