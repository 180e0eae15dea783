"""One synthesis per environment with every policy plugin: cdk-nag and AWS Control Tower.

Both plugins run through CDK's ``Validations`` API in the same synth, and their findings are
read from the validation report CDK writes, so a test can assert on exactly which rule fired
on which resource (not only that the synth raised).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from cdklabs.cdk_validator_cfnguard import CfnGuardValidator

from config import AppSpec
from stacks.app_builder import build_environment
from tests.harness import cdk_context

CONTROL_TOWER = "cdk-validator-cfnguard"
CDK_NAG = "cdk-nag"


@dataclass(frozen=True)
class Finding:
    plugin: str
    rule: str  # the rule's name, e.g. sqs_dlq_check or AwsSolutions-IAM5
    control: str  # e.g. CT.SQS.PR.1 (Control Tower) or the rule name again
    path: str  # construct path of the resource


def validate(spec: AppSpec) -> list[Finding]:
    """Synthesise ``spec``'s environment with both plugins on; every unacknowledged finding."""
    with tempfile.TemporaryDirectory() as outdir:
        app = cdk.App(context=cdk_context(), outdir=outdir, builtin_cloud_formation_validation=False)
        build_environment(app, spec)
        return validate_app(app)


def validate_app(app: cdk.App) -> list[Finding]:
    """Synthesise ``app`` with both plugins on; every unacknowledged finding."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), CfnGuardValidator())
    try:
        app.synth()
    except Exception as error:  # ValidationFailed: the report below says what failed
        if "Validation failed" not in str(error) and "ValidationFailed" not in str(error):
            raise
    report_file = Path(app.outdir) / "validation-report.json"
    if not report_file.exists():
        return []
    report = json.loads(report_file.read_text())
    return [
        Finding(
            plugin=plugin["pluginName"],
            rule=violation["ruleName"],
            control=_control(violation["description"]) or violation["ruleName"],
            path=construct["constructPath"],
        )
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    ]


def _control(description: str) -> str | None:
    """``[CT.SQS.PR.1]: Require …`` → ``CT.SQS.PR.1``."""
    if description.startswith("[") and "]" in description:
        return description[1 : description.index("]")]
    return None
