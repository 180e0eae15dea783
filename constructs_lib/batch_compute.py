"""``BatchComputeEnvironment``: an AWS Batch managed compute environment on Fargate or EC2."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_batch as batch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from constructs_lib.launch_template import hardened_launch_template
from constructs_lib.nag import acknowledge

BATCH_INSTANCE_POLICY = (
    "AWS Batch creates the ECS cluster its instances join, so the ECS agent's rights cannot "
    "name it in advance; AmazonEC2ContainerServiceforEC2Role is the instance policy AWS Batch "
    "documents for ECS compute environments."
)


@dataclass(frozen=True)
class BatchCompute:
    """What one compute environment runs on.

    Defaults: Fargate, on demand, up to 16 vCPUs. ``fargate=False`` launches EC2 instances of
    ``instance_types`` (required then) with a ``root_volume_gib`` encrypted gp3 root volume.
    """

    name: str
    fargate: bool = True
    spot: bool = False
    max_vcpus: int = 16
    instance_types: Sequence[ec2.InstanceType] = ()
    root_volume_gib: int = 30


class BatchComputeEnvironment(Construct):
    """A managed compute environment that AWS Batch scales from zero to ``max_vcpus``.

    In ``vpc_subnets`` (the private subnets), with a security group of its own that accepts no
    inbound traffic (``security_group``); on Fargate no public IP. On EC2: ECS-optimised Amazon
    Linux 2023 and a launch template with detailed monitoring that requires IMDSv2 with a hop
    limit of 1 (containers in bridge mode, as Batch runs them, cannot reach the instance's
    credentials), blocks awsvpc tasks from instance metadata and encrypts the gp3 root volume;
    price-capacity optimised Spot or best-fit-progressive on-demand allocation, and the
    instance role AWS Batch documents. The environment is updated in place (no replacement).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        compute: BatchCompute,
        vpc_subnets: ec2.SubnetSelection | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not compute.fargate and not compute.instance_types:
            raise ValueError(f"compute environment {compute.name!r}: EC2 needs instance_types")
        if compute.fargate and compute.instance_types:
            raise ValueError(f"compute environment {compute.name!r}: instance_types apply to EC2 only")
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            description=f"Batch compute environment {compute.name} (no inbound)",
            allow_all_outbound=True,
        )
        common: dict[str, Any] = {
            "vpc": vpc,
            "vpc_subnets": vpc_subnets,
            "security_groups": [self.security_group],
            "spot": compute.spot,
            "maxv_cpus": compute.max_vcpus,
            "replace_compute_environment": False,
        }
        self.compute_environment: batch.IComputeEnvironment = (
            batch.FargateComputeEnvironment(self, "ComputeEnvironment", **common)
            if compute.fargate
            else self._ec2(compute, common)
        )

    def _ec2(self, compute: BatchCompute, common: dict[str, Any]) -> batch.ManagedEc2EcsComputeEnvironment:
        # AWS Batch merges launch-template user data only in MIME multi-part form.
        user_data = ec2.MultipartUserData()
        user_data.add_user_data_part(ec2.UserData.for_linux(), ec2.MultipartBody.SHELL_SCRIPT, True)
        user_data.add_commands("echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config")
        self.launch_template = hardened_launch_template(
            self, "LaunchTemplate", user_data=user_data, root_volume_gib=compute.root_volume_gib
        )
        self.instance_role = iam.Role(
            self,
            "InstanceRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description=f"Batch instances of compute environment {compute.name}",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonEC2ContainerServiceforEC2Role"
                )
            ],
        )
        acknowledge(
            self.instance_role,
            "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]",
            BATCH_INSTANCE_POLICY,
        )
        return batch.ManagedEc2EcsComputeEnvironment(
            self,
            "ComputeEnvironment",
            minv_cpus=0,
            instance_types=list(compute.instance_types),
            use_optimal_instance_classes=False,
            allocation_strategy=(
                batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
                if compute.spot
                else batch.AllocationStrategy.BEST_FIT_PROGRESSIVE
            ),
            images=[batch.EcsMachineImage(image_type=batch.EcsMachineImageType.ECS_AL2023)],
            launch_template=self.launch_template,
            instance_role=self.instance_role,
            **common,
        )
