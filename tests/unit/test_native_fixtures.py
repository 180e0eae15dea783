"""Every accepted task-definition fixture through the whole pipeline: validate → synth →
render → cfn-lint, and the synthesised ``AWS::ECS::TaskDefinition`` compared field by field
with the file through AWS's own schemas (``tests/native_fields.py``), not the project's mapping.

One environment holds every fixture (one service each) and is synthesised once for the module.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from config import AppSpec, load_spec, naming
from deployer.revisions.render import render_task_definition
from tests.cfn_lint_rules import lint_template
from tests.harness import resources_of_type, synthesise
from tests.native_fields import differences, registration_of
from tests.native_fixtures import ENV, FIXTURES, RUNS_AS_ROOT, SERVICES, write_environment

ACCOUNT = "123456789012"
# What the template adds or changes, each documented in docs/task-definitions.md ("Import an
# existing task definition"): the task role the app creates when the file names none, the
# compatibility ECS infers when the file names none, units and role names written as ECS stores them.
ADDED_TASK_ROLE = [".TaskRoleArn: not in the file"]
NORMALISED: dict[str, list[str]] = {
    "landing": ADDED_TASK_ROLE,
    "ledger": [".RequiresCompatibilities: not in the file", *ADDED_TASK_ROLE],
    "debug": [
        ".cpu: '.25 vCPU' became '256'",
        ".memory: '0.5 GB' became '512'",
        f".taskRoleArn: 'debug-shell-task' became 'arn:aws:iam::{ACCOUNT}:role/debug-shell-task'",
    ],
    "storefront": ADDED_TASK_ROLE,
    "media": ADDED_TASK_ROLE,
    "chatops": ADDED_TASK_ROLE,
    "billing": ADDED_TASK_ROLE,
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[AppSpec, dict[str, dict[str, Any]]]:
    spec = load_spec(ENV, write_environment(tmp_path_factory.mktemp("native")))
    return spec, synthesise(spec).templates


def task_definition(imported: tuple[AppSpec, dict[str, dict[str, Any]]], service: str) -> dict[str, Any]:
    spec, templates = imported
    [resource] = resources_of_type(
        templates[naming.service_stack_name(spec, service)], "AWS::ECS::TaskDefinition"
    ).values()
    return dict(resource)


def the_file(service: str) -> dict[str, Any]:
    return registration_of(json.loads((FIXTURES / SERVICES[service][0]).read_text()))


def test_ecs_20_only_the_containers_the_spec_lists_run_as_root(imported: Any) -> None:
    """Security Hub ECS.20 on the synthesised template: a container without a non-root user is
    one that ``run_as_root_containers`` names, and no other."""
    runs_as_root = {
        (service, container["Name"])
        for service in SERVICES
        for container in task_definition(imported, service)["Properties"]["ContainerDefinitions"]
        if container.get("User", "root").split(":")[0] in ("root", "0")
    }
    assert runs_as_root == {(s, c) for s, (file, _) in SERVICES.items() for c in RUNS_AS_ROOT.get(file, ())}


@pytest.mark.parametrize("service", SERVICES)
def test_every_field_of_the_file_reaches_the_template(imported: Any, service: str) -> None:
    native = the_file(service)
    properties = dict(task_definition(imported, service)["Properties"])
    native.pop("family"), native.pop("tags", None), properties.pop("Family"), properties.pop("Tags", None)
    assert differences(native, properties) == NORMALISED.get(service, [])


@pytest.mark.parametrize("service", SERVICES)
def test_the_family_is_the_services_and_the_files_tags_stay(imported: Any, service: str) -> None:
    properties = task_definition(imported, service)["Properties"]
    assert properties["Family"] == f"fx-fx-{service}"
    tags = the_file(service).get("tags") or []
    pairs = tags.items() if isinstance(tags, dict) else [(t["key"], t["value"]) for t in tags]
    assert {(t["Key"], t["Value"]) for t in properties.get("Tags", [])} >= set(pairs)


@pytest.mark.parametrize("service", [s for s, changes in NORMALISED.items() if ADDED_TASK_ROLE[0] in changes])
def test_a_file_without_a_task_role_gets_one_with_only_what_the_spec_grants(
    imported: Any, service: str
) -> None:
    """Nothing, or a worker's rights on its own queue (encrypted with the environment key)."""
    spec, templates = imported
    template = templates[naming.service_stack_name(spec, service)]
    role = task_definition(imported, service)["Properties"]["TaskRoleArn"]["Fn::GetAtt"][0]
    assert template["Resources"][role]["Type"] == "AWS::IAM::Role"
    policies = [
        p
        for p in resources_of_type(template, "AWS::IAM::Policy").values()
        if {"Ref": role} in p["Properties"]["Roles"]
    ]
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    actions = {
        a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {a.split(":")[0] for a in actions} == (
        {"sqs", "kms"} if spec.services[service].kind == "worker" else set()
    )


@pytest.mark.parametrize("service", SERVICES)
def test_render_gives_the_file_back(imported: Any, service: str) -> None:
    spec, templates = imported
    rendered = render_task_definition(spec, service, templates[naming.service_stack_name(spec, service)])
    native = the_file(service)
    native.pop("family"), native.pop("tags", None), rendered.pop("family"), rendered.pop("tags", None)
    changes = differences(native, rendered, schema=None)
    role_changes = [c for c in changes if c.startswith(".taskRoleArn")]
    assert [c for c in changes if c not in role_changes] == [
        c.replace(".TaskRoleArn", ".taskRoleArn").replace(
            ".RequiresCompatibilities", ".requiresCompatibilities"
        )
        for c in NORMALISED.get(service, [])
        if "TaskRoleArn" not in c and "taskRoleArn" not in c
    ]
    if native.get("taskRoleArn"):
        assert rendered["taskRoleArn"].endswith(native["taskRoleArn"])


def test_cfn_lint_finds_nothing_in_the_task_definitions(imported: Any) -> None:
    """Every fixture's task definition in one template (cfn-lint costs seconds per template);
    references to the roles the stacks create become literal ARNs."""
    resources = {
        f"Task{service.capitalize()}": _literal(task_definition(imported, service)) for service in SERVICES
    }
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    assert [f"{m.rule.id} {m.message} ({'/'.join(map(str, m.path))})" for m in lint_template(template)] == []


@pytest.mark.parametrize("service", ["storefront", "ledger"])
def test_cfn_lint_finds_nothing_in_a_whole_service_stack(imported: Any, service: str) -> None:
    """A web service whose main container is not the first, and an EC2 worker."""
    spec, templates = imported
    template = templates[naming.service_stack_name(spec, service)]
    findings = lint_template(template)
    assert [f"{m.rule.id} {m.message}" for m in findings] == []


def test_web_services_forward_to_the_main_container_and_its_port(imported: Any) -> None:
    spec, templates = imported
    for service, container, port in [("storefront", "storefront", 8080), ("landing", "landing", 80)]:
        template = templates[naming.service_stack_name(spec, service)]
        [ecs_service] = resources_of_type(template, "AWS::ECS::Service").values()
        [target] = ecs_service["Properties"]["LoadBalancers"]
        assert (target["ContainerName"], target["ContainerPort"]) == (container, port)


def test_service_connect_serves_the_main_containers_named_port_mapping(imported: Any) -> None:
    spec, templates = imported
    served = {}
    for service in SERVICES:
        for resource in resources_of_type(
            templates[naming.service_stack_name(spec, service)], "AWS::ECS::Service"
        ).values():
            configuration = resource["Properties"].get("ServiceConnectConfiguration", {})
            served[service] = [
                (s["PortName"], s["ClientAliases"][0]["Port"]) for s in configuration.get("Services", [])
            ]
    assert served["ids"] == [("ids-memcache", 11211)]
    assert served["catalog"] == [("catalog-http", 8080)]
    assert served["media"] == []  # its port mapping has no name: Service Connect finds mappings by name


def test_allow_from_opens_the_main_containers_port(imported: Any) -> None:
    spec, templates = imported
    rules = resources_of_type(
        templates[naming.service_stack_name(spec, "catalog")], "AWS::EC2::SecurityGroupIngress"
    )
    assert [(r["Properties"]["FromPort"], r["Properties"]["ToPort"]) for r in rules.values()] == [
        (11211, 11211)
    ]


def test_ec2_capacity_gets_an_ec2_service_and_fargate_a_fargate_one(imported: Any) -> None:
    spec, templates = imported
    platforms = {}
    for service in ("ledger", "billing", "catalog"):
        [resource] = resources_of_type(
            templates[naming.service_stack_name(spec, service)], "AWS::ECS::Service"
        ).values()
        platforms[service] = resource["Properties"].get("PlatformVersion")
    assert platforms == {"ledger": None, "billing": None, "catalog": "LATEST"}


def _literal(value: Any) -> Any:
    """``value`` with CloudFormation functions replaced by literals of the right shape."""
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::GetAtt"}:
        return f"arn:aws:iam::{ACCOUNT}:role/{value['Fn::GetAtt'][0]}"
    if set(value) == {"Ref"}:
        return {"AWS::Partition": "aws", "AWS::AccountId": ACCOUNT}.get(value["Ref"], value["Ref"])
    if set(value) == {"Fn::Join"}:
        separator, parts = value["Fn::Join"]
        return separator.join(str(_literal(p)) for p in parts)
    return {k: _literal(v) for k, v in value.items()}


def test_the_fixture_readme_names_every_fixture() -> None:
    readme = (FIXTURES / "README.md").read_text()
    files = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.json*"))
    assert [f for f in files if f"`{f.removeprefix('refused/')}`" not in readme] == []
    assert {file for file, _ in SERVICES.values()} <= set(files)
