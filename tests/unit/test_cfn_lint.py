"""cfn-lint finds nothing in any shipped environment (accepted findings are listed with reasons)."""

from __future__ import annotations

import pytest

from tests.cfn_lint_check import ACCEPTED, findings


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_cfn_lint_is_clean(env: str) -> None:
    assert findings(env) == []


def test_every_accepted_finding_has_a_sentence_of_reason() -> None:
    assert all(len(reason.split()) >= 8 and reason.endswith(".") for reason in ACCEPTED.values())
