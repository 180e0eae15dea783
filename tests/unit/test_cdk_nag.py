"""cdk-nag AwsSolutions (v3 Validations API): every acknowledgement explains itself, and the
check does fail. The shipped environments' zero unacknowledged findings are asserted in
test_control_tower.py, which runs cdk-nag and Control Tower in one synthesis per environment."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from cdk_nag import AwsSolutionsChecks

from constructs_lib import nag
from tests.harness import make_app


def test_every_acknowledgement_reason_is_at_least_a_sentence() -> None:
    reasons = [v for k, v in vars(nag).items() if k.isupper() and isinstance(v, str)]
    assert len(reasons) >= 6
    assert all(len(reason.split()) >= 12 and reason.endswith(".") for reason in reasons)


def test_the_check_does_fail_on_an_unacknowledged_finding() -> None:
    """Guards the test above against passing vacuously."""
    from aws_cdk import aws_iam as iam

    from tests.harness import new_stack

    app = make_app()
    stack = new_stack(app)
    role = iam.Role(stack, "Loose", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["s3:*"], resources=["*"]))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    with pytest.raises(Exception, match="AwsSolutions-IAM5"):
        app.synth()
