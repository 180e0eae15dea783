"""Expected failures become a message on stderr and an exit code, never a traceback; under
``--json`` stdout also gets one JSON document describing the failure:

    {"error": {"exit_code": 2, "kind": "bad_input", "message": "<the stderr message>",
               "problems": [{"message": "...", "path": "services.web.cpu", "line": 33,
                             "source": "config/environments/dev.yaml"}],
               "notes": ["the deploy lock of dev was released"]}}

``kind`` is one of ``KINDS``. ``problems`` has one entry per spec problem (``path`` is the YAML
path, ``line`` 1-based in ``source``, either null when unknown), or one entry, the message, for
other failures (``path`` names the option of a usage error). An environment whose cluster is not
deployed (``ClusterNotFoundException``, on AWS and locally), or that lacks another part a command
needs (``NotDeployedError``: a service, a job's stack, a workflow, a Batch queue), is ``failed``
(exit 1): deploy it first.
``notes`` say what was cleaned up on the way out (``BaseException.add_note``). In a JSON Lines
stream (``status --watch --json``) the document is one line, like the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import wraps
from typing import Any, NoReturn, TypeVar

import typer
from botocore.exceptions import BotoCoreError, ClientError

# typer 0.29 vendors click as typer._click (its exceptions, the current context); the pin keeps it.
from typer._click import exceptions as click_errors
from typer._click.globals import get_current_context

from config import SpecError
from deployer.aws.lock import LockHeldError
from deployer.aws.stack_state import NotDeployedError, deploy_first
from deployer.cdk.pinned_cli import CdkCliMissingError
from deployer.commands.output import emit_json, errors, labelled, styled
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError
from deployer.interrupts import DEADLINE_VARIABLE, DeadlineExceeded, Terminated, deadline, deadline_for
from deployer.local.endpoint import EndpointError

KINDS = ("bad_input", "usage", "aws", "failed", "internal", "interrupted", "terminated", "deadline")
DEBUG_VARIABLE = "DEPLOYER_DEBUG"
# Every cluster the commands name is the environment's own: its absence means nothing is deployed.
NOT_DEPLOYED = ("ClusterNotFoundException",)
# The commands that leave a deployment going when they stop (the rest have nothing to resume).
DEPLOYING = ("deploy", "rollback", "wait")


class OperationFailedError(Exception):
    """An operation failed (the input was fine); the message says which, ``exit_code`` how."""

    def __init__(self, message: str, exit_code: int = ExitCode.FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Problem:
    message: str
    path: str | None = None  # the YAML path, or the option a usage error names
    line: int | None = None  # 1-based, in ``source``
    source: str | None = None  # the spec file (``environment`` when the name itself is wrong)


@dataclass(frozen=True)
class Failure:
    """What the user is told: ``label message`` on stderr, ``to_dict()`` under --json."""

    exit_code: int
    kind: str
    label: str
    message: str
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        body = {k: v for k, v in asdict(self).items() if k != "label"}
        return {"error": {**body, "exit_code": int(self.exit_code)}}


def report(failure: Failure, as_json: bool, one_line: bool = False) -> None:
    """The failure on stderr (label in red, text verbatim), and as JSON on stdout under --json
    (``one_line`` in a JSON Lines stream)."""
    errors.print(labelled(failure.label, "red", failure.message))
    for note in failure.notes:
        errors.print(styled(f"  {note}"))
    if as_json:
        emit_json(failure.to_dict(), one_line=one_line)


def fail(error: Exception | str) -> NoReturn:
    """Stop the command: ``error`` is reported and the exit code is 1 (the input was fine)."""
    raise OperationFailedError(str(error)) from None


def failure_of(error: BaseException, env: str | None = None, command: str = "") -> Failure:
    """The exit code, kind and message of an expected failure (``env`` and ``command`` for
    the resume hint: only a deploy or rollback leaves a deployment going)."""
    notes = list(getattr(error, "__notes__", []))
    if isinstance(error, SpecError):
        problems = [Problem(p.message, p.path or None, p.line, error.source) for p in error.problems]
        return Failure(ExitCode.BAD_INPUT, "bad_input", "error:", str(error), problems, notes)
    if isinstance(error, BadInputError):
        return _failure(ExitCode.BAD_INPUT, "bad_input", "error:", str(error), notes)
    if isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in NOT_DEPLOYED:
        return _failure(ExitCode.FAILED, "failed", "error:", _not_deployed(env), notes)
    if isinstance(error, ClientError | BotoCoreError):
        return _failure(ExitCode.FAILED, "aws", "AWS error:", str(error), notes)
    if isinstance(error, OperationFailedError):
        return _failure(error.exit_code, "failed", "error:", str(error), notes)
    if isinstance(error, EndpointError | CdkCliMissingError | LockHeldError | NotDeployedError):
        return _failure(ExitCode.FAILED, "failed", "error:", str(error), notes)
    if isinstance(error, KeyboardInterrupt | DeadlineExceeded):
        return _stopped(error, env, notes, command)
    message = (
        f"{type(error).__name__}: {error}\n"
        f"rerun with {DEBUG_VARIABLE}=1 to see the traceback, and please report it"
    )
    return _failure(ExitCode.FAILED, "internal", "internal error:", message, notes)


def _not_deployed(env: str | None) -> str:
    if env is None:
        return "the environment's cluster is not deployed: deploy the environment first"
    return f"the {env} environment's cluster is not deployed: {deploy_first(env)}"


def _failure(code: int, kind: str, label: str, message: str, notes: list[str]) -> Failure:
    return Failure(code, kind, label, message, [Problem(message)], notes)


def _stopped(
    error: KeyboardInterrupt | DeadlineExceeded, env: str | None, notes: list[str], command: str
) -> Failure:
    name = env or "<env>"
    aftermath = "nothing further was changed in AWS"
    if command in DEPLOYING:
        aftermath += (
            f". Resume the wait with `deployer wait --env {name}`; a deployment in flight keeps going "
            f"(its circuit breaker still rolls back on failure): `deployer status --env {name}` shows it"
        )
    if isinstance(error, DeadlineExceeded):
        message = f"{error} (set --deadline SECONDS or ${DEADLINE_VARIABLE}); {aftermath}"
        return _failure(ExitCode.TIMED_OUT, "deadline", "deadline:", message, notes)
    if isinstance(error, Terminated):
        return _failure(ExitCode.TERMINATED, "terminated", "terminated (SIGTERM):", aftermath, notes)
    return _failure(ExitCode.INTERRUPTED, "interrupted", "interrupted:", aftermath, notes)


F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Run ``command`` within its deadline; turn failures into ``report`` and an exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with deadline(_deadline_s(command.__name__, kwargs), command.__name__):
                return command(*args, **kwargs)
        except (typer.Exit, click_errors.ClickException, SystemExit):
            raise
        except BaseException as error:
            failure = failure_of(error, kwargs.get("env"), command.__name__)
            if failure.kind == "internal" and os.environ.get(DEBUG_VARIABLE):
                raise
            report(failure, bool(kwargs.get("as_json")), one_line=bool(kwargs.get("watch")))
            raise typer.Exit(failure.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _deadline_s(name: str, kwargs: Mapping[str, Any]) -> float | None:
    """``--deadline`` when given, none for ``status --watch`` (each refresh has one), else the default."""
    context = get_current_context(silent=True)
    given = context.find_root().params.get("deadline") if context else None
    if given is not None:
        return float(given)
    if kwargs.get("watch"):
        return None
    return deadline_for(name, kwargs.get("timeout"))
