"""The EC2 launch template every instance of this library starts from (ECS capacity groups and
AWS Batch compute environments), so that their hardening cannot drift apart."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_ec2 as ec2
from constructs import Construct


def hardened_launch_template(
    scope: Construct,
    construct_id: str,
    *,
    user_data: ec2.UserData,
    root_volume_gib: int,
    root_device: str = "/dev/xvda",
    **options: Any,
) -> ec2.LaunchTemplate:
    """A launch template that requires IMDSv2 with a hop limit of 1 (a container behind the
    instance's network cannot reach its credentials), turns on detailed monitoring (1-minute
    metrics, Control Tower CT.EC2.PR.10) and gives the instance an encrypted gp3 root volume of
    ``root_volume_gib`` at ``root_device`` (default ``/dev/xvda``), deleted with it. ``options``
    are further ``ec2.LaunchTemplate`` properties (instance type, image, role, security group …)."""
    return ec2.LaunchTemplate(
        scope,
        construct_id,
        user_data=user_data,
        require_imdsv2=True,
        http_put_response_hop_limit=1,
        detailed_monitoring=True,
        block_devices=[
            ec2.BlockDevice(
                device_name=root_device,
                volume=ec2.BlockDeviceVolume.ebs(
                    root_volume_gib,
                    encrypted=True,
                    volume_type=ec2.EbsDeviceVolumeType.GP3,
                    delete_on_termination=True,
                ),
            )
        ],
        **options,
    )
