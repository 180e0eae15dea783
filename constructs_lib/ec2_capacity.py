"""``Ec2CapacityGroup``: the settings of one EC2 Auto Scaling capacity provider."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from aws_cdk import aws_ec2 as ec2

from constructs_lib.root_volumes import ROOT_VOLUME_MAX_GIB, SNAPSHOT_GIB


class AmiFamily(Enum):
    """The ECS-optimised operating system of the instances."""

    AMAZON_LINUX_2023 = "al2023"
    BOTTLEROCKET = "bottlerocket"


@dataclass(frozen=True)
class Ec2CapacityGroup:
    """One EC2 Auto Scaling group that ``EcsCluster`` turns into a capacity provider.

    Defaults: on-demand, no instances at rest (``min_capacity`` 0), at most 2, managed
    scaling to 100% utilisation, 30 GiB encrypted gp3 root volume (on Bottlerocket the data
    volume; at least the AMI's snapshot, ``SNAPSHOT_GIB``), ECS-optimised Amazon
    Linux 2023 for the instance types' CPU architecture (looked up once and pinned in
    ``cdk.context.json``, so instances roll only when you refresh it with
    ``cdk context --reset``), and a capacity provider name chosen by CloudFormation (set
    ``capacity_provider_name`` for a stable name that services can use without a
    cross-stack reference).

    ``spot=True`` buys Spot capacity across all ``instance_types`` (price-capacity-optimized
    allocation, capacity rebalancing, and ECS Spot instance draining); list several types of
    similar size so one interrupted pool does not empty the group.
    """

    name: str
    instance_types: Sequence[ec2.InstanceType]
    spot: bool = False
    ami: AmiFamily = AmiFamily.AMAZON_LINUX_2023
    min_capacity: int = 0
    max_capacity: int = 2
    target_capacity_percent: int = 100
    root_volume_gib: int = 30
    capacity_provider_name: str | None = None
    machine_image: ec2.IMachineImage | None = None

    def __post_init__(self) -> None:
        prefix = f"Ec2CapacityGroup {self.name!r}"
        if not self.instance_types:
            raise ValueError(f"{prefix}: instance_types must name at least one type")
        architectures = {t.to_string(): t.architecture for t in self.instance_types}
        if len(set(architectures.values())) > 1:
            listing = ", ".join(
                f"{t} ({'arm64' if a == ec2.InstanceArchitecture.ARM_64 else 'x86_64'})"
                for t, a in architectures.items()
            )
            raise ValueError(f"{prefix}: instance_types mix CPU architectures: {listing}")
        name = self.capacity_provider_name
        if name is not None and (
            not re.fullmatch(r"[A-Za-z0-9_-]{1,255}", name)
            or name.lower().startswith(("aws", "ecs", "fargate"))
        ):
            raise ValueError(
                f"{prefix}: capacity_provider_name={name!r} is invalid; "
                "use 1-255 letters, digits, '-' or '_', not starting with aws, ecs or fargate"
            )
        if not 0 <= self.min_capacity <= self.max_capacity:
            raise ValueError(
                f"{prefix}: min_capacity={self.min_capacity} must be "
                f"between 0 and max_capacity={self.max_capacity}"
            )
        if not 1 <= self.target_capacity_percent <= 100:
            raise ValueError(
                f"{prefix}: target_capacity_percent={self.target_capacity_percent} is out of "
                "range; allowed: 1 to 100"
            )
        # A custom machine_image's snapshot is unknown here: EC2 checks it at launch.
        least, volume = SNAPSHOT_GIB[self.ami.value] if self.machine_image is None else (8, "the volume")
        if not least <= self.root_volume_gib <= ROOT_VOLUME_MAX_GIB:
            raise ValueError(
                f"{prefix}: root_volume_gib={self.root_volume_gib} is out of range; allowed: "
                f"{least} to {ROOT_VOLUME_MAX_GIB} ({volume}: EC2 refuses one smaller than its snapshot)"
            )

    @property
    def architecture(self) -> ec2.InstanceArchitecture:
        """The CPU architecture shared by every instance type of the group."""
        return self.instance_types[0].architecture
