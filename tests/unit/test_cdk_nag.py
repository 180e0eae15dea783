"""cdk-nag AwsSolutions (v3 Validations API) on every shipped environment: zero findings
left unacknowledged, and every acknowledgement explains itself."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from cdk_nag import AwsSolutionsChecks

from config import load_spec
from constructs_lib import nag
from stacks.app_builder import build_environment
from tests.harness import make_app


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_no_unacknowledged_findings(env: str) -> None:
    app = make_app()
    build_environment(app, load_spec(env))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()  # raises ValidationFailed listing every unacknowledged finding


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
