"""Progress bars for rollout waits: one bar per service, running tasks out of desired."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from deployer.aws.rollout import Progress as RolloutProgress


@contextmanager
def rollout_bars(console: Console, services: Sequence[str]) -> Iterator[Callable[[RolloutProgress], None]]:
    """Yield an ``on_progress`` callback that moves each service's bar (thread-safe)."""
    bars = Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} running"),
        TextColumn("{task.fields[state]}", markup=False),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    ids = {service: bars.add_task(service, total=1, state="PENDING") for service in services}

    def update(progress: RolloutProgress) -> None:
        bars.update(
            ids[progress.service],
            completed=progress.running,
            total=max(progress.desired, 1),
            state=progress.state,
        )

    with bars:
        yield update
