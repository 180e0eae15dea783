"""Failures become one clear message and an exit code; throttling is retried (standard mode)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import typer
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from config import load_spec
from deployer.aws import session as aws_session
from deployer.commands.failures import failure_of, friendly_errors
from deployer.exit_codes import ExitCode
from tests.fakes import RawBody


def failing(error: BaseException, name: str = "deploy") -> Any:
    """A command called ``name`` that raises ``error``, wrapped as the CLI wraps each command."""

    def command() -> None:
        raise error

    command.__name__ = name
    return friendly_errors(command)


def test_access_denied_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    denied = ClientError(
        {
            "Error": {
                "Code": "AccessDeniedException",
                "Message": "User: ci is not authorized to perform: ecs:UpdateService",
            }
        },
        "UpdateService",
    )
    with pytest.raises(typer.Exit) as exited:
        failing(denied)()
    assert exited.value.exit_code == ExitCode.FAILED
    err = capsys.readouterr().err
    assert "not authorized to perform: ecs:UpdateService" in err and "Traceback" not in err


def test_a_missing_cluster_on_aws_says_the_environment_is_not_deployed() -> None:
    missing = ClientError(
        {"Error": {"Code": "ClusterNotFoundException", "Message": "Cluster not found."}}, "DescribeServices"
    )
    failure = failure_of(missing, "dev")
    assert (failure.exit_code, failure.kind) == (ExitCode.FAILED, "failed")
    assert failure.message == (
        "the dev environment's cluster is not deployed: deploy the environment first "
        "(deployer deploy --env dev)"
    )


def test_interrupt_changes_nothing_and_says_how_to_resume(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as exited:
        failing(KeyboardInterrupt())()
    assert exited.value.exit_code == ExitCode.INTERRUPTED
    err = capsys.readouterr().err
    assert "nothing further was changed" in err and "deployer wait" in err


@pytest.mark.parametrize("name", ["cost", "render", "status", "run"])
def test_a_command_that_starts_no_deployment_does_not_say_to_resume_one(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--deadline 1 cost` once told the user to resume with `deployer wait`."""
    with pytest.raises(typer.Exit) as exited:
        failing(KeyboardInterrupt(), name)()
    assert exited.value.exit_code == ExitCode.INTERRUPTED
    assert capsys.readouterr().err.strip() == "interrupted: nothing further was changed in AWS"


def test_unexpected_error_is_reported_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as exited:
        failing(ZeroDivisionError("boom"))()
    assert exited.value.exit_code == ExitCode.FAILED
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: boom" in err and "DEPLOYER_DEBUG=1" in err


def test_throttling_is_retried_with_backoff_until_it_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stubber skips botocore's retry loop, so a before-send hook plays ECS's throttling."""
    monkeypatch.setattr("time.sleep", lambda _: None)  # the backoff itself, not worth waiting for
    spec = load_spec("dev")
    ecs = aws_session.client(spec, "ecs")
    attempts: list[int] = []

    def respond(request: Any, **_: Any) -> AWSResponse:
        attempts.append(1)
        if len(attempts) < 3:
            body = {"__type": "ThrottlingException", "message": "Rate exceeded"}
            return AWSResponse(request.url, 400, {}, RawBody(json.dumps(body).encode()))
        return AWSResponse(request.url, 200, {}, RawBody(b'{"clusters": [], "failures": []}'))

    ecs.meta.events.register("before-send.ecs.DescribeClusters", respond)
    assert ecs.describe_clusters(clusters=["shop-dev"])["clusters"] == []
    assert len(attempts) == 3
    assert ecs.meta.config.retries["mode"] == "standard"


def test_status_shows_the_newest_service_events_first() -> None:
    from datetime import UTC, datetime

    from deployer.aws.status import _service_state

    class FakeEcs:
        def describe_task_definition(self, taskDefinition: str) -> dict[str, Any]:  # noqa: N803 - boto3's name
            return {"taskDefinition": {"containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}}

    service = {
        "status": "ACTIVE", "desiredCount": 2, "runningCount": 1, "pendingCount": 1,
        "taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/shop-local-web:3",
        "deployments": [{"status": "PRIMARY", "rolloutState": "IN_PROGRESS"}],
        "events": [
            {"createdAt": datetime(2026, 11, 23, 12, 5, tzinfo=UTC), "message": "(service web) has started 1 tasks"},
            {"createdAt": datetime(2026, 11, 23, 12, 4, tzinfo=UTC), "message": "(service web) registered 1 targets"},
            {"createdAt": datetime(2026, 11, 23, 12, 3, tzinfo=UTC), "message": "(service web) a"},
            {"createdAt": datetime(2026, 11, 23, 12, 2, tzinfo=UTC), "message": "(service web) old"},
        ],
    }  # fmt: skip
    state = _service_state(FakeEcs(), "web", service, {"web": ["sha256:" + "0a" * 32]})
    assert state.task_definition == "shop-local-web:3" and state.pending == 1
    assert (state.containers, state.images, state.digests) == (
        ["web"],
        ["nginx:1.27"],
        {"web": ["sha256:" + "0a" * 32]},
    )
    assert state.events[0] == "2026-11-23 12:05:00 (service web) has started 1 tasks"
    assert len(state.events) == 3


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("deploy", "(default: synthesise)"),
        ("plan", "(default: $DEPLOYER_LOCAL_PORT or 4566)"),
        ("rollback", "(default: previous)"),
        ("prune", "(default: environment.task_definition_revisions_kept)"),
    ],
)
def test_help_shows_the_defaults_it_names(command: str, shown: str) -> None:
    """rich reads "[...]" in help text as markup and drops it: defaults are written "(default: …)"."""
    from typer.testing import CliRunner

    from deployer.cli import app

    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert shown in result.output
