"""The CDK Pipelines stack and its spec, config/pipeline.yaml.

The pipeline is synthesised once for three environments (dev → staging → prod, staging and
prod approved by a person) and its CodePipeline resource is read stage by stage.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from config import SpecError, naming
from config.loader import ENVIRONMENTS_DIR
from config.pipeline_schema import PIPELINE_FILE, Pipeline, load_pipeline
from deployer.cdk.assembly import read_assembly
from pipeline_app import pinned_cli_version
from stacks.pipeline_stack import PipelineStack
from tests.harness import make_app, resources_of_type

PIPELINE_YAML = """\
name: shop-delivery
account: "333333333333"
region: eu-west-1
source:
  connection_arn: arn:aws:codeconnections:eu-west-1:333333333333:connection/0f1e2d3c-4b5a-6978
  repository: example-org/shop-infra
stages:
  - environment: dev
  - environment: staging
    requires_approval: true
  - environment: prod
    requires_approval: true
"""


@pytest.fixture(scope="module")
def environments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """config/environments/ plus a `staging` copy of dev in its own account."""
    directory = tmp_path_factory.mktemp("config") / "environments"
    shutil.copytree(ENVIRONMENTS_DIR, directory)
    staging = (ENVIRONMENTS_DIR / "dev.yaml").read_text().replace("name: dev", "name: staging")
    (directory / "staging.yaml").write_text(staging.replace("111111111111", "444444444444"))
    return directory


def write(directory: Path, text: str) -> Path:
    path = directory / "pipeline.yaml"
    path.write_text(text)
    return path


@dataclass(frozen=True)
class Synthesised:
    pipeline: Pipeline
    stack: PipelineStack
    template: dict[str, Any]
    assembly_dir: Path

    def stages(self) -> list[dict[str, Any]]:
        resource = next(iter(resources_of_type(self.template, "AWS::CodePipeline::Pipeline").values()))
        return list(resource["Properties"]["Stages"])

    def stage(self, name: str) -> list[dict[str, Any]]:
        return next(stage["Actions"] for stage in self.stages() if stage["Name"] == name)

    def buildspec(self, action: dict[str, Any]) -> str:
        project = self.template["Resources"][action["Configuration"]["ProjectName"]["Ref"]]
        return text(project["Properties"]["Source"]["BuildSpec"])


@pytest.fixture(scope="module")
def synthesised(environments: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesised]:
    pipeline = load_pipeline(write(tmp_path_factory.mktemp("pipeline"), PIPELINE_YAML), environments)
    app = make_app()
    stack = PipelineStack(app, "shop-delivery", pipeline=pipeline, cli_version=pinned_cli_version())
    assembly = app.synth()
    yield Synthesised(
        pipeline, stack, assembly.get_stack_by_name("shop-delivery").template, Path(assembly.directory)
    )


def text(value: Any) -> str:
    """A CloudFormation string value with its tokens shown as ${…}."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        return str(value["Fn::Join"][0]).join(text(part) for part in value["Fn::Join"][1])
    return "${" + json.dumps(value) + "}"


def by_kind(actions: list[dict[str, Any]], provider: str) -> list[dict[str, Any]]:
    return [action for action in actions if action["ActionTypeId"]["Provider"] == provider]


# --- the spec ------------------------------------------------------------------------------------


def test_the_committed_pipeline_file_loads_dev_then_prod() -> None:
    pipeline = load_pipeline(PIPELINE_FILE)
    assert [env.environment.name for env in pipeline.environments] == ["dev", "prod"]
    assert [stage.requires_approval for stage in pipeline.spec.stages] == [False, True]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            ("- environment: staging", "- environment: qa"),
            "stages[1].environment (line 9): no environment 'qa'",
        ),
        (
            ("- environment: staging", "- environment: local"),
            "'local' has target 'local'; a pipeline deploys only",
        ),
        (
            ("- environment: prod", "- environment: dev"),
            "stages[2].environment (line 11): 'dev' is listed twice",
        ),
        (("arn:aws:codeconnections:", "arn:aws:s3:"), "source.connection_arn (line 5): 'arn:aws:s3:"),
        (
            ('account: "333333333333"', "account: 333333333333"),
            "account (line 2): 333333333333 must be quoted",
        ),
        (
            ("  repository:", "  repositry:"),
            "source.repositry (line 6): unknown key; did you mean 'repository'?",
        ),
        (("stages:", "stages: []\nunused:"), "stages (line 7): Tuple should have at least 1 item"),
    ],
)
def test_spec_problems_name_their_yaml_path(
    environments: Path, tmp_path: Path, edit: tuple[str, str], problem: str
) -> None:
    path = write(tmp_path, PIPELINE_YAML.replace(*edit, 1))
    with pytest.raises(SpecError) as caught:
        load_pipeline(path, environments)
    assert problem in str(caught.value)


def test_a_missing_pipeline_file_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no pipeline file"):
        load_pipeline(tmp_path / "pipeline.yaml")


# --- the pipeline --------------------------------------------------------------------------------


def test_one_stage_per_environment_in_the_spec_order_after_self_mutation(synthesised: Synthesised) -> None:
    names = [stage["Name"] for stage in synthesised.stages()]
    assert names[:3] == ["Source", "Build", "UpdatePipeline"]
    assert [name for name in names if name in ("dev", "staging", "prod")] == ["dev", "staging", "prod"]
    assert names.index("dev") > names.index("UpdatePipeline")


def test_source_is_the_codeconnections_connection(synthesised: Synthesised) -> None:
    source = synthesised.stage("Source")[0]
    assert source["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
    assert source["Configuration"]["FullRepositoryId"] == "example-org/shop-infra"
    assert source["Configuration"]["BranchName"] == "main"
    assert source["Configuration"]["ConnectionArn"] == synthesised.pipeline.spec.source.connection_arn


def test_synth_installs_from_lock_files_tests_and_synthesises_the_pipeline_app(
    synthesised: Synthesised,
) -> None:
    spec = json.loads(synthesised.buildspec(synthesised.stage("Build")[0]))
    assert spec["phases"]["install"]["commands"] == ["make install"]
    assert spec["phases"]["build"]["commands"][0] == "make test"
    assert "cdk synth" in spec["phases"]["build"]["commands"][1]
    assert "pipeline_app.py" in spec["phases"]["build"]["commands"][1]
    self_mutation = synthesised.buildspec(synthesised.stage("UpdatePipeline")[0])
    assert f"aws-cdk@{pinned_cli_version()}" in self_mutation


@pytest.mark.parametrize(("env", "approval"), [("dev", False), ("staging", True), ("prod", True)])
def test_gate_then_approval_before_any_deployment_and_checks_after(
    synthesised: Synthesised, env: str, approval: bool
) -> None:
    actions = synthesised.stage(env)
    deploys = by_kind(actions, "CloudFormation")
    gate = next(a for a in actions if a["Name"] == f"ReplacementGate-{env}")
    first_deploy = min(a["RunOrder"] for a in deploys)
    assert gate["RunOrder"] < first_deploy
    manual = by_kind(actions, "Manual")
    assert [a["Name"] for a in manual] == ([f"Approve-{env}"] if approval else [])
    if approval:
        assert gate["RunOrder"] < manual[0]["RunOrder"] < first_deploy
    checks = next(a for a in actions if a["Name"] == f"Verify-{env}")
    assert checks["RunOrder"] > max(a["RunOrder"] for a in deploys)
    artifact_id = synthesised.stack.stages[env].artifact_id
    assert f"deployer plan --env {env} --assembly cdk.out/{artifact_id}" in synthesised.buildspec(gate)
    assert (synthesised.assembly_dir / artifact_id / "manifest.json").is_file()
    verify = synthesised.buildspec(checks)
    assert verify.index(f"deployer wait --env {env}") < verify.index(f"deployer verify --env {env}")


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_stack_of_an_environment_is_deployed_in_its_stage_through_its_account(
    synthesised: Synthesised, env: str
) -> None:
    spec = next(s for s in synthesised.pipeline.environments if s.environment.name == env)
    deploys = by_kind(synthesised.stage(env), "CloudFormation")
    prepared = [a["Name"].removesuffix(".Prepare") for a in deploys if a["Name"].endswith(".Prepare")]
    assert sorted(prepared) == sorted(naming.all_stack_names(spec))
    account, region = spec.environment.account, spec.environment.region
    for action in deploys:  # cross-account: the target's bootstrap deploy role, trusted by the pipeline
        assert text(action["RoleArn"]).endswith(
            f":iam::{account}:role/cdk-hnb659fds-deploy-role-{account}-{region}"
        )


def test_stage_stacks_keep_the_names_the_deployer_uses(synthesised: Synthesised) -> None:
    for spec in synthesised.pipeline.environments:
        env = spec.environment.name
        deployed = {
            a["Configuration"]["StackName"] for a in by_kind(synthesised.stage(env), "CloudFormation")
        }
        assert deployed == set(naming.all_stack_names(spec))
        read_assembly(synthesised.assembly_dir / synthesised.stack.stages[env].artifact_id, spec)


def test_artifacts_are_encrypted_for_cross_account_and_steps_assume_only_bootstrap_roles(
    synthesised: Synthesised,
) -> None:
    pipeline = next(iter(resources_of_type(synthesised.template, "AWS::CodePipeline::Pipeline").values()))
    assert "EncryptionKey" in pipeline["Properties"]["ArtifactStore"]
    assumed = {
        text(resource)
        for policy in resources_of_type(synthesised.template, "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Action"] == "sts:AssumeRole"
        for resource in (
            [statement["Resource"]] if not isinstance(statement["Resource"], list) else statement["Resource"]
        )
    }
    for spec in synthesised.pipeline.environments:
        account, region = spec.environment.account, spec.environment.region
        for role in ("deploy", "lookup"):
            assert any(
                arn.endswith(f"role/cdk-hnb659fds-{role}-role-{account}-{region}") for arn in assumed
            ), role
