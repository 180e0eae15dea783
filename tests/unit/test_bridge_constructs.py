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
    """A one-container task definition of 256 CPU units and 512 MiB on ``capacity``, in ``mode``."""
    web = ContainerProps("web", IMAGE, port=8080)
    size = {"cpu": 256, "memory_mib": 512}
    return VersionedTaskDefinition(
        stack, "Task", family="f", containers=[web], capacity=capacity, network_mode=mode, **size
    )


@pytest.mark.parametrize("capacity", [Capacity.FARGATE, Capacity.MANAGED_INSTANCES])
@pytest.mark.parametrize("mode", [ecs.NetworkMode.BRIDGE, ecs.NetworkMode.HOST])
def test_bridge_and_host_task_definitions_need_ec2_capacity(
    capacity: Capacity, mode: ecs.NetworkMode
) -> None:
    with pytest.raises(ValueError, match=f"network_mode {mode.name} needs Capacity.EC2"):
        task(new_stack(), capacity, mode)


@pytest.mark.parametrize(
    ("capacity", "mode", "subnets", "placement", "message"),
    [
        (
            Capacity.EC2,
            ecs.NetworkMode.BRIDGE,
            True,
            [],
            "vpc_subnets: a BRIDGE task uses its instance's network",
        ),
        (
            Capacity.FARGATE,
            ecs.NetworkMode.AWS_VPC,
            False,
            [ecs.PlacementStrategy.packed_by_memory()],
            "placement_strategies choose among EC2 instances",
        ),
    ],
)
def test_a_service_refuses_networking_its_tasks_cannot_use(
    capacity: Capacity,
    mode: ecs.NetworkMode,
    subnets: bool,
    placement: list[ecs.PlacementStrategy],
    message: str,
) -> None:
    stack = new_stack()
    network = Network(stack, "Network")
    group = Ec2CapacityGroup(name="general", instance_types=[ec2.InstanceType("t3.medium")])
    cluster = EcsCluster(stack, "Cluster", vpc=network.vpc, ec2_capacity=[group])
    provider = "FARGATE" if capacity is Capacity.FARGATE else cluster.capacity_provider_names["general"]
    with pytest.raises(ValueError, match=message):
        EcsService(
            stack,
            "Service",
            cluster=cluster.cluster,
            task_definition=task(stack, capacity, mode).task_definition,
            vpc_subnets=network.private_subnets if subnets else None,
            capacity_provider_strategies=[ecs.CapacityProviderStrategy(capacity_provider=provider)],
            placement_strategies=placement,
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
