"""``ClusterStack``: the ECS cluster and its capacity providers."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from constructs import Construct

from config.naming import capacity_provider_name, cluster_name, namespace_name
from config.schema import AppSpec
from constructs_lib import AmiFamily, Ec2CapacityGroup, EcsCluster, ManagedInstancesGroup, Network

_INSIGHTS = {
    "enhanced": ecs.ContainerInsights.ENHANCED,
    "enabled": ecs.ContainerInsights.ENABLED,
    "disabled": ecs.ContainerInsights.DISABLED,
}


class ClusterStack(cdk.Stack):
    """Composes ``EcsCluster`` from ``spec.cluster`` inside the network's private subnets.

    ``encryption_key`` is the environment key (``NetworkStack.environment_key``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AppSpec,
        network: Network,
        encryption_key: kms.IKey,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        cluster_spec = spec.cluster
        self.ecs_cluster = EcsCluster(
            self,
            "EcsCluster",
            vpc=network.vpc,
            vpc_subnets=network.private_subnets,
            cluster_name=cluster_name(spec),
            encryption_key=encryption_key,
            fargate=cluster_spec.fargate,
            container_insights=_INSIGHTS[cluster_spec.container_insights],
            service_connect_namespace=namespace_name(spec) if spec.long_running else None,
            service_connect_tls=spec.network.service_connect_tls.enabled and bool(spec.long_running),
            service_connect_authority_arn=spec.network.service_connect_tls.certificate_authority_arn,
            ec2_capacity=[
                Ec2CapacityGroup(
                    name=name,
                    instance_types=[ec2.InstanceType(t) for t in group.instance_types],
                    spot=group.spot,
                    ami=AmiFamily(group.ami),
                    min_capacity=group.min_capacity,
                    max_capacity=group.max_capacity,
                    target_capacity_percent=group.target_capacity_percent,
                    root_volume_gib=group.root_volume_gib,
                    capacity_provider_name=capacity_provider_name(spec, name),
                )
                for name, group in cluster_spec.ec2_capacity.items()
            ],
            managed_instances=[
                ManagedInstancesGroup(
                    name=name,
                    min_vcpus=group.min_vcpus,
                    max_vcpus=group.max_vcpus,
                    min_memory_mib=group.min_memory_mib,
                    max_memory_mib=group.max_memory_mib,
                    spot=group.spot,
                    capacity_provider_name=capacity_provider_name(spec, name),
                )
                for name, group in cluster_spec.managed_instances.items()
            ],
        )
        cdk.CfnOutput(self, "ClusterName", value=self.ecs_cluster.cluster.cluster_name)
        cdk.CfnOutput(self, "AlarmTopicArn", value=self.ecs_cluster.alarm_topic.topic_arn)
