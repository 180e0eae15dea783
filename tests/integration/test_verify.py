"""`verify`: preflight checks against moto (ECR, Secrets Manager, SSM) and a stubbed stack state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from config import naming, parse_spec
from config.loader import ENVIRONMENTS_DIR
from deployer.aws.verify import _stack_checks, run_checks

pytestmark = pytest.mark.moto
ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/local/db"


def spec_text() -> str:
    text = (ENVIRONMENTS_DIR / "local.yaml").read_text()
    text = text.replace(
        "image: public.ecr.aws/nginx/nginx-unprivileged:1.27", f"image: {ECR}/shop-web:1.4.2", 1
    )
    return text.replace(
        "    environment:\n      LOG_LEVEL: info\n",
        f'    environment:\n      LOG_LEVEL: info\n    secrets:\n      DB_PASSWORD: {{secret: "{SECRET}", key: password}}\n'
        "      API_TOKEN: {parameter: /shop/local/api-token}\n",
        1,
    )


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def client(name: str) -> Any:
    return boto3.client(name, region_name="us-east-1")


def test_missing_image_secret_and_parameter_are_each_reported(aws: None) -> None:
    spec = parse_spec(spec_text())
    client("ecr").create_repository(repositoryName="shop-web")
    checks = {c.name: c for c in run_checks(spec, client, {})}
    assert not checks[f"image {ECR}/shop-web:1.4.2"].ok
    assert not checks["secret DB_PASSWORD (web)"].ok
    assert (
        not checks["secret API_TOKEN (web)"].ok
        and "does not exist" in checks["secret API_TOKEN (web)"].detail
    )
    assert checks["deploy lock"].ok
    assert all(c.ok for name, c in checks.items() if name.startswith("stack "))  # not deployed yet is fine


def test_everything_present_passes(aws: None) -> None:
    spec = parse_spec(spec_text())
    client("ecr").create_repository(repositoryName="shop-web")
    client("ecr").put_image(
        repositoryName="shop-web",
        imageTag="1.4.2",
        imageManifest='{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}',
    )
    client("secretsmanager").create_secret(Name="shop/local/db", SecretString='{"password": "x"}')
    client("ssm").put_parameter(Name="/shop/local/api-token", Value="x", Type="SecureString")
    checks = run_checks(spec, client, {})
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_held_lock_fails_the_check(aws: None) -> None:
    spec = parse_spec(spec_text())
    client("ssm").put_parameter(
        Name="/deployer/shop/local/lock", Value='{"owner": "ci@runner"}', Type="String"
    )
    lock = next(c for c in run_checks(spec, client, {}) if c.name == "deploy lock")
    assert not lock.ok and "ci@runner" in lock.detail


def test_update_rollback_failed_names_the_recovery() -> None:
    """moto cannot put a stack in UPDATE_ROLLBACK_FAILED; Stubber replays that state."""
    spec = parse_spec(spec_text())
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    stacks = naming.all_stack_names(spec)
    states = ["UPDATE_ROLLBACK_FAILED", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]
    states += ["CREATE_COMPLETE"] * (len(stacks) - len(states))
    with Stubber(cloudformation) as stub:
        for stack, state in zip(stacks, states, strict=True):
            stub.add_response(
                "describe_stacks",
                {
                    "Stacks": [
                        {"StackName": stack, "StackStatus": state, "CreationTime": "2026-11-01T00:00:00Z"}
                    ]
                },
                {"StackName": stack},
            )
        checks = list(_stack_checks(spec, cloudformation))
    assert "continue-update-rollback --stack-name shop-local-network" in checks[0].detail and not checks[0].ok
    assert not checks[1].ok and "another operation is running" in checks[1].detail
    assert all(c.ok for c in checks[2:])
