"""The volume ``root_volume_gib`` sizes on an instance of each ECS-optimised AMI family, and
the snapshot it cannot be smaller than. Free of aws-cdk-lib, so the spec checks can read it
without loading the CDK.

EC2 refuses to launch an instance whose volume is smaller than the AMI's snapshot behind it
("Volume of size 8GB is smaller than snapshot ..."). The ECS-optimised Amazon Linux 2023 AMIs
ship a single 30 GiB root volume at /dev/xvda (the ECS Developer Guide's AMI storage
configuration; aws/amazon-ecs-ami builds it with ``block_device_size_gb = 30``); AWS Batch's
``ECS_AL2023`` image is that AMI. Bottlerocket's AMIs carry a 2 GiB OS volume at /dev/xvda and
a 20 GiB data volume at /dev/xvdb, which ``root_volume_gib`` sizes there (bottlerocket-os/
bottlerocket: a variant's default image layout publishes 22 GiB, the OS's 2 and the data's 20).
"""

from __future__ import annotations

ROOT_VOLUME_MAX_GIB = 16384
# AMI family ("al2023", "bottlerocket") → (its snapshot's GiB, the volume root_volume_gib sizes)
SNAPSHOT_GIB: dict[str, tuple[int, str]] = {
    "al2023": (30, "the ECS-optimised Amazon Linux 2023 AMI's root volume (/dev/xvda)"),
    "bottlerocket": (20, "Bottlerocket's data volume (/dev/xvdb)"),
}
