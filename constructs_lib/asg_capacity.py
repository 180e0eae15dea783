"""``AsgCapacity``: one EC2 Auto Scaling group wired into an ECS cluster as a capacity provider."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_autoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib.bridge_metadata import block_bridge_metadata_commands
from constructs_lib.ec2_capacity import AmiFamily, Ec2CapacityGroup
from constructs_lib.launch_template import hardened_launch_template
from constructs_lib.nag import (
    AGENT_RESOURCES,
    AGENT_SUBMIT,
    ASG_ENCRYPTION,
    BOTTLEROCKET_MANAGED_POLICIES,
    acknowledge,
)

# Only what Session Manager needs (ECS Exec into tasks needs none of it: that is the task role).
SSM_SESSION_ACTIONS = (
    "ssm:UpdateInstanceInformation",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
)


class AsgCapacity(Construct):
    """Launch template → Auto Scaling group → capacity provider, added to ``cluster``.

    The launch template requires IMDSv2 with a hop limit of 1, gives no public IP, turns on
    detailed (1-minute) monitoring, encrypts the gp3 root volume and blocks awsvpc tasks from
    instance metadata; on Amazon Linux an iptables rule blocks bridge-mode containers too
    (``bridge_metadata``), and on Bottlerocket, which takes no shell user data, the hop limit of
    1 keeps the IMDSv2 token from crossing Docker's bridge. ``connections`` is the instances'
    security group (no ingress until given): bridge and host tasks receive traffic through it.
    The group lists its subnets' Availability Zones, protects
    new instances from scale-in (ECS decides which to remove) and replaces instances one at a
    time when the launch template changes (new instance type or AMI), so neither the cluster
    nor the capacity provider is replaced. Every scaling event goes to ``notifications``
    when given. The provider has managed scaling, managed
    termination protection and managed draining on.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: ecs.Cluster,
        group: Ec2CapacityGroup,
        vpc: ec2.IVpc,
        vpc_subnets: ec2.SubnetSelection | None = None,
        notifications: sns.ITopic | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        bottlerocket = group.ami is AmiFamily.BOTTLEROCKET
        self.instance_role = iam.Role(
            self,
            "InstanceRole",
            assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"),
            description=f"ECS container instances of group {group.name}",
        )
        self.instance_role.add_to_policy(
            iam.PolicyStatement(actions=list(SSM_SESSION_ACTIONS), resources=["*"])
        )
        self.security_group = ec2.SecurityGroup(
            self, "InstanceSecurityGroup", vpc=vpc, description=f"ECS instances ({group.name})"
        )
        self.launch_template = hardened_launch_template(
            self,
            "LaunchTemplate",
            user_data=ec2.UserData.custom("") if bottlerocket else ec2.UserData.for_linux(),
            root_volume_gib=group.root_volume_gib,
            root_device="/dev/xvdb" if bottlerocket else "/dev/xvda",  # Bottlerocket's data volume
            instance_type=None if self._mixed(group) else group.instance_types[0],
            machine_image=group.machine_image or _ecs_image(group),
            role=self.instance_role,
            security_group=self.security_group,
            associate_public_ip_address=False,
        )
        self.auto_scaling_group = autoscaling.AutoScalingGroup(
            self,
            "AutoScalingGroup",
            vpc=vpc,
            vpc_subnets=vpc_subnets,
            min_capacity=group.min_capacity,
            max_capacity=group.max_capacity,
            capacity_rebalance=group.spot or None,
            notifications=(
                [autoscaling.NotificationConfiguration(topic=notifications)] if notifications else None
            ),
            update_policy=autoscaling.UpdatePolicy.rolling_update(
                max_batch_size=1,
                min_instances_in_service=group.min_capacity,
                pause_time=Duration.minutes(5),
            ),
            launch_template=None if self._mixed(group) else self.launch_template,
            mixed_instances_policy=self._mixed_policy(group) if self._mixed(group) else None,
        )
        # The subnets decide the zones; listing them too lets Control Tower's CT.AUTOSCALING.PR.1
        # (which reads only this property) see a group spread over several zones.
        zones = _zones(vpc, vpc_subnets or ec2.SubnetSelection())
        if not any(cdk.Token.is_unresolved(zone) for zone in zones):
            group_resource = self.auto_scaling_group.node.default_child
            assert isinstance(group_resource, cdk.CfnResource)
            group_resource.add_property_override("AvailabilityZones", sorted(zones))
        self.capacity_provider = ecs.AsgCapacityProvider(
            self,
            "CapacityProvider",
            auto_scaling_group=self.auto_scaling_group,
            capacity_provider_name=group.capacity_provider_name,
            enable_managed_scaling=True,
            enable_managed_termination_protection=True,
            enable_managed_draining=True,
            target_capacity_percent=group.target_capacity_percent,
            machine_image_type=(
                ecs.MachineImageType.BOTTLEROCKET if bottlerocket else ecs.MachineImageType.AMAZON_LINUX_2
            ),
            spot_instance_draining=group.spot,
        )
        cluster.add_asg_capacity_provider(
            self.capacity_provider,
            machine_image_type=(
                ecs.MachineImageType.BOTTLEROCKET if bottlerocket else ecs.MachineImageType.AMAZON_LINUX_2
            ),
            spot_instance_draining=group.spot,
        )
        # After the cluster's own lines, so settings land in Bottlerocket's [settings.ecs].
        # CDK writes Spot draining only for groups with a spotPrice, not mixed-instances Spot.
        settings = {"ECS_AWSVPC_BLOCK_IMDS": "true"}
        if group.spot:
            settings["ECS_ENABLE_SPOT_INSTANCE_DRAINING"] = "true"
        user_data = self.launch_template.user_data
        assert user_data is not None
        user_data.add_commands(*(_agent_setting(k, v, bottlerocket) for k, v in settings.items()))
        if not bottlerocket:
            user_data.add_commands(*block_bridge_metadata_commands())
        # For Bottlerocket aws-cdk-lib also attaches two AWS managed policies; the inline agent
        # policy it adds and our Session Manager statement already grant what they would.
        role_resource = self.instance_role.node.default_child
        assert isinstance(role_resource, cdk.CfnResource)
        role_resource.add_property_deletion_override("ManagedPolicyArns")
        if bottlerocket:
            for managed in (
                "AmazonSSMManagedInstanceCore",
                "service-role/AmazonEC2ContainerServiceforEC2Role",
            ):
                acknowledge(
                    role_resource,
                    f"IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{managed}]",
                    BOTTLEROCKET_MANAGED_POLICIES,
                )
        policy = self.instance_role.node.find_child("DefaultPolicy").node.default_child
        assert policy is not None
        acknowledge(policy, "IAM5[Resource::*]", AGENT_RESOURCES)
        acknowledge(policy, "IAM5[Action::ecs:Submit*]", AGENT_SUBMIT)
        acknowledge(self.auto_scaling_group.node.default_child, "EC26", ASG_ENCRYPTION)  # type: ignore[arg-type]

    @property
    def connections(self) -> ec2.Connections:
        """Network rules of the instances, and of the bridge and host tasks on them."""
        return ec2.Connections(security_groups=[self.security_group])

    @staticmethod
    def _mixed(group: Ec2CapacityGroup) -> bool:
        return group.spot or len(group.instance_types) > 1

    def _mixed_policy(self, group: Ec2CapacityGroup) -> autoscaling.MixedInstancesPolicy:
        return autoscaling.MixedInstancesPolicy(
            launch_template=self.launch_template,
            launch_template_overrides=[
                autoscaling.LaunchTemplateOverrides(instance_type=t) for t in group.instance_types
            ],
            instances_distribution=autoscaling.InstancesDistribution(
                on_demand_base_capacity=0,
                on_demand_percentage_above_base_capacity=0 if group.spot else 100,
                spot_allocation_strategy=(
                    autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED if group.spot else None
                ),
                on_demand_allocation_strategy=autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
            ),
        )


def _zones(vpc: ec2.IVpc, selection: ec2.SubnetSelection) -> list[str]:
    """The Availability Zones of the subnets ``selection`` picks in ``vpc``."""
    return vpc.select_subnets(
        availability_zones=selection.availability_zones,
        one_per_az=selection.one_per_az,
        subnet_filters=selection.subnet_filters,
        subnet_group_name=selection.subnet_group_name,
        subnets=selection.subnets,
        subnet_type=selection.subnet_type,
    ).availability_zones


def _agent_setting(name: str, value: str, bottlerocket: bool) -> str:
    """An ECS agent setting as a user-data line: ecs.config for AL2023, TOML for Bottlerocket."""
    if bottlerocket:
        toml_key = name.removeprefix("ECS_").lower().replace("_", "-")
        return f"{toml_key} = {value}"
    return f"echo {name}={value} >> /etc/ecs/ecs.config"


def _ecs_image(group: Ec2CapacityGroup) -> ec2.IMachineImage:
    arm = group.architecture == ec2.InstanceArchitecture.ARM_64
    if group.ami is AmiFamily.BOTTLEROCKET:
        return ecs.BottleRocketImage(
            architecture=group.architecture,
            variant=ecs.BottlerocketEcsVariant.AWS_ECS_2,
            cached_in_context=True,
        )
    return ecs.EcsOptimizedImage.amazon_linux2023(
        ecs.AmiHardwareType.ARM if arm else ecs.AmiHardwareType.STANDARD, cached_in_context=True
    )
