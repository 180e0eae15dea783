"""Reusable CDK constructs for Amazon ECS: network, cluster, task definitions, services.

Importable on its own: it depends only on ``aws-cdk-lib`` and ``constructs``.
"""

from constructs_lib.asg_capacity import AsgCapacity
from constructs_lib.cluster import FARGATE, FARGATE_SPOT, EcsCluster
from constructs_lib.containers import ContainerProps, MountProps
from constructs_lib.ec2_capacity import AmiFamily, Ec2CapacityGroup
from constructs_lib.images import container_image
from constructs_lib.managed_instances import ManagedInstancesGroup
from constructs_lib.network import Network
from constructs_lib.service import EcsService
from constructs_lib.task_definition import Capacity, LogRouting, VersionedTaskDefinition

__all__ = [
    "FARGATE",
    "FARGATE_SPOT",
    "AmiFamily",
    "AsgCapacity",
    "Capacity",
    "ContainerProps",
    "Ec2CapacityGroup",
    "EcsCluster",
    "EcsService",
    "LogRouting",
    "ManagedInstancesGroup",
    "MountProps",
    "Network",
    "VersionedTaskDefinition",
    "container_image",
]
