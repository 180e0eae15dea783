"""Ingress on every shipped environment: the world reaches the public load balancer on 443 and 80
only; everything else is the VPC's CIDR or one security group on one container port."""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import naming
from config.schema import AppSpec
from tests.harness import SynthesisCache, resources_of_type

ENVIRONMENTS = ["local", "dev", "prod"]
WORLD = ("0.0.0.0/0", "::/0")


def ingress_rules(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, rule) for inline rules of security groups and standalone ingress resources."""
    rules = [
        (logical_id, rule)
        for logical_id, group in resources_of_type(template, "AWS::EC2::SecurityGroup").items()
        for rule in group["Properties"].get("SecurityGroupIngress", [])
    ]
    rules += [
        (logical_id, resource["Properties"])
        for logical_id, resource in resources_of_type(template, "AWS::EC2::SecurityGroupIngress").items()
    ]
    return rules


def is_vpc_cidr(spec: AppSpec, cidr: Any) -> bool:
    return cidr == str(spec.network.cidr) or "CidrBlock" in json.dumps(cidr)


def destination_port(spec: AppSpec, stack: str, rule: dict[str, Any]) -> int:
    """The container port of the service whose security group the rule opens."""
    group = json.dumps(rule["GroupId"])
    if "Fn::ImportValue" not in group:  # this stack's own service
        return spec.services[stack.removeprefix(f"{naming.stack_prefix(spec)}-svc-")].port
    callee = next(n for n in spec.services if f'"{naming.service_stack_name(spec, n)}:' in group)
    caller = stack.removeprefix(f"{naming.stack_prefix(spec)}-svc-")
    assert caller in spec.services[callee].allow_from, f"{caller} → {callee} is not in allow_from"
    return spec.services[callee].port


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_only_the_public_load_balancer_accepts_the_world_on_443_and_80(
    synth_cache: SynthesisCache, env: str
) -> None:
    spec = synth_cache.get(env).spec
    open_to_world = []
    for stack, template in synth_cache.get(env).templates.items():
        for where, rule in ingress_rules(template):
            if rule.get("CidrIp") in WORLD or rule.get("CidrIpv6") in WORLD:
                open_to_world.append((stack, rule["FromPort"], rule["ToPort"]))
                assert stack == naming.ingress_stack_name(spec), where
                assert rule["FromPort"] == rule["ToPort"] and rule["FromPort"] in {80, 443}, where
            elif "CidrIp" in rule or "CidrIpv6" in rule:
                assert is_vpc_cidr(spec, rule.get("CidrIp", rule.get("CidrIpv6"))), where
    expected_ports = {443, 80} if spec.load_balancer.certificate_arn else {80}
    assert {port for _, port, _ in open_to_world} == (
        expected_ports if spec.services_of_kind("web") else set()
    )


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_service_security_groups_open_one_container_port_to_one_group(
    synth_cache: SynthesisCache, env: str
) -> None:
    spec = synth_cache.get(env).spec
    opened = 0
    for name in spec.services:
        stack = naming.service_stack_name(spec, name)
        for where, rule in ingress_rules(synth_cache.get(env).templates[stack]):
            assert "SourceSecurityGroupId" in rule, f"{stack}/{where} opens to an address range"
            port = destination_port(spec, stack, rule)
            assert rule["IpProtocol"] == "tcp" and rule["FromPort"] == rule["ToPort"] == port, where
            opened += 1
    callers = sum(len(s.allow_from) for s in spec.services.values())
    own_groups = [web for web in spec.services_of_kind("web") if spec.network_mode_of(web) == "awsvpc"]
    assert opened == callers + len(own_groups)  # allow_from plus load balancer → awsvpc web


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_instances_open_only_bridge_ports_to_the_load_balancer(synth_cache: SynthesisCache, env: str) -> None:
    """An EC2 group's instances take no traffic but the load balancer's, on ECS's dynamic host
    ports (32768-65535, the Linux ephemeral range), and only where bridge web services run."""
    synthesised = synth_cache.get(env)
    spec = synthesised.spec
    cluster = synthesised.templates[naming.cluster_stack_name(spec)]
    instance_groups = {
        logical_id: group["Properties"]["GroupDescription"].removeprefix("ECS instances (").removesuffix(")")
        for logical_id, group in resources_of_type(cluster, "AWS::EC2::SecurityGroup").items()
        if group["Properties"]["GroupDescription"].startswith("ECS instances (")
    }
    assert sorted(instance_groups.values()) == sorted(spec.cluster.ec2_capacity)
    opened = set()
    for stack, template in synthesised.templates.items():
        for where, rule in ingress_rules(template):
            target = (
                json.dumps(rule.get("GroupId", "")) if stack != naming.cluster_stack_name(spec) else where
            )
            group = next((g for logical_id, g in instance_groups.items() if logical_id in target), None)
            if group is None:
                continue
            assert stack == naming.ingress_stack_name(spec), where
            assert rule["SourceSecurityGroupId"] == {
                "Fn::GetAtt": ["LoadBalancerSecurityGroupA28D6DD7", "GroupId"]
            }
            opened.add((group, rule["IpProtocol"], rule["FromPort"], rule["ToPort"]))
    bridge_groups = {
        item.provider
        for web in spec.services_of_kind("web")
        if spec.network_mode_of(web) == "bridge"
        for item in spec.strategy_for(web)
    }
    assert opened == {(group, "tcp", 32768, 65535) for group in bridge_groups}
