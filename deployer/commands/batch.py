"""``deployer batch submit`` and ``deployer batch status``: the spec's AWS Batch jobs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from deployer.aws.session import client
from deployer.batch.inputs import check_client_token, parse_parameters, require_job
from deployer.batch.jobs import SUCCEEDED, JobOutcome, wait_for_job
from deployer.batch.status import BatchStatus, QueueState, collect_batch_status
from deployer.batch.submit import SUBMIT_CONFIG, submit_job
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.exit_codes import ExitCode

batch_app = typer.Typer(help="AWS Batch: submit the spec's jobs, see its queues.", no_args_is_help=True)


def submit(
    job: Annotated[str, typer.Argument(help="a job of the spec's batch.jobs")],
    env: EnvOption = "local",
    array_size: Annotated[
        int | None, typer.Option("--array-size", min=2, max=10000, help="run N copies (an array job)")
    ] = None,
    parameters: Annotated[
        list[str] | None,
        typer.Option("--parameters", help="NAME=VALUE for the command's Ref::NAME (repeatable)"),
    ] = None,
    client_token: Annotated[
        str | None,
        typer.Option("--client-token", help="reuse on a retry: at most one job per token is submitted"),
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help="wait until the job succeeds or fails")] = False,
    timeout: Annotated[int, typer.Option("--timeout", min=10, max=604800, help="seconds to wait")] = 3600,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Submit a job to its queue on its newest job-definition revision.

    With --wait: exit 0 when it succeeded, 7 when it (or any child of an array job) failed, 5
    when it is still running after --timeout (it keeps running). A retried command with the
    same --client-token finds the job submitted before and submits nothing.
    """
    ctx = CommandContext.load(env, port, as_json)
    require_job(ctx.spec, job)
    values = parse_parameters(ctx.spec, job, parameters or [])
    check_client_token(client_token)
    ctx.require_local_endpoint()
    submission = submit_job(
        ctx.spec,
        client(ctx.spec, "batch", ctx.port, config=SUBMIT_CONFIG),
        job,
        array_size=array_size,
        parameters=values,
        client_token=client_token,
    )
    verb = "already submitted" if submission.reused else "submitted"
    line = f"{job}: {verb} {submission.job_name} ({submission.job_id}) to {submission.queue}"
    if not wait:
        ctx.emit(submission.__dict__, line, highlight=False)
        return
    ctx.notes.print(line, highlight=False)
    outcome = wait_for_job(
        ctx.client("batch"),
        submission.job_id,
        timeout_s=float(timeout),
        on_change=lambda now: ctx.notes.print(f"{job}: {_progress(now)}", highlight=False),
    )
    ctx.emit(
        {"submission": submission.__dict__, "outcome": outcome.to_dict()},
        *_outcome_lines(job, outcome, ctx.spec.environment.region),
        highlight=False,
    )
    raise typer.Exit(_exit_code(outcome))


def status(env: EnvOption = "local", port: PortOption = None, as_json: JsonOption = False) -> None:
    """Job queues (state, compute environments, jobs by status) and the last failures (read-only)."""
    ctx = CommandContext.load(env, port, as_json)
    ctx.require_local_endpoint()
    result = collect_batch_status(ctx.spec, ctx.client("batch"))
    ctx.emit(result.to_dict(), *status_tables(result))


def _exit_code(outcome: JobOutcome) -> int:
    if not outcome.done:
        return ExitCode.TIMED_OUT
    return ExitCode.OK if outcome.status == SUCCEEDED else ExitCode.JOB_FAILED


def _progress(outcome: JobOutcome) -> str:
    children = ", ".join(f"{count} {state}" for state, count in sorted(outcome.children.items()))
    return f"{outcome.status} ({children})" if children else outcome.status


def _outcome_lines(job: str, outcome: JobOutcome, region: str) -> list[str]:
    if not outcome.done:
        return [f"{job}: still {outcome.status}; it keeps running (deployer batch status)"]
    lines = [f"{job}: {outcome.describe()}"]
    lines += [f"  child {child.job_id}: {child.describe()}" for child in outcome.failed_children]
    if outcome.log_group and outcome.log_stream:
        lines.append(f"  logs: {log_link(region, outcome.log_group, outcome.log_stream)}")
    return lines


def log_link(region: str, group: str, stream: str) -> str:
    """The CloudWatch console page of one log stream."""

    def escaped(text: str) -> str:  # the console's own escaping of names in its URL fragment
        return text.replace("$", "$2524").replace("/", "$252F")

    return (
        f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
        f"#logsV2:log-groups/log-group/{escaped(group)}/log-events/{escaped(stream)}"
    )


def status_tables(status: BatchStatus) -> list[Table]:
    """The queues, and the last failures when there are any."""
    tables = [queue_table(status.queues, title="Batch queues")]
    if status.failures:
        failures = Table(title="Last failed jobs")
        for column in ("queue", "job", "stopped", "reason"):
            failures.add_column(column, overflow="fold")
        for failure in status.failures:
            stopped = datetime.fromtimestamp(failure.stopped_at / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
            failures.add_row(failure.queue, failure.job_name, stopped, failure.reason or "-")
        tables.append(failures)
    return tables


def queue_table(queues: list[QueueState], title: str) -> Table:
    """One row per queue: state, priority, compute environments and non-zero job counts."""
    table = Table(title=title)
    for column in ("queue", "state", "priority", "compute environments", "jobs"):
        table.add_column(column, overflow="fold")
    for queue in queues:
        jobs = ", ".join(f"{count} {state}" for state, count in queue.jobs.items() if count) or "none"
        table.add_row(
            queue.name,
            queue.state if queue.status in ("", "VALID") else f"{queue.state} {queue.status}",
            str(queue.priority),
            "\n".join(queue.compute_environments) or "-",
            jobs,
        )
    return table


BATCH_COMMANDS: list[tuple[str, Callable[..., Any]]] = [("submit", submit), ("status", status)]
