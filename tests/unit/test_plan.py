"""`deployer plan`: change sets in ECS terms, and the replacement gate.

Three layers, each able to fail on its own:
- the pure classification on DescribeChangeSet responses (tests/fixtures/plan/, see its README),
  and on change sets computed from the app's real templates before and after a change;
- the boto3 flow (create, wait, page, delete; never execute) with botocore's Stubber;
- the same flow against moto in process. moto 5.2.5 models change sets (Add/Modify/Remove,
  and the FAILED "didn't contain changes" status) but returns no ``Replacement`` and no
  ``Details``, so it cannot show a replacement: the gate's verdicts are tested on the first
  two layers, and the moto test pins that gap so it shows when moto closes it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
import typer
from botocore.stub import ANY, Stubber
from moto import mock_aws
from typer.testing import CliRunner

from config import load_spec, naming
from deployer.cdk.assembly import read_assembly
from deployer.commands.failures import friendly_errors
from deployer.commands.plan import plan as plan_command
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError
from deployer.plan.changesets import ChangeSetPlanner, PlanError, StackPlan
from deployer.plan.classify import (
    PROTECTED_TYPES,
    ResourceChange,
    apply_allowances,
    changes_from_response,
    classify,
)
from deployer.plan.environment import plan_environment
from tests.cfn_lint_rules import resource_schema
from tests.harness import SynthesisCache

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "plan"
WEB, CLUSTER = "shop-dev-svc-web", "shop-dev-cluster"
WEB_SERVICE, WEB_TASK = "Service9571FDD8", "TaskDefinition57793698"
NEW_IMAGE = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.5.0"


def fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / f"{name}.json").read_text()))


def rows_of(stack: str, name: str) -> dict[str, Any]:
    return {row.change.logical_id: row for row in map(classify, changes_from_response(stack, fixture(name)))}


# --- classification on DescribeChangeSet responses ------------------------------------------


def test_image_bump_rolls_the_service_and_registers_a_revision_without_blocking() -> None:
    rows = rows_of(WEB, "web_image_bump")
    assert rows[WEB_TASK].new_revision == "shop-dev-web"
    assert (
        rows[WEB_TASK].summary
        == "task definition shop-dev-web gets a new revision because ContainerDefinitions changed"
    )
    assert rows[WEB_SERVICE].rolls == "web"
    assert rows[WEB_SERVICE].summary == "service web rolls to a new task definition revision"
    assert not any(row.blocked for row in rows.values())


def test_renaming_a_service_is_blocked() -> None:
    row = rows_of(WEB, "web_renamed")[WEB_SERVICE]
    assert row.blocked and not row.allowed
    assert row.summary == "service web is REPLACED because ServiceName changed"


def test_conditional_replacement_of_a_log_group_blocks_and_an_in_place_key_update_does_not() -> None:
    rows = rows_of(CLUSTER, "cluster_log_group_renamed")
    assert rows["EcsClusterExecLogGroup241F74A6"].blocked
    assert "may be replaced because LogGroupName changed" in rows["EcsClusterExecLogGroup241F74A6"].summary
    assert not rows["EcsClusterKeyEE59E84D"].blocked
    assert (
        rows["EcsClusterKeyEE59E84D"].summary
        == "AWS::KMS::Key EcsClusterKeyEE59E84D is updated in place (Description)"
    )


def test_additions_removals_and_in_place_service_updates_pass() -> None:
    rows = rows_of(WEB, "web_sidecar_removed")
    assert rows["AuditLogGroup8C5F2E71"].summary == "adds AWS::Logs::LogGroup AuditLogGroup8C5F2E71"
    assert (
        rows["LegacySecurityGroup4A1B2C3D"].summary
        == "removes AWS::EC2::SecurityGroup LegacySecurityGroup4A1B2C3D"
    )
    assert rows[WEB_SERVICE].summary == "service web is updated in place (DesiredCount)"
    assert rows[WEB_SERVICE].rolls is None
    assert not any(row.blocked for row in rows.values())


# Downtime or data loss on replacement (issue #8): spelled out here, not read from PROTECTED_TYPES.
DOWNTIME_OR_DATA_LOSS = [
    "AWS::ECS::Service",
    "AWS::ECS::Cluster",
    "AWS::ECS::CapacityProvider",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::Logs::LogGroup",
    "AWS::EFS::FileSystem",
    "AWS::ECR::Repository",
    "AWS::KMS::Key",
    "AWS::SQS::Queue",
    "AWS::Batch::JobQueue",
    "AWS::Batch::ComputeEnvironment",
]


@pytest.mark.parametrize("resource_type", DOWNTIME_OR_DATA_LOSS)
def test_every_protected_type_blocks_when_replaced(resource_type: str) -> None:
    assert resource_type in PROTECTED_TYPES
    assert classify(ResourceChange("s", "R", resource_type, "Modify", "True")).blocked
    assert classify(ResourceChange("s", "R", resource_type, "Modify", "Conditional")).blocked
    assert not classify(ResourceChange("s", "R", resource_type, "Modify", "False")).blocked
    assert not classify(ResourceChange("s", "R", resource_type, "Remove")).blocked


@pytest.mark.parametrize(
    "resource_type", ["AWS::ECS::TaskDefinition", "AWS::IAM::Role", "AWS::EC2::SecurityGroup"]
)
def test_replacing_other_types_is_reported_not_blocked(resource_type: str) -> None:
    assert not classify(ResourceChange("s", "R", resource_type, "Modify", "True")).blocked


def test_allow_replace_by_logical_id_or_stack_path_and_stale_ones_are_problems() -> None:
    rows = [*rows_of(WEB, "web_renamed").values(), *rows_of(CLUSTER, "cluster_log_group_renamed").values()]
    allowed, problems = apply_allowances(rows, [f"{WEB}/{WEB_SERVICE}", "EcsClusterExecLogGroup241F74A6"])
    assert problems == [] and all(row.allowed for row in allowed if row.blocked)
    _, problems = apply_allowances(rows, ["Nope", "EcsClusterKeyEE59E84D", f"{CLUSTER}/{WEB_SERVICE}"])
    assert problems[0].startswith("--allow-replace Nope: no such resource in the plan; blocked: ")
    assert "EcsClusterKeyEE59E84D: not a blocked replacement" in problems[1]
    assert problems[2].startswith(f"--allow-replace {CLUSTER}/{WEB_SERVICE}: no such resource")


# --- the gate on the app's real templates -----------------------------------------------------


def simulate_change_set(stack: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """A DescribeChangeSet-shaped response for ``before`` → ``after``, offline.

    CloudFormation's rule, with the resource schemas cfn-lint ships: changing a createOnly
    property replaces the resource; a property referencing (Ref/GetAtt) a replaced resource
    changes too, and replaces its resource when that property is createOnly.
    """
    old, new = before["Resources"], after["Resources"]
    changes: dict[str, dict[str, Any]] = {}
    for logical_id in new.keys() - old.keys():
        changes[logical_id] = {"Action": "Add", "ResourceType": new[logical_id]["Type"]}
    for logical_id in old.keys() - new.keys():
        changes[logical_id] = {"Action": "Remove", "ResourceType": old[logical_id]["Type"]}
    replaced: set[str] = set()
    details: dict[str, list[dict[str, Any]]] = {}

    def note(logical_id: str, prop: str, evaluation: str) -> None:
        kind = new[logical_id]["Type"]
        create_only = f"/properties/{prop}" in _create_only(kind)
        target = {
            "Attribute": "Properties",
            "Name": prop,
            "RequiresRecreation": "Always" if create_only else "Never",
        }
        details.setdefault(logical_id, []).append({"Target": target, "Evaluation": evaluation})
        if create_only:
            replaced.add(logical_id)

    common = sorted(old.keys() & new.keys())
    for logical_id in common:
        before_props, after_props = (
            old[logical_id].get("Properties", {}),
            new[logical_id].get("Properties", {}),
        )
        for prop in sorted(before_props.keys() | after_props.keys()):
            if before_props.get(prop) != after_props.get(prop):
                note(logical_id, prop, "Static")
    settled = False
    while not settled:
        settled = True
        for logical_id in common:
            for prop, value in new[logical_id].get("Properties", {}).items():
                noted = {d["Target"]["Name"] for d in details.get(logical_id, [])}
                if prop not in noted and _references(value) & replaced:
                    note(logical_id, prop, "Dynamic")
                    settled = False
    for logical_id, found in details.items():
        replacement = "True" if logical_id in replaced else "False"
        changes[logical_id] = {
            "Action": "Modify",
            "ResourceType": new[logical_id]["Type"],
            "Replacement": replacement,
            "Details": found,
        }
    resource_changes = [{"LogicalResourceId": k, **v} for k, v in sorted(changes.items())]
    return {
        "StackName": stack,
        "Status": "CREATE_COMPLETE",
        "Changes": [{"Type": "Resource", "ResourceChange": c} for c in resource_changes],
    }


def _create_only(resource_type: str) -> list[str]:
    schema = resource_schema(resource_type, "eu-west-1")
    return list(schema.get("createOnlyProperties", []))


def _references(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["Ref"]} if isinstance(value.get("Ref"), str) else set()
        if isinstance(value.get("Fn::GetAtt"), list):
            found.add(value["Fn::GetAtt"][0])
        return found.union(*(_references(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_references(v) for v in value))
    return set()


class SimulatedPlanner:
    """A planner whose deployed stacks are ``deployed``; change sets come from the simulator."""

    def __init__(self, deployed: Mapping[str, Mapping[str, Any]]) -> None:
        self.deployed = deployed
        self.templates: dict[str, Mapping[str, Any]] = {}

    def plan_stack(self, stack: str, template: Mapping[str, Any]) -> StackPlan:
        self.templates[stack] = template
        changes = changes_from_response(stack, simulate_change_set(stack, self.deployed[stack], template))
        return StackPlan(stack, "changes" if changes else "no changes", changes)


def test_real_image_change_passes_the_gate(synth_cache: SynthesisCache) -> None:
    deployed = synth_cache.get("dev")
    bumped = synth_cache.get("dev", {"web": NEW_IMAGE})
    result = plan_environment(deployed.spec, bumped.templates, SimulatedPlanner(deployed.templates), [])  # type: ignore[arg-type]
    assert result.exit_code == ExitCode.OK
    assert result.summary()["services_rolling"] == ["web"]
    assert result.summary()["new_revisions"] == ["shop-dev-web"]
    assert {s.stack: s.status for s in result.stacks}[CLUSTER] == "no changes"


def test_real_service_rename_and_log_group_name_are_blocked(synth_cache: SynthesisCache) -> None:
    deployed = synth_cache.get("dev")
    changed = copy.deepcopy(deployed.templates)
    resources = changed[WEB]["Resources"]
    resources[WEB_SERVICE]["Properties"]["ServiceName"] = "web-v2"
    resources["TaskDefinitionLogGroupDAF57CBA"]["Properties"]["LogGroupName"] = "/ecs/shop-dev/web"
    planner = SimulatedPlanner(deployed.templates)
    result = plan_environment(deployed.spec, changed, planner, [])  # type: ignore[arg-type]
    assert result.exit_code == ExitCode.REPLACEMENT_BLOCKED
    assert sorted(result.summary()["blocked"]) == [
        f"{WEB}/{WEB_SERVICE}",
        f"{WEB}/TaskDefinitionLogGroupDAF57CBA",
    ]
    assert result.summary()["new_revisions"] == ["shop-dev-web"]  # the task definition logs to the new group
    allow = [f"{WEB}/{WEB_SERVICE}", "TaskDefinitionLogGroupDAF57CBA"]
    assert plan_environment(deployed.spec, changed, planner, allow).exit_code == ExitCode.OK  # type: ignore[arg-type]
    with pytest.raises(BadInputError, match="not a blocked replacement"):
        plan_environment(deployed.spec, changed, planner, [WEB_TASK])  # type: ignore[arg-type]


# --- the boto3 flow with Stubber ----------------------------------------------------------------


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("cloudformation", region_name="eu-west-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def expect_existing(stubber: Stubber, stack: str = WEB, status: str = "UPDATE_COMPLETE") -> None:
    stack_row = {"StackName": stack, "StackStatus": status, "CreationTime": "2026-11-01T00:00:00Z"}
    stubber.add_response("describe_stacks", {"Stacks": [stack_row]}, {"StackName": stack})


def described(name: str, **overrides: Any) -> dict[str, Any]:
    response = fixture(name)
    response.pop("IncludeNestedStacks", None)
    return {**response, **overrides}


def test_flow_creates_waits_reads_every_page_and_deletes(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    expect_existing(stubber)
    stubber.add_response(
        "create_change_set",
        {"Id": "arn:aws:cloudformation:eu-west-1:111111111111:changeSet/x/1"},
        {
            "StackName": WEB,
            "ChangeSetName": ANY,
            "ChangeSetType": "UPDATE",
            "Capabilities": ANY,
            "Description": ANY,
            "TemplateBody": '{"Resources":{}}',
        },
    )
    query = {"StackName": WEB, "ChangeSetName": ANY}
    stubber.add_response(
        "describe_change_set", described("web_image_bump", Status="CREATE_PENDING", Changes=[]), query
    )
    first, second = described("web_image_bump"), described("web_image_bump")
    first["Changes"], first["NextToken"] = first["Changes"][:1], "page-2"
    second["Changes"] = second["Changes"][1:]
    stubber.add_response("describe_change_set", first, query)
    stubber.add_response("describe_change_set", second, {**query, "NextToken": "page-2"})
    stubber.add_response("delete_change_set", {}, query)
    sleeps: list[float] = []
    plan = ChangeSetPlanner(client, sleep=sleeps.append).plan_stack(WEB, {"Resources": {}})
    assert plan.status == "changes"
    assert [c.logical_id for c in plan.changes] == [WEB_TASK, WEB_SERVICE]
    assert sleeps == [2.0]


def test_no_changes_is_a_plan_and_the_change_set_is_deleted(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    expect_existing(stubber)
    stubber.add_response("create_change_set", {"Id": "arn:x"}, None)
    reason = "The submitted information didn't contain changes. Submit different information to create one."
    stubber.add_response(
        "describe_change_set", described("web_renamed", Status="FAILED", StatusReason=reason, Changes=[])
    )
    stubber.add_response("delete_change_set", {})
    assert ChangeSetPlanner(client).plan_stack(WEB, {"Resources": {}}) == StackPlan(WEB, "no changes")


def test_a_failed_change_set_is_an_error_and_still_deleted(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    expect_existing(stubber)
    stubber.add_response("create_change_set", {"Id": "arn:x"}, None)
    failed = described(
        "web_renamed", Status="FAILED", StatusReason="Template format error: Unresolved resource dependencies"
    )
    stubber.add_response("describe_change_set", failed)
    stubber.add_response("delete_change_set", {})
    with pytest.raises(PlanError, match="Unresolved resource dependencies"):
        ChangeSetPlanner(client).plan_stack(WEB, {"Resources": {}})


def test_a_missing_stack_is_all_additions_without_a_change_set(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error("describe_stacks", "ValidationError", f"Stack with id {WEB} does not exist")
    template = {
        "Resources": {WEB_SERVICE: {"Type": "AWS::ECS::Service", "Properties": {"ServiceName": "web"}}}
    }
    plan = ChangeSetPlanner(client).plan_stack(WEB, template)
    assert plan.status == "new"
    assert classify(plan.changes[0], template).summary == "adds service web"


def test_a_stack_mid_update_is_an_error_before_any_change_set(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    expect_existing(stubber, status="UPDATE_IN_PROGRESS")
    with pytest.raises(PlanError, match="UPDATE_IN_PROGRESS"):
        ChangeSetPlanner(client).plan_stack(WEB, {"Resources": {}})


def test_a_large_template_goes_through_s3_and_is_removed_after(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    s3 = boto3.client("s3", region_name="eu-west-1")
    big = {
        "Resources": {
            f"Queue{i}": {"Type": "AWS::SQS::Queue", "Properties": {"Tag": "x" * 100}} for i in range(600)
        }
    }
    expect_existing(stubber)
    stubber.add_response(
        "create_change_set",
        {"Id": "arn:x"},
        {
            "StackName": WEB,
            "ChangeSetName": ANY,
            "ChangeSetType": "UPDATE",
            "Capabilities": ANY,
            "Description": ANY,
            "TemplateURL": ANY,
        },
    )
    stubber.add_response("describe_change_set", described("web_sidecar_removed"))
    stubber.add_response("delete_change_set", {})
    with Stubber(s3) as s3_stub:
        s3_stub.add_response("put_object", {}, {"Bucket": "assets", "Key": ANY, "Body": ANY})
        s3_stub.add_response("delete_object", {}, {"Bucket": "assets", "Key": ANY})
        plan = ChangeSetPlanner(client, s3=s3, bucket="assets").plan_stack(WEB, big)
        s3_stub.assert_no_pending_responses()
    assert plan.status == "changes"


# --- the flow against moto ----------------------------------------------------------------------


@pytest.mark.moto
def test_moto_change_sets_flow_and_its_missing_replacement_field() -> None:
    """moto reports Add/Modify/Remove and "no changes", leaves no change set, but no Replacement."""
    before = {
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders"}},
            "Old": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "old"}},
        }
    }
    after = {
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders-v2"}},
            "New": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "new"}},
        }
    }
    with mock_aws():
        client = boto3.client("cloudformation", region_name="eu-west-1")
        client.create_stack(StackName="orders", TemplateBody=json.dumps(before))
        planner = ChangeSetPlanner(client, sleep=lambda _: None)
        plan = planner.plan_stack("orders", after)
        rows = {c.logical_id: c for c in plan.changes}
        assert {k: c.action for k, c in rows.items()} == {"Queue": "Modify", "New": "Add", "Old": "Remove"}
        assert rows["Queue"].replacement == ""  # a real account says "True": QueueName is create-only
        assert planner.plan_stack("orders", before).status == "no changes"
        assert client.list_change_sets(StackName="orders")["Summaries"] == []
        assert client.describe_stacks(StackName="orders")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
        assert planner.plan_stack("absent", before).status == "new"


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def runner_app() -> typer.Typer:
    app = typer.Typer()
    app.command("plan")(friendly_errors(plan_command))
    app.command("other")(lambda: None)  # two commands: `plan` stays a subcommand
    return app


@pytest.fixture
def assembly(tmp_path: Path, synth_cache: SynthesisCache) -> Path:
    """A cloud assembly directory of the dev templates, as `cdk synth --output` writes one."""
    artifacts = {}
    for name, template in synth_cache.get("dev").templates.items():
        (tmp_path / f"{name}.template.json").write_text(json.dumps(template))
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "properties": {"templateFile": f"{name}.template.json"},
        }
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "55.0.0", "artifacts": artifacts}))
    return tmp_path


def fake_plans(monkeypatch: pytest.MonkeyPatch, by_stack: Mapping[str, str]) -> list[str]:
    """``plan_stack`` answers with the named fixture for those stacks, "no changes" for the rest."""
    planned: list[str] = []

    def plan_stack(self: ChangeSetPlanner, stack: str, template: Mapping[str, Any]) -> StackPlan:
        planned.append(stack)
        if stack in by_stack:
            return StackPlan(stack, "changes", changes_from_response(stack, fixture(by_stack[stack])))
        return StackPlan(stack, "no changes")

    monkeypatch.setattr(ChangeSetPlanner, "plan_stack", plan_stack)
    return planned


def test_command_blocks_with_exit_6_and_names_the_override(
    runner_app: typer.Typer, assembly: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_plans(monkeypatch, {WEB: "web_renamed"})
    result = CliRunner().invoke(runner_app, ["plan", "--env", "dev", "--assembly", str(assembly)])
    assert result.exit_code == ExitCode.REPLACEMENT_BLOCKED == 6
    assert "service web is REPLACED because ServiceName changed [BLOCKED]" in result.output
    assert f"rerun with --allow-replace {WEB}/{WEB_SERVICE}" in result.output
    allowed = ["plan", "--env", "dev", "--assembly", str(assembly), "--allow-replace", WEB_SERVICE, "--json"]
    result = CliRunner().invoke(runner_app, allowed)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["summary"]["allowed"] == [f"{WEB}/{WEB_SERVICE}"] and payload["exit_code"] == 0


def test_command_passes_an_image_bump_and_lists_stacks_in_deploy_order(
    runner_app: typer.Typer, assembly: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = fake_plans(monkeypatch, {WEB: "web_image_bump"})
    result = CliRunner().invoke(runner_app, ["plan", "--env", "dev", "--assembly", str(assembly)])
    assert result.exit_code == 0, result.output
    assert planned == naming.all_stack_names(load_spec("dev"))
    assert planned[:2] == ["shop-dev-network", CLUSTER] and WEB in planned
    assert "  ~ service web rolls to a new task definition revision" in result.output
    assert (
        "services rolling: web; new task definition revisions: shop-dev-web; added: 0; removed: 0"
        in result.output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--allow-replace", "Nope"], "--allow-replace Nope: no such resource in the plan"),
        (["--allow-replace", "bad id!"], "expected LOGICAL_ID or STACK/LOGICAL_ID"),
        (["--image", "web=repo:1"], "--assembly already holds its images"),
        (["--env", "staging"], "no environment 'staging'"),
    ],
)
def test_command_bad_input_exits_2_without_a_traceback(
    runner_app: typer.Typer, assembly: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    fake_plans(monkeypatch, {WEB: "web_renamed"})
    result = CliRunner().invoke(runner_app, ["plan", "--env", "dev", "--assembly", str(assembly), *args])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert message in result.output and "Traceback" not in result.output


def test_an_assembly_of_another_environment_is_refused(synth_cache: SynthesisCache, assembly: Path) -> None:
    with pytest.raises(BadInputError, match="missing shop-prod-network"):
        read_assembly(assembly, synth_cache.get("prod").spec)
    with pytest.raises(BadInputError, match=r"no manifest\.json"):
        read_assembly(assembly / "nowhere", synth_cache.get("dev").spec)


def test_command_synthesises_with_the_release_inputs(
    runner_app: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Mapping[str, Any]] = {}

    def plan_stack(self: ChangeSetPlanner, stack: str, template: Mapping[str, Any]) -> StackPlan:
        seen[stack] = template
        return StackPlan(stack, "no changes")

    monkeypatch.setattr(ChangeSetPlanner, "plan_stack", plan_stack)
    result = CliRunner().invoke(
        runner_app, ["plan", "--env", "dev", "--image", f"web={NEW_IMAGE}", "--version", "1.5.0"]
    )
    assert result.exit_code == 0, result.output
    task = next(r for r in seen[WEB]["Resources"].values() if r["Type"] == "AWS::ECS::TaskDefinition")
    web = next(c for c in task["Properties"]["ContainerDefinitions"] if c["Name"] == "web")
    assert web["Image"]["Fn::Join"][1][-1] == "/shop-web:1.5.0"  # ECR images are joined with AWS::URLSuffix
    assert {"Key": "deployer.version", "Value": "1.5.0"} in task["Properties"]["Tags"]


def test_moto_noise_is_dropped_only_on_local_targets() -> None:
    """moto marks every resource of an updated stack modified, without details; CDK metadata never counts."""
    noise = [
        ResourceChange(WEB, "Vpc", "AWS::EC2::VPC", "Modify"),
        ResourceChange(WEB, "CDKMetadata", "AWS::CDK::Metadata", "Remove"),
    ]

    class Planner:
        def plan_stack(self, stack: str, template: Mapping[str, Any]) -> StackPlan:
            return StackPlan(stack, "changes", [replace(c, stack=stack) for c in noise])

    for env, kept in (("local", []), ("dev", ["Vpc"])):
        spec = load_spec(env)
        templates = {name: {"Resources": {}} for name in naming.all_stack_names(spec)}
        result = plan_environment(spec, templates, Planner(), [])  # type: ignore[arg-type]
        assert sorted({row.change.logical_id for row in result.rows}) == kept
        assert all(s.status == ("no changes" if not kept else "changes") for s in result.stacks)


def test_a_damaged_assembly_is_bad_input(assembly: Path, synth_cache: SynthesisCache) -> None:
    (assembly / f"{WEB}.template.json").unlink()
    with pytest.raises(BadInputError, match="not a readable cloud assembly"):
        read_assembly(assembly, synth_cache.get("dev").spec)
