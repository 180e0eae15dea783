"""`constructs_lib` installs with pip and works in another CDK app without this repo's code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

from tests.harness import ROOT

CONSUMER_APP = textwrap.dedent(
    """
    import json, sys
    import aws_cdk as cdk
    from aws_cdk import aws_ecs as ecs
    from constructs_lib import Capacity, ContainerProps, EcsCluster, EcsService, Network, VersionedTaskDefinition

    try:
        import config  # this repository's spec package must not be needed (or present)
        sys.exit("config package is importable: the test is not isolated")
    except ImportError:
        pass

    app = cdk.App(context={"availability-zones:account=123456789012:region=us-east-1": ["us-east-1a", "us-east-1b"]})
    stack = cdk.Stack(app, "Consumer", env=cdk.Environment(account="123456789012", region="us-east-1"))
    network = Network(stack, "Network")
    cluster = EcsCluster(stack, "Cluster", vpc=network.vpc)
    task = VersionedTaskDefinition(
        stack, "Task", family="consumer-api", cpu=256, memory_mib=512,
        containers=[ContainerProps("api", ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"), port=80)],
    )
    EcsService(
        stack, "Service", cluster=cluster.cluster, task_definition=task.task_definition,
        capacity_provider_strategies=[ecs.CapacityProviderStrategy(capacity_provider="FARGATE_SPOT", weight=1)],
        vpc_subnets=network.private_subnets,
    )
    template = app.synth().get_stack_by_name("Consumer").template
    print(json.dumps(sorted({r["Type"] for r in template["Resources"].values()})))
    """
)


def test_wheel_holds_only_the_construct_library(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    [wheel] = wheel_dir.glob("*.whl")
    top_level = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {n for n in top_level if not n.endswith(".dist-info")} == {"constructs_lib"}
    metadata = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("METADATA"))
    requires = [
        line
        for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
        if line.startswith("Requires-Dist")
    ]
    names = sorted(re.split(r"[<>=!~ ]", r.split(":", 1)[1].strip())[0] for r in requires)
    assert names == ["aws-cdk-lib", "constructs"]

    # Install it alone and synthesise a fresh app from a directory outside the repository.
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    app_file = tmp_path / "consumer_app.py"
    app_file.write_text(CONSUMER_APP)
    environment = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}
    completed = subprocess.run(
        [sys.executable, str(app_file)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    types = json.loads(completed.stdout.strip().splitlines()[-1])
    assert {"AWS::ECS::Cluster", "AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::EC2::VPC"} <= set(
        types
    )
