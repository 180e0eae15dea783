"""``EcsCluster``: an ECS cluster whose capacity is Fargate, EC2 groups and Managed Instances."""

from __future__ import annotations

from collections.abc import Sequence

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_servicediscovery as servicediscovery
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib.alarm_topic import AlarmTopic
from constructs_lib.asg_capacity import AsgCapacity
from constructs_lib.control_tower import (
    CONTAINER_INSIGHTS,
    ENHANCED_INSIGHTS,
    acknowledge_control,
)
from constructs_lib.ec2_capacity import Ec2CapacityGroup
from constructs_lib.log_encryption import allow_cloudwatch_logs, retained_log_group
from constructs_lib.managed_instances import ManagedInstancesGroup, add_managed_instances
from constructs_lib.scaling_notifications import scaling_events_topic
from constructs_lib.service_connect_tls import ServiceConnectTls

FARGATE = "FARGATE"
FARGATE_SPOT = "FARGATE_SPOT"


class EcsCluster(Construct):
    """An ECS cluster with capacity providers only (services never set a launch type).

    Defaults: Container Insights ``ENHANCED``; ``FARGATE`` and ``FARGATE_SPOT`` providers;
    no EC2 capacity; ECS Exec sessions encrypted with ``encryption_key`` (a new KMS key with
    rotation, retained, when none is given; a given key must let CloudWatch Logs use it, as
    ``EnvironmentKey`` does) and logged to their own encrypted log group
    (one year, retained). ``service_connect_namespace`` (default none) creates an HTTP Cloud
    Map namespace that services join with Service Connect; with ``service_connect_tls`` (default
    off) their traffic is TLS 1.3 from ``service_connect_tls_config`` (a ``ServiceConnectTls``
    with a short-lived-mode Private CA, or ``service_connect_authority_arn``). Each ``Ec2CapacityGroup``
    becomes an ``AsgCapacity`` (hardened
    launch template, managed scaling, termination protection and draining); each
    ``ManagedInstancesGroup`` an ECS Managed Instances provider. With EC2 groups, every
    scaling event goes to ``scaling_events``, an SNS topic encrypted with the same key.
    ``alarm_topic`` (an ``AlarmTopic``, encrypted with the same key) is where the alarms of
    the cluster's services notify the team.

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
        managed_instances: Sequence[ManagedInstancesGroup] = (),
        container_insights: ecs.ContainerInsights = ecs.ContainerInsights.ENHANCED,
        encryption_key: kms.IKey | None = None,
        service_connect_namespace: str | None = None,
        service_connect_tls: bool = False,
        service_connect_authority_arn: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        names = [g.name for g in ec2_capacity] + [g.name for g in managed_instances]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"capacity group names must be unique; repeated: {duplicates}")
        if not fargate and not names:
            raise ValueError(
                "EcsCluster needs capacity: set fargate=True or give ec2_capacity or managed_instances"
            )
        if encryption_key is None:
            encryption_key = kms.Key(
                self,
                "Key",
                enable_key_rotation=True,
                description="ECS cluster: ECS Exec sessions and logs",
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            allow_cloudwatch_logs(encryption_key)
        self.encryption_key = encryption_key
        self.exec_log_group = retained_log_group(
            self, "ExecLogGroup", retention=logs.RetentionDays.ONE_YEAR, key=self.encryption_key
        )
        self.cluster = ecs.Cluster(
            self,
            "Cluster",
            vpc=vpc,
            cluster_name=cluster_name,
            container_insights_v2=container_insights,
            enable_fargate_capacity_providers=fargate,
            managed_storage_configuration=(
                ecs.ManagedStorageConfiguration(fargate_ephemeral_storage_kms_key=self.encryption_key)
                if fargate
                else None
            ),
            execute_command_configuration=ecs.ExecuteCommandConfiguration(
                kms_key=self.encryption_key,
                logging=ecs.ExecuteCommandLogging.OVERRIDE,
                log_configuration=ecs.ExecuteCommandLogConfiguration(
                    cloud_watch_log_group=self.exec_log_group, cloud_watch_encryption_enabled=True
                ),
            ),
        )
        if container_insights == ecs.ContainerInsights.ENHANCED:
            acknowledge_control(self.cluster, CONTAINER_INSIGHTS, ENHANCED_INSIGHTS)
        self.alarm_topic: sns.ITopic = AlarmTopic(self, "Alarms", key=self.encryption_key).topic
        self.namespace_name = service_connect_namespace
        if service_connect_tls and not service_connect_namespace:
            raise ValueError("service_connect_tls needs service_connect_namespace")
        self.service_connect_tls_config: ServiceConnectTls | None = (
            ServiceConnectTls(
                self,
                "ServiceConnectTls",
                key=self.encryption_key,
                authority_arn=service_connect_authority_arn,
                common_name=service_connect_namespace or "service-connect",
            )
            if service_connect_tls
            else None
        )
        if service_connect_namespace:
            self.cluster.add_default_cloud_map_namespace(
                name=service_connect_namespace,
                type=servicediscovery.NamespaceType.HTTP,
                use_for_service_connect=True,
            )
        self.capacity_provider_names: dict[str, str] = (
            {FARGATE: FARGATE, FARGATE_SPOT: FARGATE_SPOT} if fargate else {}
        )
        self.ec2_groups: dict[str, AsgCapacity] = {}
        self.scaling_events: sns.ITopic | None = (
            scaling_events_topic(self, "ScalingEvents", self.encryption_key) if ec2_capacity else None
        )
        for group in ec2_capacity:
            capacity = AsgCapacity(
                self,
                f"Ec2-{group.name}",
                cluster=self.cluster,
                group=group,
                vpc=vpc,
                vpc_subnets=vpc_subnets,
                notifications=self.scaling_events,
            )
            self.ec2_groups[group.name] = capacity
            # A literal name keeps services free of a cross-stack reference to the provider.
            self.capacity_provider_names[group.name] = (
                group.capacity_provider_name or capacity.capacity_provider.capacity_provider_name
            )
        self.managed_instances: dict[str, ecs.ManagedInstancesCapacityProvider] = {}
        for managed in managed_instances:
            provider = add_managed_instances(self, self.cluster, managed, vpc, vpc_subnets)
            self.managed_instances[managed.name] = provider
            self.capacity_provider_names[managed.name] = (
                managed.capacity_provider_name or provider.capacity_provider_name
            )
