"""``EcsCluster``: an ECS cluster whose capacity is Fargate and/or EC2 Auto Scaling groups."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from constructs import Construct

from constructs_lib.ec2_capacity import Ec2CapacityGroup

FARGATE = "FARGATE"
FARGATE_SPOT = "FARGATE_SPOT"

# Tasks in awsvpc mode must not borrow the instance role through IMDS.
_ECS_AGENT_CONFIG = ("echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config",)


class EcsCluster(Construct):
    """An ECS cluster with capacity providers only (services never set a launch type).

    Defaults: Container Insights ``ENHANCED``; ``FARGATE`` and ``FARGATE_SPOT`` providers;
    no EC2 capacity. Each ``Ec2CapacityGroup`` becomes an Auto Scaling group built from a
    launch template (IMDSv2 required, hop limit 1, encrypted gp3 root volume, no public IP,
    awsvpc tasks blocked from IMDS) wrapped in a capacity provider with managed scaling,
    managed termination protection and managed draining on.

    ``capacity_provider_names`` maps ``FARGATE``/``FARGATE_SPOT``/each group name to the
    provider name a service's strategy must use.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        vpc_subnets: ec2.SubnetSelection | None = None,
        cluster_name: str | None = None,
        fargate: bool = True,
        ec2_capacity: Sequence[Ec2CapacityGroup] = (),
        container_insights: ecs.ContainerInsights = ecs.ContainerInsights.ENHANCED,
    ) -> None:
        super().__init__(scope, construct_id)
        names = [group.name for group in ec2_capacity]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"ec2_capacity: group names must be unique; repeated: {duplicates}")
        if not fargate and not ec2_capacity:
            raise ValueError("EcsCluster needs capacity: set fargate=True or give ec2_capacity")
        self.cluster = ecs.Cluster(
            self,
            "Cluster",
            vpc=vpc,
            cluster_name=cluster_name,
            container_insights_v2=container_insights,
            enable_fargate_capacity_providers=fargate,
        )
        self.capacity_provider_names: dict[str, str] = (
            {FARGATE: FARGATE, FARGATE_SPOT: FARGATE_SPOT} if fargate else {}
        )
        self.auto_scaling_groups: dict[str, autoscaling.AutoScalingGroup] = {}
        self.capacity_providers: dict[str, ecs.AsgCapacityProvider] = {}
        for group in ec2_capacity:
            provider = self._add_ec2_group(group, vpc, vpc_subnets)
            # A literal name keeps services free of a cross-stack reference to the provider.
            self.capacity_provider_names[group.name] = (
                group.capacity_provider_name or provider.capacity_provider_name
            )

    def _add_ec2_group(
        self, group: Ec2CapacityGroup, vpc: ec2.IVpc, vpc_subnets: ec2.SubnetSelection | None
    ) -> ecs.AsgCapacityProvider:
        scope = Construct(self, f"Ec2-{group.name}")
        hardware = (
            ecs.AmiHardwareType.ARM
            if group.instance_type.architecture == ec2.InstanceArchitecture.ARM_64
            else ecs.AmiHardwareType.STANDARD
        )
        user_data = ec2.UserData.for_linux()
        user_data.add_commands(*_ECS_AGENT_CONFIG)
        launch_template = ec2.LaunchTemplate(
            scope,
            "LaunchTemplate",
            instance_type=group.instance_type,
            machine_image=group.machine_image
            or ecs.EcsOptimizedImage.amazon_linux2023(hardware, cached_in_context=True),
            user_data=user_data,
            role=iam.Role(scope, "InstanceRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com")),
            security_group=ec2.SecurityGroup(
                scope, "InstanceSecurityGroup", vpc=vpc, description=f"ECS instances ({group.name})"
            ),
            require_imdsv2=True,
            http_put_response_hop_limit=1,
            associate_public_ip_address=False,
            block_devices=[
                ec2.BlockDevice(
                    device_name="/dev/xvda",
                    volume=ec2.BlockDeviceVolume.ebs(
                        group.root_volume_gib,
                        encrypted=True,
                        volume_type=ec2.EbsDeviceVolumeType.GP3,
                        delete_on_termination=True,
                    ),
                )
            ],
        )
        asg = autoscaling.AutoScalingGroup(
            scope,
            "AutoScalingGroup",
            vpc=vpc,
            vpc_subnets=vpc_subnets,
            launch_template=launch_template,
            min_capacity=group.min_capacity,
            max_capacity=group.max_capacity,
        )
        provider = ecs.AsgCapacityProvider(
            scope,
            "CapacityProvider",
            auto_scaling_group=asg,
            enable_managed_scaling=True,
            enable_managed_termination_protection=True,
            enable_managed_draining=True,
            capacity_provider_name=group.capacity_provider_name,
            target_capacity_percent=group.target_capacity_percent,
        )
        self.cluster.add_asg_capacity_provider(provider)
        self.auto_scaling_groups[group.name] = asg
        self.capacity_providers[group.name] = provider
        return provider
