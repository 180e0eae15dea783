"""Non-root containers in task-definition files (Security Hub ECS.20, Control Tower CT.ECS.PR.3):
the rule spec containers follow. A file's container names a non-root ``user`` or the service
lists it in ``run_as_root_containers`` with a reason, which the template acknowledges for that
container only; Control Tower's own rule (cfn-guard) is the oracle for the acknowledgement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from config import SpecError, load_spec, parse_spec
from config.task_definition_files import read_task_definition
from constructs_lib import Capacity, VersionedTaskDefinition
from tests.harness import make_app
from tests.native_fixtures import CAPACITY_SPEC_TEXT, FIXTURES, write_environment
from tests.policy_validation import CONTROL_TOWER, validate_app
from tests.spec_problems import problems_of

SIDECARS = FIXTURES / "web-with-sidecars.json"  # web 1000:1000, envoy 1337, log_router no user
REASON = "Fluent Bit reads the host's log files as root"


def file_problems(tmp_path: Path, edit: dict[int, Any], listed: str = "") -> list[tuple[str, str]]:
    """The problems of the sidecar fixture with ``edit`` (container index → user, None removes
    it), for a Fargate service whose spec adds ``listed``."""
    document = json.loads(SIDECARS.read_text())
    for index, user in edit.items():
        document["containerDefinitions"][index].pop("user", None)
        if user is not None:
            document["containerDefinitions"][index]["user"] = user
    (tmp_path / "x.json").write_text(json.dumps(document))
    spec = parse_spec(
        CAPACITY_SPEC_TEXT.replace(
            "fargate: {task_definition_file: x.json}", f"fargate: {{task_definition_file: x.json{listed}}}"
        )
    )
    _, found = read_task_definition(tmp_path / "x.json", spec, "fargate")
    return [(p.path, p.message) for p in found]


def test_a_container_without_a_user_is_refused_at_its_path(tmp_path: Path) -> None:
    assert file_problems(tmp_path, {}) == [
        (
            "containerDefinitions[2].user",
            "required: a non-root user for 'log_router' to run as, e.g. '1000', '1000:1000' or 'app' "
            "(an image's default user is often root); or list 'log_router' in "
            "services.fargate.run_as_root_containers with a reason",
        )
    ]


@pytest.mark.parametrize("user", ["root", "0", "0:0", "root:staff"])
def test_a_root_user_is_refused(tmp_path: Path, user: str) -> None:
    listed = f", run_as_root_containers: {{log_router: {{reason: {REASON}}}}}"
    assert file_problems(tmp_path, {0: user}, listed) == [
        (
            "containerDefinitions[0].user",
            f"{user!r} is root; use a non-root user, or list 'web' in "
            "services.fargate.run_as_root_containers with a reason",
        )
    ]


@pytest.mark.parametrize("user", ["1000", "app", "rootless", "10:0"])
def test_a_non_root_user_passes_and_may_not_be_listed(tmp_path: Path, user: str) -> None:
    listed = f", run_as_root_containers: {{log_router: {{reason: {REASON}}}, web: {{reason: {REASON}}}}}"
    assert file_problems(tmp_path, {0: user}, listed) == [
        (
            "containerDefinitions[0].user",
            f"{user!r} is not root, yet services.fargate.run_as_root_containers lists 'web': remove one of them",
        )
    ]
    assert (
        file_problems(tmp_path, {0: user}, f", run_as_root_containers: {{log_router: {{reason: {REASON}}}}}")
        == []
    )


def test_a_listed_container_may_name_root_or_no_user(tmp_path: Path) -> None:
    listed = f", run_as_root_containers: {{log_router: {{reason: {REASON}}}, web: {{reason: {REASON}}}}}"
    assert file_problems(tmp_path, {0: "root"}, listed) == []
    assert file_problems(tmp_path, {0: None}, listed) == []


def test_a_reason_must_say_something(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        file_problems(tmp_path, {}, ", run_as_root_containers: {log_router: {reason: root}}")
    assert [p.path for p in caught.value.problems] == [
        "services.fargate.run_as_root_containers.log_router.reason"
    ]


def test_a_listed_container_the_file_does_not_have_is_named(tmp_path: Path) -> None:
    environments = write_environment(tmp_path, {"web": ("web-with-sidecars.json", "")})
    spec_file = environments / "fx.yaml"
    listed = "run_as_root_containers: {"
    spec_file.write_text(spec_file.read_text().replace(listed, f"{listed}fluentbit: {{reason: {REASON}}}, "))
    with pytest.raises(SpecError) as caught:
        load_spec("fx", environments)
    assert [str(p) for p in caught.value.problems] == [
        "services.web.run_as_root_containers: web-with-sidecars.json: the file has no container "
        "'fluentbit'; its containers: web, envoy, log_router"
    ]


def test_run_as_root_containers_is_only_for_a_file() -> None:
    text = (
        CAPACITY_SPEC_TEXT
        + f"  spec-made:\n    image: nginx:1.27\n    user: '101'\n    run_as_root_containers: {{x: {{reason: {REASON}}}}}\n"
    )
    assert problems_of(text) == [
        "services.spec-made.run_as_root_containers (line 14): only for a task_definition_file's containers; "
        "a container of the spec says run_as_root: {reason: …} itself"
    ]


def test_run_as_root_on_a_file_backed_service_points_at_the_file_key() -> None:
    text = CAPACITY_SPEC_TEXT.replace(
        "fargate: {task_definition_file: x.json}",
        f"fargate: {{task_definition_file: x.json, run_as_root: {{reason: {REASON}}}}}",
    )
    assert problems_of(text) == [
        "services.fargate.run_as_root (line 8): task_definition_file describes the whole task; list the file's "
        "containers that run as root in run_as_root_containers: {<container>: {reason: …}}"
    ]


def _non_root_findings(root_reasons: dict[str, str] | None) -> list[str]:
    app = make_app()
    stack = cdk.Stack(app, "Native", env=cdk.Environment(account="123456789012", region="us-east-1"))
    VersionedTaskDefinition.from_native_json(
        stack, "Task", json.loads(SIDECARS.read_text()), capacity=Capacity.FARGATE, root_reasons=root_reasons
    )
    return [f.path for f in validate_app(app) if f.plugin == CONTROL_TOWER and f.control == "CT.ECS.PR.3"]


def test_control_tower_sees_the_root_container_and_the_reason_acknowledges_it() -> None:
    assert _non_root_findings(None) == ["Native/Task/TaskDefinition/Resource"]
    assert _non_root_findings({"log_router": REASON}) == []


def test_the_construct_refuses_a_reason_for_a_container_it_does_not_have() -> None:
    from constructs_lib.native_json import NativeTaskDefinitionError

    stack = cdk.Stack(make_app(), "Native")
    with pytest.raises(NativeTaskDefinitionError, match="root reason for unknown container"):
        VersionedTaskDefinition.from_native_json(
            stack, "Task", json.loads(SIDECARS.read_text()), root_reasons={"fluentbit": REASON}
        )
