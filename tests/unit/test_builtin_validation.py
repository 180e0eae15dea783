"""The one synthesis with aws-cdk-lib's built-in CloudFormation validation on."""

from __future__ import annotations

from config import load_spec
from tests.harness import synthesise


def test_local_environment_passes_builtin_cloudformation_validation() -> None:
    synthesised = synthesise(load_spec("local"), validation=True)
    findings = [m for m in synthesised.messages if m[1] in ("warning", "error")]
    assert findings == []
    assert synthesised.templates
