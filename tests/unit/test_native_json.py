"""Native ECS JSON ⇄ template: import any register/describe document, render it back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import assertions

from constructs_lib import NativeTaskDefinitionError, VersionedTaskDefinition
from constructs_lib.native_json import READ_ONLY_FIELDS, from_cloudformation
from tests.harness import new_stack

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "task_definitions"


def load(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / name).read_text()))


def synthesise(document: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    stack = new_stack()
    VersionedTaskDefinition.from_native_json(stack, "Task", document, **kwargs)
    [resource] = assertions.Template.from_stack(stack).find_resources("AWS::ECS::TaskDefinition").values()
    return dict(resource)


def expected_native(document: dict[str, Any]) -> dict[str, Any]:
    """The input as it comes back: without read-only fields, describe's tags folded in."""
    body = dict(document.get("taskDefinition", document))
    if "taskDefinition" in document:
        body["tags"] = document["tags"]
    return {k: v for k, v in body.items() if k not in READ_ONLY_FIELDS}


@pytest.mark.parametrize("fixture", ["web-with-sidecars.json", "describe-output.json"])
def test_round_trip(fixture: str) -> None:
    """native JSON → construct → template → native JSON equals the input.

    Documented normalisations: read-only server fields are dropped, and tags come back
    sorted by key (CloudFormation tags are a set).
    """
    document = load(fixture)
    resource = synthesise(document)
    rendered = from_cloudformation(resource["Properties"])
    expected = expected_native(document)
    rendered["tags"] = sorted(rendered.get("tags", []), key=lambda t: t["key"])
    expected["tags"] = sorted(expected.get("tags", []), key=lambda t: t["key"])
    assert rendered == expected


def test_revisions_are_retained() -> None:
    resource = synthesise(load("web-with-sidecars.json"))
    assert resource["UpdateReplacePolicy"] == "Retain" and resource["DeletionPolicy"] == "Retain"


def test_image_override_and_release_tags() -> None:
    document = load("web-with-sidecars.json")
    resource = synthesise(
        document,
        image_overrides={"web": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-web:1.4.3"},
        release_labels={"deployer.version": "1.4.3"},
    )
    properties = resource["Properties"]
    assert properties["ContainerDefinitions"][0]["Image"].endswith("shop-web:1.4.3")
    assert {"Key": "deployer.version", "Value": "1.4.3"} in properties["Tags"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(maxSwap=5, runtimeId="x"), "cannot represent: maxSwap, runtimeId"),
        (lambda d: d.pop("containerDefinitions"), "'containerDefinitions' is required"),
        (lambda d: d.pop("executionRoleArn"), "executionRoleArn is required"),
        (lambda d: d.update(requiresCompatibilities=["EXTERNAL"]), "not supported"),
    ],
)
def test_unrepresentable_documents_are_rejected_with_the_fields(change: Any, message: str) -> None:
    document = load("web-with-sidecars.json")
    change(document)
    with pytest.raises(NativeTaskDefinitionError, match=message):
        synthesise(document)


def test_unknown_image_override_is_rejected() -> None:
    with pytest.raises(NativeTaskDefinitionError, match="unknown container\\(s\\): api"):
        synthesise(load("web-with-sidecars.json"), image_overrides={"api": "x:1"})
