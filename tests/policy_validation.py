"""One synthesis per environment with every policy plugin: cdk-nag and AWS Control Tower.

Both plugins run through CDK's ``Validations`` API in the same synth, and their findings are
read from the validation report CDK writes, so a test can assert on exactly which rule fired
on which resource (not only that the synth raised).

Control Tower's rules are every rule file the package ships, of which cfn-guard gets those that
name a resource type the templates hold, as the product runs an environment's
``proactive_controls`` (``stacks.proactive_controls.applicable``; which changes no finding: the
reports of local, dev and prod were compared whole, both ways, when the filter was written). A
plain synthesis tells which types are there; choosing them in the plugin, as the product does,
costs a second per environment more (jsii carries the report through Python and back).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from cdklabs.cdk_validator_cfnguard import CfnGuardValidator

from config import AppSpec
from config.control_tower import ALL, rule_files
from stacks.app_builder import build_environment
from stacks.proactive_controls import PLUGIN_NAME, applicable, control_of, rule_types
from tests.harness import cdk_context

CONTROL_TOWER = PLUGIN_NAME
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
    assembly = app.synth()  # without plugins: which resource types are there
    present = {
        resource["Type"]
        for stack in assembly.stacks
        for resource in stack.template.get("Resources", {}).values()
    }
    rules = [str(path) for path in applicable(_all_rules(), present)]
    control_tower = CfnGuardValidator(control_tower_rules_enabled=False, rules=rules)
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), control_tower)
    try:
        app.synth(force=True)
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
            control=control_of(violation["description"]) or violation["ruleName"],
            path=construct["constructPath"],
        )
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    ]


@cache
def _all_rules() -> dict[Path, frozenset[str]]:
    return rule_types(rule_files([ALL]))
