"""``destroy``: delete an environment's stacks in an order that cannot hang.

CloudFormation alone hangs deleting a cluster stack whose EC2 capacity provider has managed
termination protection (aws-cdk #18179): the provider is deleted first, nothing unprotects
the instances any more, and the Auto Scaling group waits forever for protected instances to
leave. So: delete the service stacks, then release every instance of the cluster's groups
(scale-in protection off, group size 0), then delete the cluster stack, then the network.
Retained resources (log groups, KMS keys, task-definition revisions) stay, by design.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.aws.stack_state import stack_status

Report = Callable[[str], None]
WAITER_CONFIG = {"Delay": 5, "MaxAttempts": 360}  # 30 minutes per stack at most


def release_instances(spec: AppSpec, cloudformation: Any, autoscaling: Any, report: Report) -> list[str]:
    """Scale each EC2 capacity group of the cluster stack to 0 and unprotect its instances."""
    released = []
    for group_name in _auto_scaling_groups(spec, cloudformation):
        groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])[
            "AutoScalingGroups"
        ]
        if not groups:
            continue
        instances = [i["InstanceId"] for i in groups[0].get("Instances", [])]
        autoscaling.update_auto_scaling_group(
            AutoScalingGroupName=group_name,
            MinSize=0,
            DesiredCapacity=0,
            NewInstancesProtectedFromScaleIn=False,
        )
        for start in range(0, len(instances), 50):  # SetInstanceProtection takes at most 50 ids
            autoscaling.set_instance_protection(
                AutoScalingGroupName=group_name,
                InstanceIds=instances[start : start + 50],
                ProtectedFromScaleIn=False,
            )
        report(f"released {len(instances)} instance(s) of {group_name}")
        released.append(group_name)
    return released


def destroy_environment(spec: AppSpec, cloudformation: Any, autoscaling: Any, report: Report) -> list[str]:
    """Delete services, release instances, delete cluster, delete network. Returns deleted stacks."""
    deleted: list[str] = []
    for layer in deletion_layers(spec):  # a caller's stack imports its callees' groups
        deleted += _delete(cloudformation, [naming.service_stack_name(spec, name) for name in layer], report)
    deleted += _delete(cloudformation, [naming.ingress_stack_name(spec)], report)
    if _exists(cloudformation, naming.cluster_stack_name(spec)):
        release_instances(spec, cloudformation, autoscaling, report)
    deleted += _delete(cloudformation, [naming.cluster_stack_name(spec)], report)
    deleted += _delete(cloudformation, [naming.network_stack_name(spec)], report)
    return deleted


def deletion_layers(spec: AppSpec) -> list[list[str]]:
    """Service groups to delete in turn: each layer's services are called by no later one."""
    remaining = list(spec.services)
    layers: list[list[str]] = []
    while remaining:
        # A service may go once no remaining service calls it (is in its allow_from).
        layer = [
            name
            for name in remaining
            if not any(caller in remaining and caller != name for caller in spec.services[name].allow_from)
        ] or remaining  # validation rejects cycles; never loop forever
        layers.append(layer)
        remaining = [name for name in remaining if name not in layer]
    return layers


def _delete(cloudformation: Any, stacks: list[str], report: Report) -> list[str]:
    present = [s for s in stacks if _exists(cloudformation, s)]
    for stack in present:  # start them all, then wait: service stacks delete in parallel
        report(f"deleting {stack}")
        cloudformation.delete_stack(StackName=stack)
    waiter = cloudformation.get_waiter("stack_delete_complete")
    for stack in present:
        waiter.wait(StackName=stack, WaiterConfig=WAITER_CONFIG)
        report(f"deleted {stack}")
    return present


def _exists(cloudformation: Any, stack: str) -> bool:
    return stack_status(cloudformation, stack) not in (None, "DELETE_COMPLETE")


def _auto_scaling_groups(spec: AppSpec, cloudformation: Any) -> list[str]:
    paginator = cloudformation.get_paginator("list_stack_resources")
    return [
        resource["PhysicalResourceId"]
        for page in paginator.paginate(StackName=naming.cluster_stack_name(spec))
        for resource in page["StackResourceSummaries"]
        if resource["ResourceType"] == "AWS::AutoScaling::AutoScalingGroup"
    ]
