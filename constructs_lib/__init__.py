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
}
__all__ = [
    "FARGATE",
    "FARGATE_SPOT",
    "AmiFamily",
    "AsgCapacity",
    "Capacity",
    "ContainerProps",
    "EcsCluster",
    "EcsService",
    "LogRouting",
    "ManagedInstancesGroup",
    "MountProps",
    "NativeTaskDefinition",
    "NativeTaskDefinitionError",
    "Network",
    "VersionedTaskDefinition",
    "container_image",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'constructs_lib' has no attribute {name!r}")
    return getattr(importlib.import_module(f"constructs_lib.{_EXPORTS[name]}"), name)


if TYPE_CHECKING:
    from constructs_lib.asg_capacity import AsgCapacity as AsgCapacity
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
    from constructs_lib.ec2_capacity import AmiFamily as AmiFamily
    from constructs_lib.ec2_capacity import Ec2CapacityGroup as Ec2CapacityGroup
    from constructs_lib.images import container_image as container_image
    from constructs_lib.managed_instances import ManagedInstancesGroup as ManagedInstancesGroup
    from constructs_lib.native_json import NativeTaskDefinitionError as NativeTaskDefinitionError
    from constructs_lib.native_task_definition import NativeTaskDefinition as NativeTaskDefinition
    from constructs_lib.network import Network as Network
    from constructs_lib.service import EcsService as EcsService
    from constructs_lib.task_definition import (
        Capacity as Capacity,
    )
    from constructs_lib.task_definition import (
        LogRouting as LogRouting,
    )
    from constructs_lib.task_definition import (
        VersionedTaskDefinition as VersionedTaskDefinition,
    )
