"""Capacity in the spec: EC2 groups, Managed Instances, architectures and strategies."""

from __future__ import annotations

import pytest

from config import parse_spec
from config.instance_types import architecture_of
from config.loader import ENVIRONMENTS_DIR
from stacks.app_builder import build_environment
from tests.harness import make_app, resources_of_type
from tests.spec_problems import problems_of

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()


@pytest.mark.parametrize(
    ("instance_type", "architecture"),
    [
        ("m7g.large", "arm64"),
        ("c6gn.xlarge", "arm64"),
        ("t4g.micro", "arm64"),
        ("a1.large", "arm64"),
        ("r8gd.2xlarge", "arm64"),
        ("t3.medium", "x86_64"),
        ("m5.large", "x86_64"),
        ("g5.xlarge", "x86_64"),
        ("c7i.large", "x86_64"),
        ("inf2.xlarge", "x86_64"),
    ],
)
def test_architecture_from_instance_type(instance_type: str, architecture: str) -> None:
    assert architecture_of(instance_type) == architecture


def test_local_exercises_fargate_spot_and_two_ec2_groups() -> None:
    spec = parse_spec(LOCAL_TEXT)
    groups = spec.cluster.ec2_capacity
    assert spec.cluster.fargate and len(groups) >= 2
    assert any({architecture_of(t) for t in g.instance_types} == {"arm64"} for g in groups.values())
    assert any(g.spot and len(g.instance_types) > 1 for g in groups.values())


def test_instance_types_must_share_an_architecture() -> None:
    text = LOCAL_TEXT.replace("[m7g.medium, m6g.medium]", "[m7g.medium, t3.medium]")
    [problem] = problems_of(text)
    assert problem.startswith("cluster.ec2_capacity.graviton.instance_types")
    assert "mix CPU architectures: m7g.medium (arm64), t3.medium (x86_64)" in problem


def test_declared_architecture_is_checked_against_types() -> None:
    text = LOCAL_TEXT.replace(
        "[m7g.medium, m6g.medium]\n", "[m7g.medium, m6g.medium]\n      architecture: x86_64\n"
    )
    [problem] = problems_of(text)
    assert problem.startswith("cluster.ec2_capacity.graviton.architecture")
    assert "x86_64 does not match the instance types (m7g.medium, m6g.medium are arm64)" in problem


def test_unknown_ami_family() -> None:
    text = LOCAL_TEXT.replace("      spot: true\n", "      spot: true\n      ami: ubuntu\n")
    [problem] = problems_of(text)
    assert problem.startswith("cluster.ec2_capacity.spot.ami") and "'al2023' or 'bottlerocket'" in problem


MANAGED = "  managed_instances:\n    flex:\n      min_vcpus: 2\n      max_vcpus: 4\n"


def with_managed(text: str) -> str:
    return text.replace("  default_capacity:\n", MANAGED + "  default_capacity:\n", 1)


def test_managed_instances_job_gets_a_managed_instances_task_definition_and_strategy() -> None:
    text = with_managed(LOCAL_TEXT).replace("      - provider: spot\n", "      - provider: flex\n", 1)
    spec = parse_spec(text)
    assert spec.capacity_kind("reports") == "managed_instances"
    app = make_app()
    stacks = {s.stack_name: s for s in build_environment(app, spec)}
    template = app.synth().get_stack_by_name("shop-local-svc-reports").template
    [task] = resources_of_type(template, "AWS::ECS::TaskDefinition").values()
    assert task["Properties"]["RequiresCompatibilities"] == ["MANAGED_INSTANCES"]
    [schedule] = resources_of_type(template, "AWS::Scheduler::Schedule").values()
    strategy = schedule["Properties"]["Target"]["EcsParameters"]["CapacityProviderStrategy"]
    assert [item["CapacityProvider"] for item in strategy] == ["cp-shop-local-flex"]
    assert "LaunchType" not in schedule["Properties"]["Target"]["EcsParameters"]
    assert "shop-local-cluster" in stacks


def test_strategy_cannot_mix_managed_instances_and_ec2() -> None:
    text = with_managed(LOCAL_TEXT).replace(
        "      - provider: spot\n        weight: 1\n",
        "      - provider: spot\n        weight: 1\n      - provider: flex\n",
        1,
    )
    [problem] = problems_of(text)
    assert problem.startswith("services.reports.capacity") and "(ec2, managed_instances)" in problem


def test_provider_names_are_unique_across_kinds() -> None:
    text = LOCAL_TEXT.replace(
        "  default_capacity:\n", "  managed_instances:\n    spot: {}\n  default_capacity:\n", 1
    )
    problems = problems_of(text)
    assert any(p.startswith("cluster.ec2_capacity.spot") and "names must be unique" in p for p in problems)


def test_managed_instances_bounds() -> None:
    text = with_managed(LOCAL_TEXT).replace("min_vcpus: 2", "min_vcpus: 16")
    [problem] = problems_of(text)
    assert problem.startswith("cluster.managed_instances.flex.min_vcpus")
