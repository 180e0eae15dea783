"""The deploy lock's exact SSM calls, replayed with botocore's Stubber (fast, no moto).

tests/integration/test_lock.py shows moto's atomic create at work; here each request is
literal: the parameter name, ``Overwrite=False`` (what makes the lock atomic), the value that
names its holder, and the delete that releases it whatever happens inside.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from config import load_spec
from deployer.aws.lock import LockHeldError, deploy_lock, force_unlock, holder, lock_name

SPEC = load_spec("local")
NAME = "/deployer/shop/local/lock"
DESCRIPTION = "deployer: an operation on this environment is in progress"


def ssm_stubbed() -> tuple[Any, Stubber]:
    client = boto3.client("ssm", region_name="us-east-1")
    return client, Stubber(client)


def put_request(value: Any = ANY) -> dict[str, Any]:
    return {"Name": NAME, "Value": value, "Type": "String", "Overwrite": False, "Description": DESCRIPTION}


def test_the_lock_is_one_parameter_per_app_and_environment() -> None:
    assert lock_name(SPEC) == NAME


def test_the_lock_is_taken_before_the_block_and_released_after_it() -> None:
    ssm, _ = ssm_stubbed()
    calls: list[str] = []
    ssm.meta.events.register("before-parameter-build.ssm.*", lambda model, **_: calls.append(model.name))
    stubber = Stubber(ssm)
    stubber.add_response("put_parameter", {"Version": 1}, put_request())
    stubber.add_response("delete_parameter", {}, {"Name": NAME})
    with stubber, deploy_lock(SPEC, ssm, "rollback web"):
        assert calls == ["PutParameter"]
    assert calls == ["PutParameter", "DeleteParameter"]
    stubber.assert_no_pending_responses()


def test_the_value_names_owner_command_and_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "ana")
    monkeypatch.setattr(socket, "gethostname", lambda: "laptop")
    sent: list[dict[str, Any]] = []
    ssm, _ = ssm_stubbed()
    record = "before-parameter-build.ssm.PutParameter"
    ssm.meta.events.register(record, lambda params, **_: sent.append(params))
    stubber = Stubber(ssm)
    stubber.add_response("put_parameter", {"Version": 1}, put_request())
    stubber.add_response("delete_parameter", {}, {"Name": NAME})
    with stubber, deploy_lock(SPEC, ssm, "deploy"):
        pass
    value = json.loads(sent[0]["Value"])
    assert set(value) == {"owner", "command", "since"}
    assert value["owner"] == f"ana@laptop pid {os.getpid()}" and value["command"] == "deploy"
    assert value["since"].endswith("+00:00") and "T" in value["since"]


def test_the_lock_is_released_when_the_block_fails() -> None:
    ssm, stubber = ssm_stubbed()
    stubber.add_response("put_parameter", {"Version": 1}, put_request())
    stubber.add_response("delete_parameter", {}, {"Name": NAME})
    with stubber, pytest.raises(RuntimeError, match="boom"), deploy_lock(SPEC, ssm, "deploy"):
        raise RuntimeError("boom")
    stubber.assert_no_pending_responses()


def test_a_held_lock_names_its_holder_and_is_left_alone() -> None:
    ssm, stubber = ssm_stubbed()
    stubber.add_client_error("put_parameter", "ParameterAlreadyExists", expected_params=put_request())
    held = {"owner": "ci@runner pid 7", "command": "deploy", "since": "2026-11-29T10:00:00+00:00"}
    stubber.add_response(
        "get_parameter", {"Parameter": {"Name": NAME, "Value": json.dumps(held)}}, {"Name": NAME}
    )
    ran = []
    with stubber, pytest.raises(LockHeldError) as caught, deploy_lock(SPEC, ssm, "deploy"):
        ran.append(True)
    stubber.assert_no_pending_responses()  # no delete: the lock is not ours
    assert not ran
    assert str(caught.value) == (
        "local is locked by ci@runner pid 7 running 'deploy' since 2026-11-29T10:00:00+00:00; wait for it, "
        "or if that process is gone: deployer unlock --env local"
    )


def test_a_lock_with_a_plain_value_or_without_fields() -> None:
    ssm, stubber = ssm_stubbed()
    stubber.add_response(
        "get_parameter", {"Parameter": {"Name": NAME, "Value": "left by hand"}}, {"Name": NAME}
    )
    stubber.add_response("get_parameter", {"Parameter": {"Name": NAME, "Value": "{}"}}, {"Name": NAME})
    stubber.add_client_error("get_parameter", "ParameterNotFound", expected_params={"Name": NAME})
    with stubber:
        assert holder(SPEC, ssm) == {"owner": "left by hand"}
        assert holder(SPEC, ssm) == {}
        assert holder(SPEC, ssm) is None


def test_a_held_lock_without_details_says_what_it_knows() -> None:
    ssm, stubber = ssm_stubbed()
    stubber.add_client_error("put_parameter", "ParameterAlreadyExists", expected_params=put_request())
    stubber.add_client_error("get_parameter", "ParameterNotFound", expected_params={"Name": NAME})
    with stubber, pytest.raises(LockHeldError) as caught, deploy_lock(SPEC, ssm, "deploy"):
        pass
    assert str(caught.value).startswith("local is locked by ? running '?' since ?; ")


def test_force_unlock_reports_whether_there_was_a_lock() -> None:
    ssm, stubber = ssm_stubbed()
    stubber.add_response("delete_parameter", {}, {"Name": NAME})
    stubber.add_client_error("delete_parameter", "ParameterNotFound", expected_params={"Name": NAME})
    with stubber:
        assert force_unlock(SPEC, ssm) is True
        assert force_unlock(SPEC, ssm) is False
