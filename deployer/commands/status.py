"""``deployer status``: stacks, cluster, capacity providers, services, jobs, workflows,
triggers and Batch queues (read-only), as rich tables or JSON."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from deployer.aws.status import EnvironmentStatus, ServiceState, collect_status
from deployer.commands.batch import queue_table
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.commands.output import add_row, console, styled
from deployer.interrupts import Terminated, deadline, deadline_for

WatchOption = Annotated[
    float | None,
    typer.Option(
        "--watch", min=2, help="refresh every N seconds until Ctrl-C (with --json: one document per line)"
    ),
]


def status(
    env: EnvOption = "local", port: PortOption = None, as_json: JsonOption = False, watch: WatchOption = None
) -> None:
    """Stacks, cluster, capacity providers and services of an environment (read-only)."""
    ctx = CommandContext.load(env, port, as_json)
    if not watch:
        show_status(ctx)
        return
    ctx.json_lines = True  # JSON Lines: one compact document per refresh
    try:
        while True:
            if not as_json:
                console.clear()
            with deadline(deadline_for("status"), "status"):  # each refresh has the command's deadline
                show_status(ctx)
            time.sleep(watch)
    except Terminated:
        raise
    except KeyboardInterrupt:
        return


def show_status(ctx: CommandContext) -> None:
    """Collect the environment's status and emit it (after a deploy too)."""
    result = collect_status(
        ctx.spec,
        ctx.client("cloudformation"),
        ctx.client("ecs"),
        ctx.client("sqs"),
        sfn=ctx.client("stepfunctions"),
        events=ctx.client("events"),
        batch=ctx.client("batch") if ctx.spec.batch.queues else None,
    )
    ctx.emit(result.to_dict(), *status_tables(result))


_GOOD = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "ACTIVE", "COMPLETED", "ENABLED", "SUCCEEDED"}


def _styled(value: str) -> Text:
    """A state in green when good, red when failed or missing, else plain."""
    if value in _GOOD:
        return styled(value, "green")
    if (
        value.endswith("FAILED")
        or value in {"MISSING", "NOT_DEPLOYED", "TIMED_OUT", "ABORTED"}
        or "ROLLBACK" in value
    ):
        return styled(value, "red")
    return styled(value)


def _failed_starts(count: int) -> Text:
    return styled(count, "red" if count else "")


def status_tables(status: EnvironmentStatus) -> list[Table]:
    """Stacks, cluster and services; jobs, Batch queues and the last service events when there
    are any."""
    stacks = Table(title=f"Stacks ({status.environment})")
    stacks.add_column("stack")
    stacks.add_column("status")
    for stack in status.stacks:
        add_row(stacks, stack.name, _styled(stack.status))

    cluster = Table(title="Cluster")
    cluster.add_column("cluster")
    cluster.add_column("status")
    cluster.add_column("capacity providers")
    add_row(
        cluster,
        status.cluster.name,
        _styled(status.cluster.status),
        ", ".join(status.cluster.capacity_providers) or "-",
    )

    services = Table(title="Services")
    for column in (
        "service",
        "status",
        "task definition",
        "image",
        "desired",
        "running",
        "pending",
        "rollout",
    ):
        services.add_column(column, overflow="fold")
    for service in status.services:
        add_row(
            services,
            service.name,
            _styled(service.status),
            service.task_definition or "-",
            image_cell(service),
            str(service.desired),
            str(service.running),
            str(service.pending),
            _styled(service.rollout_state) if service.rollout_state else "-",
        )
    tables = [stacks, cluster, services]
    if status.jobs:
        jobs = Table(title="Jobs")
        for column in ("job", "schedule", "task definition", "running", "last run", "failed starts"):
            jobs.add_column(column, overflow="fold")
        for job in status.jobs:
            add_row(
                jobs,
                job.name,
                job.schedule,
                _styled(job.task_definition),
                str(job.running),
                job.last_run or "-",
                "?" if job.undelivered is None else _failed_starts(job.undelivered),
            )
        tables.append(jobs)
    tables += _work_tables(status)
    if status.batch_queues:
        tables.append(queue_table(status.batch_queues, title="Batch queues (active jobs)"))
    events = [(s.name, e) for s in status.services for e in s.events]
    if events:
        table = Table(title="Last service events")
        table.add_column("service")
        table.add_column("event", overflow="fold")
        for name, event in events:
            add_row(table, name, event)
        tables.append(table)
    return tables


def image_cell(service: ServiceState) -> str:
    """Each container's image, and under it the digests its running tasks run where the image
    names a tag (a short form: ``sha256:`` and 12 hex digits, as ``docker images`` shows them)."""
    lines = []
    for name, image in zip(service.containers, service.images, strict=True):
        lines.append(image)
        running = [d for d in service.digests.get(name, []) if d not in image]
        if running:
            lines.append("  runs " + ", ".join(f"{d[: len('sha256:') + 12]}…" for d in running))
    return "\n".join(lines) or "-"


def _work_tables(status: EnvironmentStatus) -> list[Table]:
    """Workflows and triggers, when the environment has any."""
    workflows = [
        (w.name, w.state_machine, _styled(w.status), w.starts, _styled_execution(w.last_execution))
        for w in status.workflows
    ]
    triggers = [
        (
            t.owner,
            t.source,
            t.rule or "-",
            _styled(t.state),
            "?" if t.undelivered is None else _failed_starts(t.undelivered),
        )
        for t in status.triggers
    ]
    tables = [
        _table("Workflows", ("workflow", "state machine", "status", "starts", "last execution"), workflows),
        _table("Triggers", ("of", "on", "rule", "state", "failed starts"), triggers),
    ]
    return [table for table in tables if table.row_count]


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str | Text]]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        add_row(table, *row)
    return table


def _styled_execution(last: str) -> Text:
    """``<status> <started>`` with the status styled; ``-`` when there is no execution."""
    status, _, when = last.partition(" ")
    return Text.assemble(_styled(status), f" {when}") if status else styled("-")
