"""Capacity in the spec: EC2 groups, Managed Instances, architectures and strategies."""

from __future__ import annotations

import subprocess
import sys
import typing

import pytest

from config import parse_spec
from config.capacity_schema import Ec2CapacitySpec
from config.instance_types import architecture_of
from config.loader import ENVIRONMENTS_DIR
from constructs_lib import AmiFamily
from constructs_lib.root_volumes import SNAPSHOT_GIB
from stacks.app_builder import build_environment
from tests.harness import ROOT, make_app, resources_of_type
from tests.spec_problems import assert_problem, edited, problems_of, refused

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


SPOT_GROUP = "      target_capacity_percent: 90\n"  # the last line of local.yaml's spot group (al2023)
AL2023_ROOT = (
    "the ECS-optimised Amazon Linux 2023 AMI's root volume (/dev/xvda) comes from a 30 GiB snapshot "
    "and EC2 refuses a smaller volume at launch; allowed: 30 to 16384 GiB, got {}"
)
BOTTLEROCKET_DATA = (
    "Bottlerocket's data volume (/dev/xvdb) comes from a 20 GiB snapshot and EC2 refuses a smaller "
    "volume at launch; allowed: 20 to 16384 GiB, got {}"
)


@pytest.mark.parametrize("size", [8, 29])
def test_a_root_volume_below_the_al2023_ami_snapshot_is_refused(size: int) -> None:
    """EC2 refuses "Volume of size 8GB is smaller than snapshot …, expect size >= 30GB": the
    ECS-optimised AL2023 AMI ships a 30 GiB root volume, which root_volume_gib sizes."""
    text = edited("local", SPOT_GROUP, SPOT_GROUP + f"      root_volume_gib: {size}\n")
    assert_problem(refused(text), "cluster.ec2_capacity.spot.root_volume_gib", AL2023_ROOT.format(size))
    assert parse_spec(edited("local", SPOT_GROUP, SPOT_GROUP + "      root_volume_gib: 30\n"))


def test_a_bottlerocket_data_volume_below_its_snapshot_is_refused() -> None:
    """On Bottlerocket root_volume_gib sizes the data volume (/dev/xvdb), whose snapshot is 20 GiB."""
    bottlerocket = SPOT_GROUP + "      ami: bottlerocket\n"
    text = edited("local", SPOT_GROUP, bottlerocket + "      root_volume_gib: 19\n")
    assert_problem(refused(text), "cluster.ec2_capacity.spot.root_volume_gib", BOTTLEROCKET_DATA.format(19))
    spec = parse_spec(edited("local", SPOT_GROUP, bottlerocket + "      root_volume_gib: 20\n"))
    assert spec.cluster.ec2_capacity["spot"].root_volume_gib == 20


def test_every_ami_family_has_its_snapshot_size() -> None:
    families = set(typing.get_args(Ec2CapacitySpec.model_fields["ami"].annotation))
    assert families == {f.value for f in AmiFamily} == set(SNAPSHOT_GIB)


def test_the_cli_loads_no_aws_cdk_lib_to_check_root_volumes() -> None:
    """The spec checks read the snapshot sizes from a module free of aws-cdk-lib: importing it
    starts the jsii kernel, which the warm CLI process of the tests cannot fork (tests/forked_cli.py)."""
    probe = "import sys, deployer.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'aws_cdk'))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert loaded.stdout.strip() == "[]"


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
