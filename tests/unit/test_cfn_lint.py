"""cfn-lint finds nothing in any shipped environment (accepted findings are listed with reasons)."""

from __future__ import annotations

import pytest

from tests.cfn_lint_check import ACCEPTED, findings
from tests.harness import SynthesisCache


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_cfn_lint_is_clean(synth_cache: SynthesisCache, env: str) -> None:
    assert findings(env, synth_cache.get(env).templates) == []


def test_every_accepted_finding_has_a_sentence_of_reason() -> None:
    assert all(len(reason.split()) >= 8 and reason.endswith(".") for reason in ACCEPTED.values())


def test_the_shared_runner_finds_what_cfn_lint_api_finds() -> None:
    """tests.cfn_lint_rules reuses one runner: on a broken template it reports exactly what
    cfn-lint's own ``lint`` (a new runner per call) reports, so a clean result means clean."""
    import json

    from cfnlint.api import ManualArgs, lint

    from tests.cfn_lint_rules import lint_template

    broken = {
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": "a lot", "Bogus": 1}},
            "Topic": {"Type": "AWS::SNS::Topic", "DependsOn": "Nowhere"},
        }
    }
    for region in ("us-east-1", "eu-west-1"):
        ours = sorted((m.rule.id, m.message) for m in lint_template(broken, region))
        config = ManualArgs(regions=[region])
        theirs = sorted((m.rule.id, m.message) for m in lint(json.dumps(broken), config=config))
        assert ours == theirs
        assert {"E3002", "E3012", "E3005"} <= {rule for rule, _ in ours}
