"""The per-environment deploy lock (moto models SSM's atomic create)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from config import load_spec
from deployer.aws.lock import LockHeldError, deploy_lock, force_unlock, holder, lock_name
from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.fakes import local_client
from tests.harness import free_port

pytestmark = pytest.mark.moto


@pytest.fixture
def ssm() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("ssm", region_name="us-east-1")


def test_second_holder_is_refused_and_told_who_holds_it(ssm: Any) -> None:
    spec = load_spec("local")
    with deploy_lock(spec, ssm, "deploy"):
        assert holder(spec, ssm)["command"] == "deploy"  # type: ignore[index]
        with (
            pytest.raises(
                LockHeldError, match=r"local is locked by .* running 'deploy' since .*deployer unlock"
            ),
            deploy_lock(spec, ssm, "rollback web"),
        ):
            pass
    assert holder(spec, ssm) is None


def test_lock_is_released_when_the_operation_fails(ssm: Any) -> None:
    spec = load_spec("local")
    with pytest.raises(RuntimeError, match="boom"), deploy_lock(spec, ssm, "deploy"):
        raise RuntimeError("boom")
    assert holder(spec, ssm) is None


def test_force_unlock(ssm: Any) -> None:
    spec = load_spec("local")
    ssm.put_parameter(Name=lock_name(spec), Value="left by a killed deploy", Type="String")
    assert force_unlock(spec, ssm) is True
    assert force_unlock(spec, ssm) is False


@pytest.mark.parametrize("value", ["1", "true", "null", '["ci"]'])
def test_a_lock_holding_a_plain_json_value_is_held_by_its_text(ssm: Any, value: str) -> None:
    spec = load_spec("local")
    ssm.put_parameter(Name=lock_name(spec), Value=value, Type="String")
    assert holder(spec, ssm) == {"owner": value}
    with (
        pytest.raises(LockHeldError, match=rf"local is locked by {re.escape(value)} running '\?'"),
        deploy_lock(spec, ssm, "deploy"),
    ):
        pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    """One local endpoint for the commands run against a held lock (each test sets and removes it)."""
    chosen = free_port()
    local_endpoint.up(chosen)
    try:
        yield chosen
    finally:
        local_endpoint.down(chosen)


def test_a_concurrent_deploy_is_refused_before_it_changes_anything(port: int) -> None:
    ssm = local_client("ssm", port)
    ssm.put_parameter(
        Name="/deployer/shop/local/lock",
        Value='{"owner": "ci@runner", "command": "deploy", "since": "now"}',
        Type="String",
        Overwrite=True,
    )
    result = run_deployer("deploy", "--env", "local", "--port", str(port))
    assert result.code == 1 and "locked by ci@runner running 'deploy'" in result.stderr
    cloudformation = local_client("cloudformation", port)
    assert cloudformation.describe_stacks()["Stacks"] == []  # not even bootstrapped
    unlocked = run_deployer("unlock", "--env", "local", "--port", str(port))
    assert unlocked.code == 0 and "lock removed" in unlocked.stdout


def test_a_manual_freeze_refuses_lock_taking_commands_and_unlock_removes_it(port: int) -> None:
    ssm, ecs = local_client("ssm", port), local_client("ecs", port)
    ecs.create_cluster(clusterName="shop-local")  # so that prune gets as far as the lock
    ssm.put_parameter(Name="/deployer/shop/local/lock", Value="true", Type="String", Overwrite=True)
    for command in (["deploy"], ["verify"], ["prune", "web"]):
        result = run_deployer(*command, "--env", "local", "--port", str(port))
        assert result.code == 1, result.output
        assert "locked by true" in result.stderr or "held by true" in result.stdout
        assert "internal error" not in result.output and "None" not in result.output
    assert local_client("cloudformation", port).describe_stacks()["Stacks"] == []
    unlocked = run_deployer("unlock", "--env", "local", "--port", str(port))
    assert unlocked.code == 0 and "lock removed" in unlocked.stdout
