"""AWS Control Tower proactive controls at synthesis (``environment.proactive_controls``).

An account that enables a proactive control runs it as a CloudFormation hook, which blocks a
stack whose resources violate it mid-deploy. ``enforce`` runs the same cfn-guard rules
(cdk-validator-cfnguard's, chosen by ``config.control_tower``) through CDK's ``Validations`` in
the synthesis; ``check_report`` turns their findings, which CDK writes to the cloud assembly's
``validation-report.json``, into one ``ProactiveControlsError`` naming each control, the
construct path and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from constructs import Construct

from config.control_tower import rule_files
from config.schema import AppSpec

PLUGIN_NAME = "cdk-validator-cfnguard"


class ProactiveControlsError(ValueError):
    """The templates violate proactive controls the environment enforces; ``str()`` says which."""


def enforce(scope: Construct, spec: AppSpec) -> None:
    """Run the rules of ``spec.environment.proactive_controls`` (none: nothing) when the stage
    holding ``scope`` synthesises."""
    controls = spec.environment.proactive_controls
    if not controls:
        return
    from cdklabs.cdk_validator_cfnguard import CfnGuardValidator  # loads its jsii assembly: only when used

    rules = [str(path) for path in rule_files(controls)]
    validator = CfnGuardValidator(control_tower_rules_enabled=False, rules=rules)
    # typed against CDK's Beta1 plugin interface, which is the same interface at runtime (jsii)
    cdk.Validations.of(scope).add_plugins(validator)  # type: ignore[arg-type]


def check_report(outdir: str | Path, env: str) -> None:
    """Raise ``ProactiveControlsError`` when the cloud assembly in ``outdir`` holds a validation
    report with proactive-control findings."""
    report_file = Path(outdir) / "validation-report.json"
    if not report_file.is_file():
        return
    report = json.loads(report_file.read_text(encoding="utf-8"))
    lines = []
    for plugin in report.get("pluginReports", []):
        if plugin.get("pluginName") != PLUGIN_NAME:
            continue
        for violation in plugin.get("violations", []):
            description = str(violation.get("description", ""))
            control = _control(description) or str(violation.get("ruleName", "?"))
            what = description.split("]:", 1)[-1].strip()
            fix = str(violation.get("suggestedFix", "")).strip()
            for construct in violation.get("violatingConstructs", []):
                path = construct.get("constructPath") or "?"
                lines.append(f"  {control} at {path}: {what}" + (f"; fix: {fix}" if fix else ""))
    if lines:
        count = f"{len(lines)} violation{'s' if len(lines) != 1 else ''}"
        raise ProactiveControlsError(
            f"environment.proactive_controls: {count} of the Control Tower proactive controls "
            f"the {env} environment enforces (its account's CloudFormation hooks would block the "
            "deploy):\n" + "\n".join(sorted(lines)) + f"\n  (the full report: {report_file}; a control the "
            "account does not enable can leave the list)"
        )


def _control(description: str) -> str | None:
    """``[CT.SQS.PR.1]: Require …`` → ``CT.SQS.PR.1``."""
    if description.startswith("[") and "]" in description:
        return description[1 : description.index("]")]
    return None
