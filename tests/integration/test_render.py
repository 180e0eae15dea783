"""`deployer render`: the task definition a deploy would register, as native JSON."""

from __future__ import annotations

import json

from config import load_spec
from tests.cli import run_deployer


def test_render_prints_native_json_of_the_service() -> None:
    result = run_deployer(
        "render", "--env", "local", "--service", "web", "--image", "public.ecr.aws/nginx/nginx:1.28"
    )
    assert result.code == 0, result.output
    document = json.loads(result.stdout)
    spec = load_spec("local")
    assert document["family"] == "shop-local-web"
    assert document["networkMode"] == "awsvpc" and document["requiresCompatibilities"] == ["FARGATE"]
    [web] = document["containerDefinitions"]
    assert web["image"] == "public.ecr.aws/nginx/nginx:1.28"
    assert web["readonlyRootFilesystem"] is True
    assert web["portMappings"][0]["containerPort"] == spec.services["web"].port
    assert web["logConfiguration"]["options"]["awslogs-region"] == "us-east-1"
    assert document["executionRoleArn"].startswith("${") and document["executionRoleArn"].endswith(".Arn}")


def test_render_unknown_service_is_bad_input() -> None:
    result = run_deployer("render", "--env", "local", "--service", "nope")
    assert result.code == 2 and "--service unknown service 'nope'; services: web" in result.stderr


def test_render_without_a_service_is_a_usage_error() -> None:
    """It said "--service unknown service ''"."""
    result = run_deployer("render", "--env", "local")
    assert result.code == 2 and "Missing option '--service'" in result.stderr
    as_json = run_deployer("render", "--env", "local", "--json")
    assert as_json.code == 2
    assert json.loads(as_json.stdout)["error"]["problems"][0]["path"] == "--service"
