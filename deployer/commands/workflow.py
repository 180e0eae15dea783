"""``deployer workflow start|status``: run a Step Functions workflow by hand and see how its
executions went (the failing step, its task's exit code and log link)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.console import RenderableType
from rich.table import Table

from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.commands.failures import friendly_errors
from deployer.exit_codes import ExitCode
from deployer.workflows import executions
from deployer.workflows.failure import StepFailure, execution_link, find_failure

workflow_app = typer.Typer(
    help="Step Functions workflows: start one, see its executions.", no_args_is_help=True
)
NameArgument = Annotated[str, typer.Argument(help="workflow name (workflows: in the spec)")]
# How a finished execution maps to the exit code of `start --wait`.
EXIT_CODES = {
    "SUCCEEDED": ExitCode.OK,
    "FAILED": ExitCode.WORK_FAILED,
    "ABORTED": ExitCode.WORK_FAILED,
    "TIMED_OUT": ExitCode.TIMED_OUT,
    executions.RUNNING: ExitCode.TIMED_OUT,  # still running when --timeout passed
}


def start(
    workflow: NameArgument,
    env: EnvOption = "local",
    input_json: Annotated[str | None, typer.Option("--input", help="execution input, a JSON object")] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="execution name; reuse it on a retry: one execution per name and input"),
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help="wait for the end; exit non-zero if it fails")] = False,
    timeout: Annotated[
        int, typer.Option("--timeout", min=10, max=31536000, help="seconds --wait waits")
    ] = 3600,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Start an execution of a workflow (exit 7 if it fails, 5 on a time-out, with --wait)."""
    ctx = CommandContext.load(env, port, as_json)
    input_text = executions.parse_input(input_json)
    execution_name = executions.execution_name(name, input_text)
    arn = _state_machine(ctx, workflow)
    sfn = ctx.client("stepfunctions")
    execution_arn = executions.start(sfn, arn, execution_name, input_text)
    region = ctx.spec.environment.region
    if not wait:
        payload = {"workflow": workflow, "execution": execution_arn, "name": execution_name}
        ctx.emit(
            payload,
            f"started {workflow}: {execution_name}\n{execution_link(execution_arn, region)}",
            soft_wrap=True,
        )
        return
    ctx.notes.print(f"started {workflow}: {execution_name}; waiting up to {timeout} s", highlight=False)
    ended = executions.wait(sfn, execution_arn, timeout_s=float(timeout))
    failure = (
        find_failure(sfn, ctx.client("ecs"), execution_arn, region) if ended.status != "SUCCEEDED" else None
    )
    ctx.emit(
        {"workflow": workflow, "execution": asdict(ended), "failure": asdict(failure) if failure else None},
        f"{workflow} {execution_name}: {ended.status}",
        *(_failure_lines(failure) if failure else []),
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(EXIT_CODES.get(ended.status, ExitCode.FAILED))


def status(
    workflow: NameArgument,
    env: EnvOption = "local",
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="executions to list")] = 10,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """A workflow's newest executions and the newest failure: step, exit code, log link."""
    ctx = CommandContext.load(env, port, as_json)
    arn = _state_machine(ctx, workflow)
    sfn = ctx.client("stepfunctions")
    found = executions.recent(sfn, arn, limit)
    failed = next((e for e in found if e.status in ("FAILED", "TIMED_OUT", "ABORTED")), None)
    region = ctx.spec.environment.region
    failure = find_failure(sfn, ctx.client("ecs"), failed.arn, region) if failed else None
    table = Table(title=f"Executions of {workflow} (newest first)")
    for column in ("execution", "status", "started", "stopped"):
        table.add_column(column, overflow="fold")
    for execution in found:
        table.add_row(execution.name, execution.status, execution.started, execution.stopped or "-")
    human: list[RenderableType] = [table]
    if failed and failure:
        human += [f"newest failure: {failed.name}", *_failure_lines(failure)]
    ctx.emit(
        {
            "workflow": workflow,
            "state_machine": arn,
            "executions": [asdict(e) for e in found],
            "last_failure": {"execution": failed.name, **asdict(failure)} if failed and failure else None,
        },
        *human,
        highlight=False,
        soft_wrap=True,
    )


def _state_machine(ctx: CommandContext, workflow: str) -> str:
    """The workflow's state machine ARN; exit 2 when unknown, 1 when it is not deployed."""
    executions.require_workflow(ctx.spec, workflow)
    ctx.require_local_endpoint()
    return executions.state_machine_arn(ctx.spec, ctx.client("cloudformation"), workflow)


def _failure_lines(failure: StepFailure) -> list[str]:
    exit_code = "-" if failure.exit_code is None else str(failure.exit_code)
    lines = [
        f"failing step: {failure.step or '?'} ({failure.error})",
        f"task: {failure.task_arn or '-'}  container: {failure.container or '-'}  exit code: {exit_code}",
    ]
    if failure.reason:
        lines.append(f"reason: {failure.reason}")
    if failure.log_link:
        lines.append(f"logs: {failure.log_link}")
    lines.append(f"execution: {failure.execution_link}")
    return lines


for _name, _command in (("start", start), ("status", status)):
    workflow_app.command(_name)(friendly_errors(_command))
