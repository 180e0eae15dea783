"""Reusable CDK constructs for Amazon ECS: network, cluster, task definitions, services.

Importable on its own: it depends only on ``aws-cdk-lib`` and ``constructs``. Names load
on first use, so pure helpers (``constructs_lib.native_json``) import without the CDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "FARGATE": "cluster",
    "FARGATE_SPOT": "cluster",
    "EcsCluster": "cluster",
    "EnvironmentKey": "environment_key",
    "AsgCapacity": "asg_capacity",
    "AmiFamily": "ec2_capacity",
    "Ec2CapacityGroup": "ec2_capacity",
    "container_image": "images",
    "ManagedInstancesGroup": "managed_instances",
    "NativeTaskDefinitionError": "native_json",
    "NativeTaskDefinition": "native_task_definition",
    "Network": "network",
    "EcsService": "service",
    "ContainerProps": "containers",
    "MountProps": "containers",
    "Capacity": "task_definition",
    "LogRouting": "task_definition",
    "VersionedTaskDefinition": "task_definition",
    "PublicLoadBalancer": "load_balancer",
    "ScheduledJob": "scheduled_job",
    "WebRouting": "web_routing",
    "Route": "web_routing",
    "TargetHealthCheck": "web_routing",
    "WorkQueue": "work_queue",
    "BacklogScaling": "work_queue",
    "Deployment": "service",
    "TaskPermissions": "permissions",
    "BucketPermission": "permissions",
    "BucketAccess": "permissions",
    "QueuePermission": "permissions",
    "QueueAccess": "permissions",
    "TablePermission": "permissions",
    "TableAccess": "permissions",
    "SecretPermission": "permissions",
    "ParameterPermission": "permissions",
    "ParameterPathPermission": "permissions",
    "TopicPermission": "permissions",
    "KeyPermission": "permissions",
    "KeyAccess": "permissions",
    "TargetTracking": "service_scaling",
    "EncryptedEbsVolume": "ebs_volume",
    "CallerIngress": "caller_ingress",
    "InstancePortsIngress": "instance_ingress",
    "DYNAMIC_HOST_PORTS": "instance_ingress",
    "IRetainedTaskDefinition": "retained_task_definition",
    "SecretKey": "containers",
    "SecretStore": "containers",
}
__all__ = [
    "DYNAMIC_HOST_PORTS",
    "FARGATE",
    "FARGATE_SPOT",
    "AmiFamily",
    "AsgCapacity",
    "BacklogScaling",
    "BucketAccess",
    "BucketPermission",
    "CallerIngress",
    "Capacity",
    "ContainerProps",
    "Deployment",
    "EcsCluster",
    "EcsService",
    "EncryptedEbsVolume",
    "IRetainedTaskDefinition",
    "InstancePortsIngress",
    "KeyAccess",
    "KeyPermission",
    "LogRouting",
    "ManagedInstancesGroup",
    "MountProps",
    "NativeTaskDefinition",
    "NativeTaskDefinitionError",
    "Network",
    "ParameterPathPermission",
    "ParameterPermission",
    "PublicLoadBalancer",
    "QueueAccess",
    "QueuePermission",
    "Route",
    "ScheduledJob",
    "SecretKey",
    "SecretPermission",
    "SecretStore",
    "TableAccess",
    "TablePermission",
    "TargetHealthCheck",
    "TargetTracking",
    "TaskPermissions",
    "TopicPermission",
    "VersionedTaskDefinition",
    "WebRouting",
    "WorkQueue",
    "container_image",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'constructs_lib' has no attribute {name!r}")
    return getattr(importlib.import_module(f"constructs_lib.{_EXPORTS[name]}"), name)


if TYPE_CHECKING:
    from constructs_lib.asg_capacity import AsgCapacity as AsgCapacity
    from constructs_lib.caller_ingress import CallerIngress as CallerIngress
    from constructs_lib.cluster import (
        FARGATE as FARGATE,
    )
    from constructs_lib.cluster import (
        FARGATE_SPOT as FARGATE_SPOT,
    )
    from constructs_lib.cluster import (
        EcsCluster as EcsCluster,
    )
    from constructs_lib.containers import ContainerProps as ContainerProps
    from constructs_lib.containers import MountProps as MountProps
    from constructs_lib.containers import SecretKey as SecretKey
    from constructs_lib.containers import SecretStore as SecretStore
    from constructs_lib.ebs_volume import EncryptedEbsVolume as EncryptedEbsVolume
    from constructs_lib.ec2_capacity import AmiFamily as AmiFamily
    from constructs_lib.ec2_capacity import Ec2CapacityGroup as Ec2CapacityGroup
    from constructs_lib.environment_key import EnvironmentKey as EnvironmentKey
    from constructs_lib.images import container_image as container_image
    from constructs_lib.instance_ingress import DYNAMIC_HOST_PORTS as DYNAMIC_HOST_PORTS
    from constructs_lib.instance_ingress import InstancePortsIngress as InstancePortsIngress
    from constructs_lib.load_balancer import PublicLoadBalancer as PublicLoadBalancer
    from constructs_lib.managed_instances import ManagedInstancesGroup as ManagedInstancesGroup
    from constructs_lib.native_json import NativeTaskDefinitionError as NativeTaskDefinitionError
    from constructs_lib.native_task_definition import NativeTaskDefinition as NativeTaskDefinition
    from constructs_lib.network import Network as Network
    from constructs_lib.permissions import BucketAccess as BucketAccess
    from constructs_lib.permissions import BucketPermission as BucketPermission
    from constructs_lib.permissions import KeyAccess as KeyAccess
    from constructs_lib.permissions import KeyPermission as KeyPermission
    from constructs_lib.permissions import ParameterPathPermission as ParameterPathPermission
    from constructs_lib.permissions import ParameterPermission as ParameterPermission
    from constructs_lib.permissions import QueueAccess as QueueAccess
    from constructs_lib.permissions import QueuePermission as QueuePermission
    from constructs_lib.permissions import SecretPermission as SecretPermission
    from constructs_lib.permissions import TableAccess as TableAccess
    from constructs_lib.permissions import TablePermission as TablePermission
    from constructs_lib.permissions import TaskPermissions as TaskPermissions
    from constructs_lib.permissions import TopicPermission as TopicPermission
    from constructs_lib.retained_task_definition import IRetainedTaskDefinition as IRetainedTaskDefinition
    from constructs_lib.scheduled_job import ScheduledJob as ScheduledJob
    from constructs_lib.service import Deployment as Deployment
    from constructs_lib.service import EcsService as EcsService
    from constructs_lib.service_scaling import TargetTracking as TargetTracking
    from constructs_lib.task_definition import (
        Capacity as Capacity,
    )
    from constructs_lib.task_definition import (
        LogRouting as LogRouting,
    )
    from constructs_lib.task_definition import (
        VersionedTaskDefinition as VersionedTaskDefinition,
    )
    from constructs_lib.web_routing import Route as Route
    from constructs_lib.web_routing import TargetHealthCheck as TargetHealthCheck
    from constructs_lib.web_routing import WebRouting as WebRouting
    from constructs_lib.work_queue import BacklogScaling as BacklogScaling
    from constructs_lib.work_queue import WorkQueue as WorkQueue
