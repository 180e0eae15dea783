"""Property-based bad input for task-definition files: any edit of a real-shaped file either
passes validation and synthesises, or is refused with JSON-path problems; never an exception."""

from __future__ import annotations

import copy
import json
from typing import Any

import aws_cdk as cdk
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import parse_spec
from config.task_definition_files import checked_body
from constructs_lib import Capacity, VersionedTaskDefinition
from tests.harness import make_app
from tests.native_fixtures import CAPACITY_SPEC_TEXT, FIXTURES, SERVICES
from tests.unit.test_bad_input_properties import paths


def _non_root(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a non-root user on every container that has none, so that an edit (not
    the non-root rule, which test_native_users.py covers) decides whether it passes."""
    body = document.get("taskDefinition", document)
    for container in body["containerDefinitions"]:
        container.setdefault("user", "1000")
    return document


DOCUMENTS = [_non_root(json.loads((FIXTURES / file).read_text())) for file, _ in SERVICES.values()]
SPEC = parse_spec(CAPACITY_SPEC_TEXT)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "FARGATE",
            "EC2",
            "awsvpc",
            "bridge",
            "${X}",
            "{{ must_env `X` }}",
            "ALL",
            "HEALTHY",
            "SUCCESS",
            "log_router",
            "envoy",
            "web",
        ]
    ),
    st.lists(st.text(max_size=4), max_size=2),
    st.just({}),
    st.just([]),
)


@st.composite
def edited(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(paths(document)))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(VALUES)
        if not paths(document):
            break
    return document


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=edited(), service=st.sampled_from(["fargate", "ec2", "web"]))
def test_an_edited_file_is_checked_without_an_exception(document: dict[str, Any], service: str) -> None:
    _, problems = checked_body(document, SPEC, service)
    assert all(p.message for p in problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=edited(), service=st.sampled_from(["fargate", "ec2"]))
def test_an_edited_file_that_validates_synthesises(document: dict[str, Any], service: str) -> None:
    body, problems = checked_body(document, SPEC, service)
    if problems:
        return
    stack = cdk.Stack(make_app(), "Native", env=cdk.Environment(account="123456789012", region="us-east-1"))
    VersionedTaskDefinition.from_native_json(
        stack, "Task", body, capacity=Capacity(SPEC.capacity_kind(service))
    )
    cdk.App.of(stack).synth()  # type: ignore[union-attr]
