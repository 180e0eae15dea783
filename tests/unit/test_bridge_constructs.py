"""The constructs' side of bridge and host networking: what they refuse, and the user-data lines
that keep bridge containers away from instance metadata, run as a shell runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs

from constructs_lib import (
    Capacity,
    ContainerProps,
    Ec2CapacityGroup,
    EcsCluster,
    EcsService,
    Network,
    VersionedTaskDefinition,
)
from constructs_lib.bridge_metadata import DROP_IN, block_bridge_metadata_commands
from tests.harness import new_stack

IMAGE = ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27")
RULE = "--destination 169.254.169.254/32 --jump DROP"  # AWS Knowledge Center's DOCKER-USER rule


def task(stack: cdk.Stack, capacity: Capacity, mode: ecs.NetworkMode) -> VersionedTaskDefinition:
    return VersionedTaskDefinition(
        stack,
        "Task",
        family="f",
        cpu=256,
        memory_mib=512,
        capacity=capacity,
        network_mode=mode,
        containers=[ContainerProps("web", IMAGE, port=8080)],
    )


@pytest.mark.parametrize("capacity", [Capacity.FARGATE, Capacity.MANAGED_INSTANCES])
@pytest.mark.parametrize("mode", [ecs.NetworkMode.BRIDGE, ecs.NetworkMode.HOST])
def test_bridge_and_host_task_definitions_need_ec2_capacity(
    capacity: Capacity, mode: ecs.NetworkMode
) -> None:
    with pytest.raises(ValueError, match=f"network_mode {mode.name} needs Capacity.EC2"):
        task(new_stack(), capacity, mode)


def test_a_bridge_service_takes_no_subnets() -> None:
    stack = new_stack()
    network = Network(stack, "Network")
    cluster = EcsCluster(
        stack,
        "Cluster",
        vpc=network.vpc,
        ec2_capacity=[Ec2CapacityGroup(name="general", instance_types=[ec2.InstanceType("t3.medium")])],
    )
    bridge = task(stack, Capacity.EC2, ecs.NetworkMode.BRIDGE)
    with pytest.raises(ValueError, match="vpc_subnets: a BRIDGE task uses its instance's network"):
        EcsService(
            stack,
            "Service",
            cluster=cluster.cluster,
            task_definition=bridge.task_definition,
            vpc_subnets=network.private_subnets,
            capacity_provider_strategies=[
                ecs.CapacityProviderStrategy(capacity_provider=cluster.capacity_provider_names["general"])
            ],
        )


def test_placement_strategies_need_an_ec2_task_definition() -> None:
    stack = new_stack()
    network = Network(stack, "Network")
    cluster = EcsCluster(stack, "Cluster", vpc=network.vpc)
    fargate = task(stack, Capacity.FARGATE, ecs.NetworkMode.AWS_VPC)
    with pytest.raises(ValueError, match="placement_strategies choose among EC2 instances"):
        EcsService(
            stack,
            "Service",
            cluster=cluster.cluster,
            task_definition=fargate.task_definition,
            capacity_provider_strategies=[ecs.CapacityProviderStrategy(capacity_provider="FARGATE")],
            placement_strategies=[ecs.PlacementStrategy.packed_by_memory()],
        )


def test_the_metadata_block_is_valid_shell_and_writes_a_docker_drop_in(tmp_path: Path) -> None:
    lines = block_bridge_metadata_commands()
    script = "\n".join(lines)
    subprocess.run(["bash", "-n"], input=script, text=True, check=True)
    # Run the line that writes the drop-in, into a scratch directory instead of /etc.
    [writer] = [line for line in lines if DROP_IN in line and line.startswith("printf")]
    subprocess.run(["bash", "-c", writer.replace(DROP_IN, str(tmp_path / "drop-in.conf"))], check=True)
    check = f"iptables --check DOCKER-USER {RULE} 2>/dev/null"
    insert = f"iptables --insert DOCKER-USER 1 {RULE}"
    assert (tmp_path / "drop-in.conf").read_text() == (
        f'[Service]\nExecStartPost=/bin/sh -c "{check} || {insert}"\n'
    )
    assert lines[-1] == f"{check} || {insert}"  # and applied at once, for a Docker already running
