"""``EncryptedEbsVolume``: a service-managed EBS volume that is always encrypted."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from constructs import Construct


class EncryptedEbsVolume(ecs.ServiceManagedVolume):
    """An EBS volume ECS creates for each task of a service at launch, encrypted.

    Give it to ``EcsService(volume_configurations=[...])`` and declare a task volume of the
    same ``name`` with ``configured_at_launch=True``. ``iops``: provisioned IOPS (io1, io2, gp3).
    Defaults: gp3; the account's default EBS key (``encryption_key`` for a customer-managed one);
    an infrastructure role of its own that ECS uses to create and attach the volume (the
    construct ID is part of its logical ID).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        size: cdk.Size,
        volume_type: ec2.EbsDeviceVolumeType = ec2.EbsDeviceVolumeType.GP3,
        encryption_key: kms.IKey | None = None,
        iops: int | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            name=name,
            managed_ebs_volume=ecs.ServiceManagedEBSVolumeConfiguration(
                size=size, volume_type=volume_type, iops=iops, encrypted=True, kms_key_id=encryption_key
            ),
        )
