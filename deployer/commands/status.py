"""``deployer status``: stacks, cluster, capacity providers, services, jobs and Batch queues
(read-only), as rich tables or JSON."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from deployer.aws.status import EnvironmentStatus, collect_status
from deployer.commands.batch import queue_table
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption, console

WatchOption = Annotated[
    float | None, typer.Option("--watch", min=2, help="refresh every N seconds until Ctrl-C")
]


def status(
    env: EnvOption = "local", port: PortOption = None, as_json: JsonOption = False, watch: WatchOption = None
) -> None:
    """Stacks, cluster, capacity providers and services of an environment (read-only)."""
    if watch:
        try:
            while True:
                console.clear()
                status(env=env, port=port, as_json=as_json, watch=None)
                time.sleep(watch)
        except KeyboardInterrupt:
            return
    show_status(CommandContext.load(env, port, as_json))


def show_status(ctx: CommandContext) -> None:
    """Collect the environment's status and emit it (after a deploy too)."""
    batch = ctx.client("batch") if ctx.spec.batch.queues else None
    result = collect_status(
        ctx.spec, ctx.client("cloudformation"), ctx.client("ecs"), ctx.client("sqs"), batch
    )
    ctx.emit(result.to_dict(), *status_tables(result))


_GOOD = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "ACTIVE", "COMPLETED"}


def _styled(value: str) -> str:
    if value in _GOOD:
        return f"[green]{value}[/green]"
    if value.endswith("FAILED") or value in {"MISSING", "NOT_DEPLOYED"} or "ROLLBACK" in value:
        return f"[red]{value}[/red]"
    return value


def _failed_starts(count: int) -> str:
    return f"[red]{count}[/red]" if count else "0"


def status_tables(status: EnvironmentStatus) -> list[Table]:
    """Stacks, cluster and services; jobs, Batch queues and the last service events when there
    are any."""
    stacks = Table(title=f"Stacks ({status.environment})")
    stacks.add_column("stack")
    stacks.add_column("status")
    for stack in status.stacks:
        stacks.add_row(stack.name, _styled(stack.status))

    cluster = Table(title="Cluster")
    cluster.add_column("cluster")
    cluster.add_column("status")
    cluster.add_column("capacity providers")
    cluster.add_row(
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
        services.add_row(
            service.name,
            _styled(service.status),
            service.task_definition or "-",
            "\n".join(service.images) or "-",
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
            jobs.add_row(
                job.name,
                job.schedule,
                _styled(job.task_definition),
                str(job.running),
                job.last_run or "-",
                "?" if job.undelivered is None else _failed_starts(job.undelivered),
            )
        tables.append(jobs)
    if status.batch_queues:
        tables.append(queue_table(status.batch_queues, title="Batch queues (active jobs)"))
    events = [(s.name, e) for s in status.services for e in s.events]
    if events:
        table = Table(title="Last service events")
        table.add_column("service")
        table.add_column("event", overflow="fold")
        for name, event in events:
            table.add_row(name, event)
        tables.append(table)
    return tables
