"""``environment.proactive_controls``: the Control Tower proactive controls an account enforces.

``validate`` checks the ids only (a rule file cdk-validator-cfnguard ships for each, read without
aws-cdk-lib); the synthesis (app.py) runs the rules and exits 2 on a violation, naming each
control and construct path, as the account's CloudFormation hooks would refuse the deploy.
One synthesis per test, built-in CloudFormation validation off.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

import app as app_module
import pipeline_app
from config import SpecError, control_tower, parse_spec
from config.loader import ENVIRONMENTS_DIR
from config.pipeline_schema import load_pipeline
from deployer.cdk.synth import synthesise_templates
from deployer.inputs import BadInputError
from stacks.proactive_controls import (
    PLUGIN_NAME,
    ProactiveControlsError,
    _check_report,
    applicable,
    control_of,
    rule_types,
)
from tests.harness import ROOT, cdk_context

SMALL = """\
app: shop
environment:
  name: small
  account: "111111111111"
  region: eu-west-1
  target: aws
  proactive_controls: {controls}
services:
  api:
    image: public.ecr.aws/nginx/nginx-unprivileged:1.27
    cpu: 256
    memory: 512
    user: "101"
    log_retention_days: {days}
"""
LOG_GROUP = "shop-small-svc-api/TaskDefinition/LogGroup/Resource"


def problems(text: str) -> dict[str, str]:
    with pytest.raises(SpecError) as raised:
        parse_spec(text, "small.yaml")
    return {problem.path: problem.message for problem in raised.value.problems}


def test_unknown_and_malformed_ids_are_refused_at_their_index() -> None:
    found = problems(
        SMALL.format(
            controls="[CT.ECS.PR.3, CT.CLOUDWATCH.PR.9, ct.ecs.pr.3, CT.CLOUDWATC.PR.2, CT.NOPE.PR.1, all]",
            days=30,
        )
    )
    assert set(found) == {f"environment.proactive_controls[{i}]" for i in (1, 2, 3, 4)}
    unknown = found["environment.proactive_controls[1]"]
    assert "CT.CLOUDWATCH.PR.9 is not a proactive control cdklabs.cdk-validator-cfnguard" in unknown
    assert "has a rule for; for CLOUDWATCH it has CT.CLOUDWATCH.PR.1, CT.CLOUDWATCH.PR.2" in unknown
    assert "(its rule files: rules/control-tower/cfn-guard/<service>/ct-<service>-pr-<n>.guard" in unknown
    assert "in the package's jsii tarball; docs/security.md)" in unknown
    assert found["environment.proactive_controls[2]"].endswith(
        "use a Control Tower proactive control id, CT.<SERVICE>.PR.<N> (CT.ECS.PR.3), or all"
    )
    assert "did you mean CT.CLOUDWATCH.PR.2" in found["environment.proactive_controls[3]"]
    assert "its services: ACM, APIGATEWAY" in found["environment.proactive_controls[4]"]
    assert "did you mean" not in found["environment.proactive_controls[4]"]


def test_every_id_names_a_rule_file_and_all_selects_every_one() -> None:
    shipped = control_tower.shipped_controls()
    assert len(shipped) >= 200 and {"CT.ECS.PR.3", "CT.CLOUDWATCH.PR.2", "CT.NETWORK-FIREWALL.PR.1"} <= set(
        shipped
    )
    [rule] = control_tower.rule_files(["CT.CLOUDWATCH.PR.2"])
    assert rule.name == "ct-cloudwatch-pr-2.guard" and "[CT.CLOUDWATCH.PR.2]" in rule.read_text()
    assert len(control_tower.rule_files(["all", "CT.ECS.PR.3"])) == len(shipped)
    assert control_tower.rule_files([]) == []


def test_a_missing_package_is_named_at_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> metadata.Distribution:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(control_tower.metadata, "distribution", missing)
    control_tower._package.cache_clear()
    control_tower.shipped_controls.cache_clear()
    try:
        found = problems(SMALL.format(controls="[CT.ECS.PR.3]", days=30))
    finally:
        control_tower._package.cache_clear()
        control_tower.shipped_controls.cache_clear()
    assert found == {
        "environment.proactive_controls[0]": "cdklabs.cdk-validator-cfnguard is not installed: "
        "pip install -r requirements.txt (got 'CT.ECS.PR.3')"
    }


def test_validate_reads_the_ids_without_aws_cdk_lib() -> None:
    probe = (
        "import sys; from config import parse_spec; "
        f"parse_spec({SMALL.format(controls='[all, CT.ECS.PR.3]', days=30)!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aws_cdk', 'jsii', 'cdklabs')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert completed.stdout.strip() == "[]"


def synthesise(env: str, text: str) -> tuple[int, str]:
    """app.py's synthesis of ``text`` as ``config/environments/<env>.yaml``: (exit code, stderr)."""
    with tempfile.TemporaryDirectory() as directory:
        environments = Path(directory, "environments")
        environments.mkdir()
        (environments / f"{env}.yaml").write_text(text)
        app = cdk.App(
            context={**cdk_context(), "env": env},
            outdir=str(Path(directory, "cdk.out")),
            builtin_cloud_formation_validation=False,
        )
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            code = app_module.synthesise(app, environments)
        return code, stderr.getvalue()


def test_a_violation_fails_the_synth_naming_control_path_and_fix() -> None:
    """30-day logs where the account enforces CT.CLOUDWATCH.PR.2 (at least a year)."""
    code, stderr = synthesise("small", SMALL.format(controls="[CT.CLOUDWATCH.PR.2]", days=30))
    assert code == 2, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert stderr.startswith(
        "error: environment.proactive_controls: 1 violation of the Control Tower proactive controls "
        "the small environment enforces (its account's CloudFormation hooks would block the deploy):\n"
        f"  CT.CLOUDWATCH.PR.2 at {LOG_GROUP}: Require an Amazon CloudWatch log group to be retained "
        "for at least one year; fix: "
    ), stderr
    assert "integer value greater than or equal to 365" in stderr
    assert "; a control the account does not enable can leave the list)" in stderr


def test_each_violating_resource_is_a_line_counted_and_in_path_order() -> None:
    """Two services with 30-day logs break one control at two log groups: two violations, one
    line each, by construct path (admin before api, though api comes first in the spec)."""
    admin = SMALL.split("services:\n", 1)[1].replace("  api:", "  admin:", 1).format(days=30)
    code, stderr = synthesise("small", SMALL.format(controls="[CT.CLOUDWATCH.PR.2]", days=30) + admin)
    assert code == 2, stderr
    lines = stderr.splitlines()
    assert lines[0] == (
        "error: environment.proactive_controls: 2 violations of the Control Tower proactive controls "
        "the small environment enforces (its account's CloudFormation hooks would block the deploy):"
    )
    retained = ": Require an Amazon CloudWatch log group to be retained for at least one year; fix: "
    assert lines[1].startswith(f"  CT.CLOUDWATCH.PR.2 at {LOG_GROUP.replace('-api/', '-admin/')}{retained}")
    assert lines[2].startswith(f"  CT.CLOUDWATCH.PR.2 at {LOG_GROUP}{retained}")
    assert lines[3].startswith("  (the full report: ")


def test_a_violation_in_the_first_of_the_stacks_is_found() -> None:
    """cfn-guard gets each rule file naming a type that any of the templates holds: cost_profile
    dev's NAT instance, the only EC2 instance, is in the network stack, synthesised before the
    others, and breaks CT.EC2.PR.8 (no public address; a NAT instance needs one)."""
    text = SMALL.format(controls="[CT.EC2.PR.8]", days=365)
    code, stderr = synthesise(
        "small", text.replace("  target: aws\n", "  target: aws\n  cost_profile: dev\n", 1)
    )
    assert code == 2, stderr
    assert "  CT.EC2.PR.8 at shop-small-network/Network/Vpc/publicSubnet1/NatInstance/Resource: " in stderr


def test_the_same_spec_complying_synthesises() -> None:
    code, stderr = synthesise("small", SMALL.format(controls="[CT.CLOUDWATCH.PR.2]", days=365))
    assert (code, stderr) == (0, "")


def test_prod_passes_all_controls() -> None:
    """test_control_tower holds that prod passes every control; here through the setting."""
    text = (ENVIRONMENTS_DIR / "prod.yaml").read_text()
    enforcing = text.replace("  target: aws\n", "  target: aws\n  proactive_controls: [all]\n", 1)
    assert enforcing != text
    code, stderr = synthesise("prod", enforcing)
    assert (code, stderr) == (0, "")


def test_deployer_plan_s_synthesis_refuses_a_violation_as_bad_input() -> None:
    """``deployer plan`` synthesises in its own process (``synthesise_templates``): exit 2 too."""
    spec = parse_spec(SMALL.format(controls="[all]", days=30), "small.yaml")
    with pytest.raises(BadInputError) as raised:
        synthesise_templates(spec)
    assert f"CT.CLOUDWATCH.PR.2 at {LOG_GROUP}" in str(raised.value)


def test_the_pipeline_app_names_a_stage_s_violation_and_exits_2(tmp_path: Path) -> None:
    """pipeline_app.py builds every stage's environment: the same report, not CDK's raw error
    (nor silence: CDK runs no plugin of a stage inside a stack). A finding counts for the stage
    that holds it where that environment enforces the control: `other` has the same 30-day logs
    and enforces none, and the pipeline's own stack is no environment's."""
    environments = tmp_path / "environments"
    environments.mkdir()
    (environments / "small.yaml").write_text(SMALL.format(controls="[CT.CLOUDWATCH.PR.2]", days=30))
    other = SMALL.format(controls="[]", days=30).replace("name: small", "name: other")
    (environments / "other.yaml").write_text(other.replace("111111111111", "444444444444"))
    pipeline_file = tmp_path / "pipeline.yaml"
    pipeline_file.write_text(
        "name: shop-delivery\naccount: '333333333333'\nregion: eu-west-1\n"
        "source:\n  connection_arn: arn:aws:codeconnections:eu-west-1:333333333333:connection/0f1e2d3c-4b5a\n"
        "  repository: example-org/shop-infra\nstages:\n  - environment: other\n  - environment: small\n"
    )
    pipeline = load_pipeline(pipeline_file, environments)
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = pipeline_app.synthesise(app, pipeline)
    assert code == 2, stderr.getvalue()
    stage = app.node.find_child("shop-delivery").node.find_child("small")
    # CDK would not run a plugin there (the app's runs the rules); Python's Validations lists none
    assert stage.policy_validation_beta1 == []
    assert stderr.getvalue().startswith(
        "error: environment.proactive_controls: 1 violation of the Control Tower proactive controls "
        "the small environment enforces (its account's CloudFormation hooks would block the deploy):\n"
        f"  CT.CLOUDWATCH.PR.2 at shop-delivery/small/{LOG_GROUP}: "
    ), stderr.getvalue()


def test_only_the_rule_files_naming_a_type_the_templates_hold_apply() -> None:
    """A guard rule checks only the types it names (test_control_tower holds that every shipped
    rule names them): CT.SQS.PR.1 checks queues and CT.CLOUDWATCH.PR.2 log groups, so a queue and
    a log group bring in those two, in the order given, and no other rule file."""
    types = rule_types(control_tower.rule_files(["CT.SQS.PR.1", "CT.CLOUDWATCH.PR.2", "CT.ECS.PR.3"]))
    held = iter(["AWS::IAM::Role", "AWS::SQS::Queue", "AWS::Logs::LogGroup"])
    assert [path.name for path in applicable(types, held)] == [
        "ct-cloudwatch-pr-2.guard",
        "ct-sqs-pr-1.guard",
    ]
    assert [path.name for path in applicable(types, ["AWS::ECS::TaskDefinition"])] == ["ct-ecs-pr-3.guard"]
    assert applicable(types, ["AWS::IAM::Role"]) == []
    assert applicable(types, []) == []


@pytest.mark.parametrize(
    ("description", "control"),
    [
        ("[CT.SQS.PR.1]: Require any Amazon SQS queue to have a dead-letter queue configured", "CT.SQS.PR.1"),
        ("[CT.EC2.PR.8]: Require an Amazon EC2 instance [in a VPC] to have no public address", "CT.EC2.PR.8"),
        ("Require a dead-letter queue [any rule of one's own]", None),
        ("[CT.SQS.PR.1: a bracket left open", None),
        ("", None),
    ],
)
def test_the_control_id_is_the_bracketed_start_of_a_rule_description(
    description: str, control: str | None
) -> None:
    """cfn-guard's Control Tower rules describe themselves as ``[<id>]: <what>``; any other
    description (a rule of one's own) has no control id, and the report falls back to its rule name."""
    assert control_of(description) == control


DLQ = "[CT.SQS.PR.1]: Require any Amazon SQS queue to have a dead-letter queue configured"


def violation(description: str, *paths: str | None, fix: str | None = None) -> dict[str, Any]:
    """A violation as CDK writes it to validation-report.json (aws-cdk-lib's report.d.ts: a
    plugin's ``fix`` and a resource's ``constructPath`` are optional)."""
    constructs = [
        {"constructFqn": "aws-cdk-lib.aws_sqs.CfnQueue", **({"constructPath": path} if path else {})}
        for path in paths
    ]
    return {
        "ruleName": "sqs_queue_dlq_check",
        "description": description,
        **({"suggestedFix": fix} if fix is not None else {}),
        "severity": "error",
        "violatingConstructs": constructs,
    }


def report_message(directory: Path, controls: str, *plugins: tuple[str, list[dict[str, Any]]]) -> str | None:
    """What ``_check_report`` raises for a validation-report.json of ``plugins`` (name, violations)
    in ``directory`` where the environment enforces ``controls``; None when it raises nothing."""
    reports = [
        {"pluginName": name, "conclusion": "failure" if found else "success", "violations": found}
        for name, found in plugins
    ]
    report = {"version": "55.0.0", "title": "Validation Report", "pluginReports": reports}
    (directory / "validation-report.json").write_text(json.dumps(report))
    spec = parse_spec(SMALL.format(controls=controls, days=30), "small.yaml")
    try:
        _check_report(str(directory), {"": spec})
    except ProactiveControlsError as error:
        return str(error)
    return None


def test_the_report_names_only_cfn_guard_findings_whatever_plugin_comes_first(tmp_path: Path) -> None:
    """An app may run other validation plugins (cdk-nag, as tests/policy_validation.py does):
    their findings are in the same report, before cfn-guard's, and are not proactive controls."""
    nag = violation("The SQS queue does not have a dead-letter queue enabled.", "shop-small-svc-api/Q")
    message = report_message(
        tmp_path,
        "[CT.SQS.PR.1]",
        ("cdk-nag", [nag]),
        (PLUGIN_NAME, [violation(DLQ, "shop-small-svc-api/Queue/Resource", fix="Set 'RedrivePolicy'.")]),
        ("another-plugin", [nag]),
    )
    assert message is not None and message.startswith("environment.proactive_controls: 1 violation of")
    assert message.splitlines()[1] == (
        "  CT.SQS.PR.1 at shop-small-svc-api/Queue/Resource: Require any Amazon SQS queue to have a "
        "dead-letter queue configured; fix: Set 'RedrivePolicy'."
    )
    assert "dead-letter queue enabled" not in message
    assert report_message(tmp_path, "[CT.SQS.PR.1]", ("cdk-nag", [nag])) is None


def test_a_finding_without_fix_or_construct_path_is_named_without_them(tmp_path: Path) -> None:
    """A plugin's fix and a resource's construct path are optional in CDK's report: no fix means
    no '; fix:' part, no path a '?'; a rule of one's own (no bracketed id) goes by its rule name."""
    message = report_message(
        tmp_path,
        "[CT.SQS.PR.1]",
        (PLUGIN_NAME, [violation(DLQ, None), violation("Queues need a redrive policy", "shop/Q", fix=" ")]),
    )
    assert message is not None
    assert message.splitlines()[1:3] == [
        "  CT.SQS.PR.1 at ?: Require any Amazon SQS queue to have a dead-letter queue configured",
        "  sqs_queue_dlq_check at shop/Q: Queues need a redrive policy",
    ]


def test_the_report_is_read_only_where_the_environment_enforces_controls(tmp_path: Path) -> None:
    """Without ``proactive_controls`` a report's findings are not this check's to raise, and
    without a report (no plugin ran) there is nothing to raise."""
    found = (PLUGIN_NAME, [violation(DLQ, "shop-small-svc-api/Queue/Resource")])
    assert report_message(tmp_path, "[]", found) is None
    assert report_message(tmp_path, "[CT.SQS.PR.1]", found) is not None
    (tmp_path / "validation-report.json").unlink()
    spec = parse_spec(SMALL.format(controls="[CT.SQS.PR.1]", days=30), "small.yaml")
    _check_report(str(tmp_path), {"": spec})  # nothing to read, nothing raised
