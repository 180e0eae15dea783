"""Human output: rich tables for an ``EnvironmentStatus``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from deployer.aws.status import EnvironmentStatus

_GOOD = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "ACTIVE", "COMPLETED"}


def _styled(value: str) -> str:
    if value in _GOOD:
        return f"[green]{value}[/green]"
    if value.endswith("FAILED") or value in {"MISSING", "NOT_DEPLOYED"} or "ROLLBACK" in value:
        return f"[red]{value}[/red]"
    return value


def _failed_starts(count: int) -> str:
    return f"[red]{count}[/red]" if count else "0"


def print_status(console: Console, status: EnvironmentStatus) -> None:
    stacks = Table(title=f"Stacks ({status.environment})")
    stacks.add_column("stack")
    stacks.add_column("status")
    for stack in status.stacks:
        stacks.add_row(stack.name, _styled(stack.status))
    console.print(stacks)

    cluster = Table(title="Cluster")
    cluster.add_column("cluster")
    cluster.add_column("status")
    cluster.add_column("capacity providers")
    cluster.add_row(
        status.cluster.name,
        _styled(status.cluster.status),
        ", ".join(status.cluster.capacity_providers) or "-",
    )
    console.print(cluster)

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
    console.print(services)
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
        console.print(jobs)
    events = [(s.name, e) for s in status.services for e in s.events]
    if events:
        table = Table(title="Last service events")
        table.add_column("service")
        table.add_column("event", overflow="fold")
        for name, event in events:
            table.add_row(name, event)
        console.print(table)
