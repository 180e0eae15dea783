"""``container_image``: private ECR images get a pull grant scoped to their repository."""

from __future__ import annotations

import json

import pytest
from aws_cdk import assertions

from constructs_lib import ContainerProps, VersionedTaskDefinition, container_image
from tests.harness import new_stack


def execution_policy_and_image(reference: str) -> tuple[list[dict[str, object]], object]:
    stack = new_stack()
    VersionedTaskDefinition(
        stack,
        "Task",
        family="f",
        cpu=256,
        memory_mib=512,
        containers=[ContainerProps("app", container_image(stack, "Image", reference))],
    )
    template = assertions.Template.from_stack(stack)
    policies = template.find_resources("AWS::IAM::Policy")
    statements = [
        s
        for logical_id, p in policies.items()
        if "ExecutionRole" in logical_id
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    [task] = template.find_resources("AWS::ECS::TaskDefinition").values()
    return statements, task["Properties"]["ContainerDefinitions"][0]["Image"]


@pytest.mark.parametrize(
    ("reference", "suffix"),
    [
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:1.2.3", "/team/api:1.2.3"),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:" + "a" * 64, "/api@sha256:" + "a" * 64),
    ],
)
def test_ecr_image_grants_pull_on_exactly_that_repository(reference: str, suffix: str) -> None:
    statements, image = execution_policy_and_image(reference)
    pull = next(s for s in statements if "ecr:BatchGetImage" in s["Action"])  # type: ignore[operator]
    repository = suffix.split(":", maxsplit=1)[0].split("@", maxsplit=1)[0]
    assert pull["Resource"] == f"arn:aws:ecr:us-east-1:123456789012:repository{repository}"
    assert json.dumps(image).endswith(json.dumps(suffix)[1:-1] + '"]]}')


def test_public_image_gets_no_ecr_permissions() -> None:
    statements, image = execution_policy_and_image("public.ecr.aws/nginx/nginx:1.27")
    assert image == "public.ecr.aws/nginx/nginx:1.27"
    assert not any("ecr:BatchGetImage" in str(s["Action"]) for s in statements)
