"""AWS Control Tower proactive controls at synthesis (``environment.proactive_controls``).

An account that enables a proactive control runs it as a CloudFormation hook, which blocks a
stack whose resources violate it mid-deploy. ``enforce`` runs the same cfn-guard rules
(cdk-validator-cfnguard's, chosen by ``config.control_tower``) through CDK's ``Validations`` in
the synthesis; ``synthesise`` turns their findings, which CDK writes to the cloud assembly's
``validation-report.json``, into one ``ProactiveControlsError`` naming each control, the
construct path and the fix.

cfn-guard gets only the rule files that name a resource type the templates hold
(``TemplateScopedRules``): a guard rule selects what it checks by the type names it spells
out, so the others could only skip, and they cost cfn-guard most of its time (every rule over
dev's templates: 4.6 s; the ones that apply: 2.8 s, the same findings).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import aws_cdk as cdk
import jsii
from aws_cdk import cx_api
from constructs import Construct

from config.control_tower import rule_files, selected_controls
from config.schema import AppSpec

PLUGIN_NAME = "cdk-validator-cfnguard"
RESOURCE_TYPE = re.compile(r"AWS::\w+::\w+")


class ProactiveControlsError(ValueError):
    """The templates violate proactive controls the environment enforces; ``str()`` says which."""


def enforce(scope: Construct, controls: Iterable[str]) -> None:
    """Run the rules of ``controls`` (items of ``proactive_controls``; none: nothing) over the
    templates of the stage ``scope`` is, or is in. CDK runs the plugins of the app and of the
    stages directly in it only: for a stage deeper down (a pipeline's, inside its stack) nothing
    is added here, and the app that holds it runs the rules (``pipeline_app.py``)."""
    chosen = sorted(set(controls))
    if chosen and _plugins_run(scope):
        # typed against CDK's newer plugin interface; the Beta1 one is the same at runtime (jsii)
        cdk.Validations.of(scope).add_plugins(TemplateScopedRules(rule_files(chosen)))  # type: ignore[arg-type]


def _plugins_run(scope: Construct) -> bool:
    """Whether CDK runs the validation plugins of the stage ``scope`` is, or is in."""
    stage = scope if cdk.Stage.is_stage(scope) else cdk.Stage.of(scope)
    parent = stage.node.scope if stage is not None else None
    return parent is None or cdk.App.is_app(parent)


@jsii.implements(cdk.IPolicyValidationPluginBeta1)  # the interface cdk-validator-cfnguard implements
class TemplateScopedRules:
    """cdk-validator-cfnguard's validator over those of ``rules`` (guard rule files) that name
    a resource type the synthesised templates hold (``applicable``); its report, under its name."""

    def __init__(self, rules: Sequence[Path]) -> None:
        self._types = rule_types(rules)

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def rule_ids(self) -> list[str] | None:
        return None

    @property
    def version(self) -> str | None:
        return None

    def validate(self, context: cdk.IPolicyValidationContextBeta1) -> cdk.PolicyValidationPluginReportBeta1:
        from cdklabs.cdk_validator_cfnguard import CfnGuardValidator  # its jsii assembly: only when used

        present: set[str] = set()
        for template in context.template_paths:
            resources = json.loads(Path(template).read_text(encoding="utf-8")).get("Resources", {})
            present |= {resource["Type"] for resource in resources.values()}
        rules = [str(path) for path in applicable(self._types, present)]
        return CfnGuardValidator(control_tower_rules_enabled=False, rules=rules).validate(context)


def rule_types(rules: Sequence[Path]) -> dict[Path, frozenset[str]]:
    """Each guard rule file with the resource types it names."""
    return {path: frozenset(RESOURCE_TYPE.findall(path.read_text(encoding="utf-8"))) for path in rules}


def applicable(types_of: Mapping[Path, frozenset[str]], present: Iterable[str]) -> list[Path]:
    """The rule files that name one of the resource types ``present`` (the others only skip)."""
    held = set(present)
    return [path for path, types in types_of.items() if types & held]


def synthesise(app: cdk.App, spec: AppSpec) -> cx_api.CloudAssembly:
    """``app.synth()`` of the environment ``spec`` built into ``app`` itself (app.py, ``plan``);
    ``ProactiveControlsError`` when its templates violate a control the environment enforces."""
    return synthesise_stages(app, {"": spec})


def synthesise_stages(app: cdk.App, stages: Mapping[str, AppSpec]) -> cx_api.CloudAssembly:
    """``app.synth()``, or ``ProactiveControlsError`` when a template violates a proactive
    control its environment enforces. ``stages``: the construct path of the scope each
    environment was built in (``""``: the app itself) → its spec; a finding counts for the
    environment whose scope holds the construct, if that environment enforces the control. CDK
    raises on a violation, or under the CDK CLI only reports it: the report decides, and any
    other failure of the synth is raised as it was."""
    try:
        assembly = app.synth()
    except Exception:
        _check_report(app.outdir, stages)
        raise
    _check_report(app.outdir, stages)
    return assembly


def _check_report(outdir: str, stages: Mapping[str, AppSpec]) -> None:
    """Raise ``ProactiveControlsError`` when the cloud assembly in ``outdir`` holds a validation
    report (one for the app, its stages included) with findings an environment enforces."""
    if not any(spec.environment.proactive_controls for spec in stages.values()):
        return
    report_file = Path(outdir) / "validation-report.json"
    if not report_file.is_file():
        return
    report = json.loads(report_file.read_text(encoding="utf-8"))
    enforced = {
        path: set(selected_controls(spec.environment.proactive_controls)) for path, spec in stages.items()
    }
    lines, environments = [], set()
    for plugin in report.get("pluginReports", []):
        if plugin.get("pluginName") != PLUGIN_NAME:
            continue
        for violation in plugin.get("violations", []):
            description = str(violation.get("description", ""))
            identified = control_of(description)
            control = identified or str(violation.get("ruleName", "?"))
            what = description.split("]:", 1)[-1].strip()
            fix = str(violation.get("suggestedFix", "")).strip()
            for construct in violation.get("violatingConstructs", []):
                path = construct.get("constructPath") or "?"
                owner = _owner(stages, enforced, path, control if identified else None)
                if owner is not None:
                    environments.add(owner)
                    lines.append(f"  {control} at {path}: {what}" + (f"; fix: {fix}" if fix else ""))
    if lines:
        count = f"{len(lines)} violation{'s' if len(lines) != 1 else ''}"
        names = sorted(environments)
        whose = (
            f"the {names[0]} environment enforces"
            if len(names) == 1
            else f"the {', '.join(names[:-1])} and {names[-1]} environments enforce"
        )
        raise ProactiveControlsError(
            f"environment.proactive_controls: {count} of the Control Tower proactive controls "
            f"{whose} (its account's CloudFormation hooks would block the "
            "deploy):\n" + "\n".join(sorted(lines)) + f"\n  (the full report: {report_file}; a control the "
            "account does not enable can leave the list)"
        )


def _owner(
    stages: Mapping[str, AppSpec], enforced: Mapping[str, set[str]], path: str, control: str | None
) -> str | None:
    """The environment a finding at construct ``path`` counts for: the first whose scope holds
    the construct and which enforces ``control`` (None, a rule without a control id: any)."""
    for scope, controls in enforced.items():
        holds = not scope or path.startswith(f"{scope}/")
        if holds and (control in controls if control else bool(controls)):
            return stages[scope].environment.name
    return None


def control_of(description: str) -> str | None:
    """``[CT.SQS.PR.1]: Require …`` → ``CT.SQS.PR.1``."""
    if description.startswith("[") and "]" in description:
        return description[1 : description.index("]")]
    return None
