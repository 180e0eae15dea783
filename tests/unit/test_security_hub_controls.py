"""AWS Security Hub ECS controls that cdk-nag and checkov do not check on CloudFormation,
asserted on every shipped environment's templates (see ../shared/NOTES.md).

The shipped environments have no EFS volume: ECS.18 and ECS.8's names are exercised in
test_security_hub_exercised.py. ECS.20 runs over every container of every environment here."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from config.naming import task_family
from tests.harness import SynthesisCache, resources_of_type

ENVIRONMENTS = ["local", "dev", "prod"]
CREDENTIAL_NAMES = re.compile(r"^(AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)|ECS_ENGINE_AUTH_DATA)$")


def all_of(synth_cache: SynthesisCache, env: str, resource_type: str) -> list[dict[str, Any]]:
    return [
        resource["Properties"]
        for template in synth_cache.get(env).templates.values()
        for resource in resources_of_type(template, resource_type).values()
    ]


def containers(synth_cache: SynthesisCache, env: str) -> list[dict[str, Any]]:
    return [
        c for t in all_of(synth_cache, env, "AWS::ECS::TaskDefinition") for c in t["ContainerDefinitions"]
    ]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_2_and_16_no_public_ip(synth_cache: SynthesisCache, env: str) -> None:
    """awsvpc tasks get no public IP; bridge and host tasks have no interface of their own and
    use their instance's, which the launch template gives no public IP."""
    spec = synth_cache.get(env).spec
    for service in all_of(synth_cache, env, "AWS::ECS::Service"):
        if spec.network_mode_of(service["ServiceName"]) == "awsvpc":
            assert service["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"] == "DISABLED"
        else:
            assert "NetworkConfiguration" not in service
    for launch_template in all_of(synth_cache, env, "AWS::EC2::LaunchTemplate"):
        [interface] = launch_template["LaunchTemplateData"]["NetworkInterfaces"]
        assert interface["AssociatePublicIpAddress"] is False
    assert not all_of(synth_cache, env, "AWS::ECS::TaskSet")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_3_and_17_no_host_pid_or_network_mode(synth_cache: SynthesisCache, env: str) -> None:
    """Host network mode only where the spec opts in with a reason (validate prints it)."""
    spec = synth_cache.get(env).spec
    acknowledged = {
        task_family(spec, name) for name, service in spec.services.items() if service.host_network_reason
    }
    for task in all_of(synth_cache, env, "AWS::ECS::TaskDefinition"):
        assert task.get("PidMode") != "host"
        if task["Family"] in acknowledged:
            assert task["NetworkMode"] == "host"
        else:
            assert task["NetworkMode"] in ("awsvpc", "bridge")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_4_5_not_privileged_and_read_only_root(synth_cache: SynthesisCache, env: str) -> None:
    for container in containers(synth_cache, env):
        assert not container.get("Privileged", False)
        assert container["ReadonlyRootFilesystem"] is True, container["Name"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_8_no_aws_credentials_in_environment(synth_cache: SynthesisCache, env: str) -> None:
    for container in containers(synth_cache, env):
        names = [v["Name"] for v in container.get("Environment", [])]
        assert not any(CREDENTIAL_NAMES.match(n) for n in names)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_9_every_container_logs(synth_cache: SynthesisCache, env: str) -> None:
    for container in containers(synth_cache, env):
        assert container["LogConfiguration"]["LogDriver"] in ("awslogs", "awsfirelens")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_10_fargate_latest_platform(synth_cache: SynthesisCache, env: str) -> None:
    spec = synth_cache.get(env).spec
    for service in all_of(synth_cache, env, "AWS::ECS::Service"):
        if spec.runs_on_fargate(service["ServiceName"]):
            assert service["PlatformVersion"] == "LATEST"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_12_container_insights(synth_cache: SynthesisCache, env: str) -> None:
    [cluster] = all_of(synth_cache, env, "AWS::ECS::Cluster")
    [setting] = cluster["ClusterSettings"]
    assert setting["Name"] == "containerInsights" and setting["Value"] in ("enabled", "enhanced")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_19_capacity_providers_have_managed_termination_protection(
    synth_cache: SynthesisCache, env: str
) -> None:
    for provider in all_of(synth_cache, env, "AWS::ECS::CapacityProvider"):
        if "AutoScalingGroupProvider" in provider:
            assert provider["AutoScalingGroupProvider"]["ManagedTerminationProtection"] == "ENABLED"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ecs_20_every_container_runs_as_a_non_root_user(synth_cache: SynthesisCache, env: str) -> None:
    """No escape: the shipped environments give every container (sidecars too) its user."""
    every = containers(synth_cache, env)
    assert len(every) >= 2
    for container in every:
        user = container.get("User", "")
        assert user and user.split(":")[0] not in ("root", "0"), container["Name"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_imds_hardening_on_ec2_capacity(synth_cache: SynthesisCache, env: str) -> None:
    for launch_template in all_of(synth_cache, env, "AWS::EC2::LaunchTemplate"):
        data = launch_template["LaunchTemplateData"]
        assert data["MetadataOptions"] == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}
        assert "awsvpc-block-imds = true" in json.dumps(
            data["UserData"]
        ) or "ECS_AWSVPC_BLOCK_IMDS=true" in json.dumps(data["UserData"])
        assert all(d["Ebs"]["Encrypted"] for d in data["BlockDeviceMappings"])
