"""NAT instances: a hardened ``ec2.NatProvider.instance_v2`` for VPCs that need cheap egress.

A NAT gateway costs an hourly charge plus a public IPv4 address per AZ; one t4g.nano instance
costs about a tenth of that, without the gateway's managed availability: a stopped or replaced
instance cuts egress from the private subnets until it is back.
"""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2

from constructs_lib.nag import acknowledge

NAT_INSTANCE_TYPE = ec2.InstanceType("t4g.nano")
ROOT_VOLUME_GIB = 8  # the Amazon Linux 2023 AMI's own root size

DETAILED_MONITORING = (
    "A NAT instance of a development VPC keeps EC2's free 5-minute metrics; detailed monitoring "
    "would add a per-metric charge that is a large share of the instance's own price."
)
TERMINATION_PROTECTION = (
    "CloudFormation replaces the NAT instance when its AMI is refreshed and deletes it with the "
    "network stack; termination protection would make both fail, and the instance holds no data."
)


def nat_instance_provider(instance_type: ec2.InstanceType = NAT_INSTANCE_TYPE) -> ec2.NatInstanceProviderV2:
    """A NAT instance provider: Amazon Linux 2023 (its AMI a context lookup, pinned in
    cdk.context.json), a public IP, no inbound traffic until ``harden_nat_instances`` opens the
    VPC's CIDR, all outbound; burstable types in standard credit mode (no surplus-credit charges)."""
    arm = instance_type.architecture == ec2.InstanceArchitecture.ARM_64
    return ec2.NatProvider.instance_v2(
        instance_type=instance_type,
        machine_image=ec2.MachineImage.latest_amazon_linux2023(
            cpu_type=ec2.AmazonLinuxCpuType.ARM_64 if arm else ec2.AmazonLinuxCpuType.X86_64,
            cached_in_context=True,
        ),
        default_allowed_traffic=ec2.NatTrafficDirection.OUTBOUND_ONLY,
        associate_public_ip_address=True,
        credit_specification=ec2.CpuCredits.STANDARD if instance_type.is_burstable() else None,
    )


def harden_nat_instances(provider: ec2.NatInstanceProviderV2, vpc_cidr: str) -> None:
    """After the VPC configured ``provider``: accept traffic from ``vpc_cidr`` only; require
    IMDSv2 with a hop limit of 1; encrypt the gp3 root volume."""
    provider.security_group.add_ingress_rule(
        ec2.Peer.ipv4(vpc_cidr), ec2.Port.all_traffic(), "traffic to translate, from the VPC only"
    )
    for instance in provider.gateway_instances:
        cfn = instance.instance
        cfn.metadata_options = ec2.CfnInstance.MetadataOptionsProperty(
            http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=1
        )
        cfn.block_device_mappings = [
            ec2.CfnInstance.BlockDeviceMappingProperty(
                device_name="/dev/xvda",
                ebs=ec2.CfnInstance.EbsProperty(
                    encrypted=True, volume_type="gp3", volume_size=ROOT_VOLUME_GIB, delete_on_termination=True
                ),
            )
        ]
        acknowledge(instance, "EC28", DETAILED_MONITORING)
        acknowledge(instance, "EC29", TERMINATION_PROTECTION)
