"""Task-definition files that ECS would refuse, or that this project refuses by policy: each
problem names the JSON path, and what ECS or the project allows. Checked without CDK: these
files never reach it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import parse_spec
from config.task_definition_files import read_task_definition
from tests.native_fixtures import CAPACITY_SPEC_TEXT as SPEC_TEXT
from tests.native_fixtures import FIXTURES

REFUSED = FIXTURES / "refused"
SPEC = parse_spec(SPEC_TEXT)


def problems(path: Path, service: str = "fargate") -> list[tuple[str, str]]:
    _, found = read_task_definition(path, SPEC, service)
    return [(p.path, p.message) for p in found]


def has(found: list[tuple[str, str]], path: str, fragment: str) -> bool:
    return any(p == path and fragment in m for p, m in found)


@pytest.mark.parametrize(
    ("file", "service", "path", "fragment"),
    [
        (
            "bridge-links.json",
            "ec2",
            "networkMode",
            '"bridge"; this deployer runs native files in "awsvpc" mode',
        ),
        (
            "bridge-links.json",
            "ec2",
            "containerDefinitions[1].links[0]",
            "no container named 'app'; other containers: php-fpm",
        ),
        ("classic-ec2.json", "ec2", "networkMode", 'missing, which ECS reads as "bridge" on EC2'),
        ("classic-ec2.json", "fargate", "networkMode", 'runs on Fargate, which needs "awsvpc"'),
        ("host-daemon-placeholders.json", "ec2", "networkMode", '"host"'),
        (
            "host-daemon-placeholders.json",
            "ec2",
            "containerDefinitions[0].image",
            "'{{ env `NGINX_VERSION` `latest` }}' is an unfilled template placeholder",
        ),
        (
            "host-daemon-placeholders.json",
            "ec2",
            "executionRoleArn",
            "'${AWS_ACCOUNT_ID}' is an unfilled template placeholder",
        ),
        (
            "host-daemon-placeholders.json",
            "ec2",
            "containerDefinitions[0].secrets[0].valueFrom",
            "ecspresso render taskdef",
        ),
        (
            "windows-iis.json",
            "fargate",
            "runtimePlatform.operatingSystemFamily",
            "Windows containers need Windows capacity",
        ),
        (
            "gpu-inference.json",
            "ec2",
            "containerDefinitions[0].resourceRequirements[0]",
            "GPU needs accelerated instances",
        ),
        (
            "plain-secrets.json",
            "fargate",
            "containerDefinitions[0].environment[1]",
            "DB_PASSWORD looks like a secret",
        ),
        (
            "plain-secrets.json",
            "fargate",
            "containerDefinitions[0].environment[2]",
            "AWS_SECRET_ACCESS_KEY looks like a secret",
        ),
        (
            "missing-execution-role.json",
            "fargate",
            "executionRoleArn",
            "containerDefinitions[0].secrets, containerDefinitions[0].logConfiguration.logDriver (awslogs on Fargate), containerDefinitions[0].image (a private ECR image on Fargate)",
        ),
        (
            "dangling-references.json",
            "fargate",
            "containerDefinitions[0].dependsOn[0].containerName",
            "no container named 'cache-warmer'",
        ),
        (
            "dangling-references.json",
            "fargate",
            "containerDefinitions[0].volumesFrom[0].sourceContainer",
            "no container named 'seed'",
        ),
        (
            "dangling-references.json",
            "fargate",
            "containerDefinitions[0].mountPoints[0].sourceVolume",
            "no volume named 'data'; volumes: none",
        ),
        (
            "dangling-references.json",
            "fargate",
            "proxyConfiguration.containerName",
            "no container named 'envoy'; containers: ids",
        ),
        (
            "dangling-references.json",
            "fargate",
            "containerDefinitions[0].logConfiguration.logDriver",
            "awsfirelens needs a log router",
        ),
        ("wrong-shapes.json", "fargate", "networkMode", "'AWSVPC' is not one of: bridge, host, awsvpc, none"),
        (
            "wrong-shapes.json",
            "fargate",
            "containerDefinitions[0].essential",
            "expected true or false, got a string ('true')",
        ),
        (
            "wrong-shapes.json",
            "fargate",
            "containerDefinitions[0].portMappings[0].containerPort",
            "expected a whole number, got a string ('8080')",
        ),
        (
            "wrong-shapes.json",
            "fargate",
            "containerDefinitions[0].environmentVariables",
            "unknown field; did you mean 'environmentFiles'?",
        ),
        (
            "wrong-shapes.json",
            "fargate",
            "containerDefinitions[0].logConfiguration.logDriver",
            "'cloudwatch' is not one of: json-file",
        ),
        ("fargate-limits.json", "fargate", "placementConstraints", "not valid on Fargate"),
        ("fargate-limits.json", "fargate", "containerDefinitions[0].privileged", "not valid on Fargate"),
        (
            "fargate-limits.json",
            "fargate",
            "containerDefinitions[0].linuxParameters.devices",
            "not valid on Fargate",
        ),
        (
            "fargate-limits.json",
            "fargate",
            "containerDefinitions[0].linuxParameters.capabilities.add[0]",
            "may add SYS_PTRACE only",
        ),
        (
            "fargate-limits.json",
            "fargate",
            "memory",
            "4096 is not a valid Fargate memory for cpu 256; allowed: 512, 1024, 2048",
        ),
        (
            "fargate-limits.json",
            "fargate",
            "containerDefinitions[0].hostname",
            "not valid in awsvpc network mode",
        ),
        (
            "fargate-limits.json",
            "fargate",
            "containerDefinitions[0].portMappings[0].hostPort",
            "80: in awsvpc mode the host port is the container port (8080)",
        ),
        (
            "two-served-containers.json",
            "web",
            "containerDefinitions",
            "a web service needs its main container: name one 'web'",
        ),
        (
            "terraform-container-definitions.json",
            "fargate",
            "",
            "a JSON list (Terraform's container_definitions)",
        ),
        (
            "terraform-unrendered.json",
            "fargate",
            "",
            "(line 6, column 16), at what looks like an unfilled template placeholder",
        ),
        ("ecspresso-source.jsonnet", "fargate", "", "Jsonnet is not JSON"),
    ],
)
def test_each_refusal_names_the_json_path(file: str, service: str, path: str, fragment: str) -> None:
    assert has(problems(REFUSED / file, service), path, fragment), problems(REFUSED / file, service)


def test_a_fargate_only_file_on_an_ec2_group_is_a_contradiction() -> None:
    assert problems(FIXTURES / "github-actions-fargate.json", "ec2") == [
        (
            "requiresCompatibilities",
            "['FARGATE'] does not include EC2, and services.ec2 runs on an EC2 group: add EC2 or change the service's capacity",
        ),
        (
            "containerDefinitions[0].user",
            "required: a non-root user for 'catalog' to run as, e.g. '1000', '1000:1000' or 'app' (an image's default user is often root); or list 'catalog' in services.ec2.run_as_root_containers with a reason",
        ),
    ]


def test_an_ec2_export_on_fargate_is_refused_with_what_ecs_computed(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "describe-export-top-level.json").read_text())
    document.pop("requiresCompatibilities")
    document["compatibilities"] = ["EC2"]
    (tmp_path / "x.json").write_text(json.dumps(document))
    assert has(
        problems(tmp_path / "x.json"), "compatibilities", "ECS registered this definition for ['EC2'] only"
    )


def test_without_requires_compatibilities_a_fargate_ready_file_runs_on_fargate(tmp_path: Path) -> None:
    """ECS computes FARGATE compatibility for such a file (awsvpc, task cpu and memory)."""
    document = json.loads((FIXTURES / "github-actions-fargate.json").read_text())
    document.pop("requiresCompatibilities")
    document["containerDefinitions"][0]["user"] = "1000"
    (tmp_path / "x.json").write_text(json.dumps(document))
    assert problems(tmp_path / "x.json") == []


def test_digests_are_required_of_every_container_where_the_environment_says_so() -> None:
    spec = parse_spec(SPEC_TEXT.replace("target: local}", "target: local, require_image_digests: true}"))
    _, found = read_task_definition(FIXTURES / "web-with-sidecars.json", spec, "fargate")
    images = [p for p in found if p.path.endswith(".image")]
    assert [p.path for p in images] == [f"containerDefinitions[{i}].image" for i in range(3)]
    assert all("has no @sha256 digest; this environment requires digests" in p.message for p in images)
    assert [p.path for p in found if p not in images] == ["containerDefinitions[2].user"]  # log_router


def test_a_missing_file_is_named() -> None:
    assert problems(REFUSED / "nope.json") == [("", f"no such file: {REFUSED / 'nope.json'}")]


def test_a_web_file_serving_grpc_needs_the_https_listener(tmp_path: Path) -> None:
    """The served mapping's appProtocol drives the target group as app_protocol does."""
    from config.native.containers import web_app_protocol

    document = json.loads((FIXTURES / "web-with-sidecars.json").read_text())
    document["containerDefinitions"][0]["portMappings"][0]["appProtocol"] = "grpc"
    (tmp_path / "x.json").write_text(json.dumps(document))
    assert has(
        problems(tmp_path / "x.json", "web"),
        "containerDefinitions[0].portMappings[0].appProtocol",
        "grpc behind the load balancer needs its HTTPS listener",
    )
    body, _ = read_task_definition(tmp_path / "x.json", SPEC, "web")
    assert web_app_protocol(SPEC.with_task_definitions({"web": body}), "web") == "grpc"
    assert web_app_protocol(SPEC, "fargate") is None  # no file loaded: the spec's own key (none)
