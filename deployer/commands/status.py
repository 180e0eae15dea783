"""``deployer status``: stacks, cluster, capacity providers, services and jobs (read-only),
as rich tables or JSON."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from deployer.aws.status import EnvironmentStatus, collect_status
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
    result = collect_status(ctx.spec, ctx.client("cloudformation"), ctx.client("ecs"), ctx.client("sqs"))
    ctx.emit(result.to_dict(), *status_tables(result))


_GOOD = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "ACTIVE", "COMPLETED"}


def _styled(value: str) -> Text:
    """A state in green when good, red when failed or missing, else plain."""
    if value in _GOOD:
        return styled(value, "green")
    if value.endswith("FAILED") or value in {"MISSING", "NOT_DEPLOYED"} or "ROLLBACK" in value:
        return styled(value, "red")
    return styled(value)


def _failed_starts(count: int) -> Text:
    return styled(count, "red" if count else "")


def status_tables(status: EnvironmentStatus) -> list[Table]:
    """Stacks, cluster and services; jobs and the last service events when there are any."""
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
    events = [(s.name, e) for s in status.services for e in s.events]
    if events:
        table = Table(title="Last service events")
        table.add_column("service")
        table.add_column("event", overflow="fold")
        for name, event in events:
            add_row(table, name, event)
        tables.append(table)
    return tables
