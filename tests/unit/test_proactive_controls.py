"""``environment.proactive_controls``: the Control Tower proactive controls an account enforces.

``validate`` checks the ids only (a rule file cdk-validator-cfnguard ships for each, read without
aws-cdk-lib); the synthesis (app.py) runs the rules and exits 2 on a violation, naming each
control and construct path, as the account's CloudFormation hooks would refuse the deploy.
One synthesis per test, built-in CloudFormation validation off.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import aws_cdk as cdk
import pytest

import app as app_module
import pipeline_app
from config import SpecError, control_tower, parse_spec
from config.loader import ENVIRONMENTS_DIR
from config.pipeline_schema import load_pipeline
from deployer.cdk.synth import synthesise_templates
from deployer.inputs import BadInputError
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
    assert stderr.getvalue().startswith(
        "error: environment.proactive_controls: 1 violation of the Control Tower proactive controls "
        "the small environment enforces (its account's CloudFormation hooks would block the deploy):\n"
        f"  CT.CLOUDWATCH.PR.2 at shop-delivery/small/{LOG_GROUP}: "
    ), stderr.getvalue()
