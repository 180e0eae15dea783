"""``ManagedInstancesGroup``: an ECS Managed Instances capacity provider's settings."""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from constructs import Construct


@dataclass(frozen=True)
class ManagedInstancesGroup:
    """ECS Managed Instances: AWS chooses, patches and scales instances within these bounds.

    Defaults: 2-8 vCPUs and 4-32 GiB per instance, on-demand, CloudFormation-named provider.
    """

    name: str
    min_vcpus: int = 2
    max_vcpus: int = 8
    min_memory_mib: int = 4096
    max_memory_mib: int = 32768
    spot: bool = False
    capacity_provider_name: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.min_vcpus <= self.max_vcpus:
            raise ValueError(
                f"ManagedInstancesGroup {self.name!r}: need 1 <= min_vcpus ({self.min_vcpus}) "
                f"<= max_vcpus ({self.max_vcpus})"
            )
        if not 512 <= self.min_memory_mib <= self.max_memory_mib:
            raise ValueError(
                f"ManagedInstancesGroup {self.name!r}: need 512 <= min_memory_mib "
                f"({self.min_memory_mib}) <= max_memory_mib ({self.max_memory_mib})"
            )


def add_managed_instances(
    scope: Construct,
    cluster: ecs.Cluster,
    group: ManagedInstancesGroup,
    vpc: ec2.IVpc,
    vpc_subnets: ec2.SubnetSelection | None,
) -> ecs.ManagedInstancesCapacityProvider:
    """Create the provider (own security group, private subnets) and add it to ``cluster``."""
    holder = Construct(scope, f"ManagedInstances-{group.name}")
    provider = ecs.ManagedInstancesCapacityProvider(
        holder,
        "CapacityProvider",
        capacity_provider_name=group.capacity_provider_name,
        subnets=_subnets(vpc, vpc_subnets),
        security_groups=[
            ec2.SecurityGroup(
                holder, "SecurityGroup", vpc=vpc, description=f"ECS Managed Instances ({group.name})"
            )
        ],
        capacity_option_type=ecs.CapacityOptionType.SPOT if group.spot else ecs.CapacityOptionType.ON_DEMAND,
        instance_requirements=ec2.InstanceRequirementsConfig(
            v_cpu_count_min=group.min_vcpus,
            v_cpu_count_max=group.max_vcpus,
            memory_min=cdk.Size.mebibytes(group.min_memory_mib),
            memory_max=cdk.Size.mebibytes(group.max_memory_mib),
        ),
    )
    cluster.add_managed_instances_capacity_provider(provider)
    return provider


def _subnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection | None) -> list[ec2.ISubnet]:
    chosen = selection or ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS)
    return list(
        vpc.select_subnets(
            subnet_group_name=chosen.subnet_group_name,
            subnet_type=chosen.subnet_type,
            subnets=chosen.subnets,
        ).subnets
    )
