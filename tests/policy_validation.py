"""One synthesis per environment with every policy plugin: cdk-nag and AWS Control Tower.

Both plugins run through CDK's ``Validations`` API in the same synth, and their findings are
read from the validation report CDK writes, so a test can assert on exactly which rule fired
on which resource (not only that the synth raised).

Control Tower's rules go to cfn-guard as the files that name a resource type the app's
templates hold: a guard rule selects the resources it checks by the type names it spells out,
so a rule naming none of the app's types has nothing to check (it skips). The other rules cost
cfn-guard most of its time (all 237 files: about 3.5 s per environment; these: under 2 s) and
change no finding: the reports of local, dev and prod were compared whole, both ways, when the
filter was written (2026-11-30), and ``test_control_tower`` holds the property the filter
rests on (every rule file names its types; none matches a type by pattern).
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import aws_cdk as cdk
import cdklabs.cdk_validator_cfnguard
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
    assembly = app.synth()  # without plugins: which resource types are there
    present = {
        resource["Type"]
        for stack in assembly.stacks
        for resource in stack.template.get("Resources", {}).values()
    }
    rules = [str(path) for path, types in control_tower_rules().items() if types & present]
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


RULES_IN_PACKAGE = "package/rules/control-tower/cfn-guard/"
RESOURCE_TYPE = re.compile(r"AWS::\w+::\w+")


@cache
def control_tower_rules() -> dict[Path, frozenset[str]]:
    """Every Control Tower guard rule file cdk-validator-cfnguard ships (as its own default
    rules), unpacked for this process, with the resource types the file names."""
    package = next(Path(cdklabs.cdk_validator_cfnguard.__file__).parent.joinpath("_jsii").glob("*.tgz"))
    directory = Path(tempfile.mkdtemp(prefix="control-tower-rules-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    with tarfile.open(package) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(RULES_IN_PACKAGE) and m.isfile()]
        archive.extractall(directory, members, filter="data")
    return {
        path: frozenset(RESOURCE_TYPE.findall(path.read_text()))
        for path in sorted(directory.joinpath(RULES_IN_PACKAGE).rglob("*.guard"))
    }
