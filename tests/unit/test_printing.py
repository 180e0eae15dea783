"""User text prints verbatim: never read as rich markup (``[/tmp, /var/run]`` used to raise a
MarkupError with a traceback) nor as an emoji code (``:secret:`` in an ARN became ㊙)."""

from __future__ import annotations

import pytest
import typer

from config.errors import SpecError, SpecProblem
from deployer.aws.status import ClusterState, EnvironmentStatus, ServiceState, StackState
from deployer.commands.failures import friendly_errors
from deployer.commands.output import console
from deployer.commands.status import status_tables
from deployer.commands.verify import verify
from deployer.commands.wait import wait
from deployer.inputs import BadInputError

TRICKY = [
    "[/tmp, /var/run]",
    "[bold]x[/bold]",
    "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbC",
    ":smile:",
]


def raising(error: BaseException) -> typer.Exit:
    @friendly_errors
    def command() -> None:
        raise error

    with pytest.raises(typer.Exit) as exited:
        command()
    return exited.value


@pytest.mark.parametrize("value", TRICKY)
def test_a_bad_argument_prints_verbatim(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    exited = raising(BadInputError(f"--image {value!r}: not an image reference"))
    assert exited.exit_code == 2
    err = capsys.readouterr().err
    assert f"error: --image {value!r}: not an image reference" in err
    assert "Traceback" not in err and "㊙" not in err and "😄" not in err


@pytest.mark.parametrize("value", TRICKY)
def test_a_spec_problem_prints_verbatim(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    problem = SpecProblem("services.web.volumes[0].path", f"{value!r} is not an absolute path", 12)
    exited = raising(SpecError("config/environments/local.yaml", [problem]))
    assert exited.exit_code == 2
    err = capsys.readouterr().err
    assert f"services.web.volumes[0].path (line 12): {value!r} is not an absolute path" in err


@pytest.mark.parametrize("value", TRICKY)
def test_an_internal_error_prints_verbatim(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    raising(KeyError(value))
    assert f"internal error: KeyError: {value!r}" in capsys.readouterr().err


def test_status_tables_print_every_cell_verbatim(capsys: pytest.CaptureFixture[str]) -> None:
    status = EnvironmentStatus(
        environment="local",
        stacks=[StackState(value, "CREATE_COMPLETE") for value in TRICKY],
        cluster=ClusterState("shop-local", "ACTIVE", [":smile:"]),
        services=[ServiceState("web", "ACTIVE", events=list(TRICKY))],
    )
    for table in status_tables(status):
        console.print(table)
    out = capsys.readouterr().out
    shown = {value: out.count(value) for value in TRICKY}
    # Each is a stack name and a service event; ":smile:" is the capacity provider too.
    assert shown == {"[/tmp, /var/run]": 2, "[bold]x[/bold]": 2, TRICKY[2]: 2, ":smile:": 3}
    assert "㊙" not in out and "😄" not in out


def test_verify_and_wait_lines_print_values_verbatim(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The coloured ``ok``/``FAIL`` and outcome labels are Text styles, so details stay verbatim."""
    from deployer.aws import rollout
    from deployer.aws.verify import Check
    from deployer.commands import verify as verify_command
    from deployer.commands import wait as wait_command

    detail = " ".join(TRICKY)
    monkeypatch.setattr(verify_command, "run_checks", lambda *_: [Check("secret", False, detail)])
    monkeypatch.setattr(verify_command.CommandContext, "require_local_endpoint", lambda self: None)
    with pytest.raises(typer.Exit):
        verify(env="local")
    verdict = rollout.Verdict("web", rollout.Outcome.ROLLED_BACK, "td", detail)
    monkeypatch.setattr(wait_command, "wait_for_services", lambda *_: [verdict])
    monkeypatch.setattr(wait_command.CommandContext, "load", _aws_context)
    with pytest.raises(typer.Exit):
        wait(env="dev", service=["web"])
    out = capsys.readouterr().out
    assert f"FAIL secret: {detail}" in out
    assert f"web: rolled back {detail}" in out


def _aws_context(env: str, port: int | None = None, as_json: bool = False) -> object:
    from config import load_spec
    from deployer.commands.common import CommandContext

    return CommandContext(env, load_spec("dev"), port, as_json)
