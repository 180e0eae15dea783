"""Spec models of cluster capacity: EC2 groups, ECS Managed Instances, strategies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from config.spec_model import SpecModel
from config.types import InstanceType

FARGATE = "FARGATE"
FARGATE_SPOT = "FARGATE_SPOT"
FARGATE_PROVIDERS = (FARGATE, FARGATE_SPOT)


class StrategyItem(SpecModel):
    """One entry of a capacity provider strategy."""

    provider: str = Field(
        description="FARGATE, FARGATE_SPOT, or the name of an EC2 group or Managed Instances provider"
    )
    weight: int = Field(default=1, ge=0, le=1000, description="relative share of tasks")
    base: int = Field(default=0, ge=0, le=100000, description="tasks placed here first")


class Ec2CapacitySpec(SpecModel):
    """An EC2 Auto Scaling group used as a capacity provider.

    Default: one on-demand t3.medium type, 0 to 2 instances, ECS-optimised Amazon Linux 2023,
    30 GiB encrypted root volume (no smaller than the AMI's snapshot: 30 GiB on al2023; on
    bottlerocket it sizes the data volume, 20 GiB at least), managed scaling to 100%.
    """

    instance_types: tuple[InstanceType, ...] = Field(
        default=("t3.medium",),
        min_length=1,
        max_length=20,
        description="instance types, all of one CPU architecture; several diversify Spot capacity",
    )
    spot: bool = Field(
        default=False,
        description="Spot instances (price-capacity-optimized, capacity rebalance, task draining)",
    )
    ami: Literal["al2023", "bottlerocket"] = Field(
        default="al2023", description="ECS-optimised Amazon Linux 2023, or Bottlerocket"
    )
    architecture: Literal["x86_64", "arm64"] | None = Field(
        default=None,
        description="CPU architecture; derived from the instance types, checked when given",
    )
    root_volume_gib: int = Field(
        default=30,
        ge=1,
        le=16384,
        description="encrypted gp3 root volume (bottlerocket: its data volume); at least the AMI's "
        "snapshot: 30 (al2023) or 20 (bottlerocket)",
    )
    min_capacity: int = Field(default=0, ge=0, le=1000, description="minimum instances")
    max_capacity: int = Field(default=2, ge=1, le=1000, description="maximum instances")
    target_capacity_percent: int = Field(
        default=100, ge=1, le=100, description="managed scaling target utilisation (%)"
    )


class ManagedInstancesSpec(SpecModel):
    """An ECS Managed Instances capacity provider: AWS picks, patches and scales instances.

    Default: 2-8 vCPUs and 4-32 GiB per instance, on-demand.
    """

    min_vcpus: int = Field(default=2, ge=1, le=192, description="fewest vCPUs per instance")
    max_vcpus: int = Field(default=8, ge=1, le=192, description="most vCPUs per instance")
    min_memory_mib: int = Field(default=4096, ge=512, description="least memory per instance (MiB)")
    max_memory_mib: int = Field(default=32768, ge=512, description="most memory per instance (MiB)")
    spot: bool = Field(default=False, description="use Spot capacity")
