"""``deployer run``: a one-off task from a service's revision and network; its exit code is ours."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated

import typer

from deployer.aws.one_off import run_one_off
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError

VARIABLE_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
CLIENT_TOKEN = r"[A-Za-z0-9_-]{1,64}"


def run(
    service: Annotated[str, typer.Argument(help="service whose revision and network the task uses")],
    env: EnvOption = "local",
    command: Annotated[str | None, typer.Option("--command", help="command, run through `sh -c`")] = None,
    env_override: Annotated[
        list[str] | None, typer.Option("--env-override", help="KEY=VALUE for the main container (repeatable)")
    ] = None,
    client_token: Annotated[
        str | None,
        typer.Option("--client-token", help="reuse on a retry: ECS starts at most one task per token"),
    ] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=10, max=86400, help="seconds to wait")] = 3600,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a one-off task (a migration, a batch job) and exit with its exit code."""
    ctx = CommandContext.load(env, port, as_json)
    ctx.require_service(service)
    overrides = _overrides(env_override or [])
    if client_token is not None and not re.fullmatch(CLIENT_TOKEN, client_token):
        raise BadInputError("--client-token: use 1-64 letters, digits, '-' or '_'")
    result = run_one_off(
        ctx.spec,
        ctx.client("ecs"),
        service,
        command=["sh", "-c", command] if command else None,
        environment=overrides,
        client_token=client_token,
        timeout_s=float(timeout),
        poll_s=ctx.poll_seconds,
        logs=ctx.client("logs"),
        cloudformation=ctx.client("cloudformation"),
        on_log=ctx.notes.print,
    )
    task_id = result.task_arn.rsplit("/", 1)[-1] or "-"
    ctx.emit(result.__dict__, f"{service} one-off task {task_id}: exit {result.exit_code} {result.reason}")
    raise typer.Exit(result.exit_code if result.exit_code is not None else ExitCode.FAILED)


def _overrides(items: Sequence[str]) -> dict[str, str]:
    """``KEY=VALUE`` items as a mapping; ``BadInputError`` on a missing ``=`` or a bad name."""
    overrides: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not re.fullmatch(VARIABLE_NAME, key):
            raise BadInputError(f"--env-override {item!r}: expected KEY=VALUE with a valid variable name")
        overrides[key] = value
    return overrides
