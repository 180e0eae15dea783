"""Container memory: a hard limit on every container, reservations that fit the task.

AWS Control Tower (CT.ECS.PR.7) requires a hard limit (``memory``) on every container. A
container cannot use more than its task's memory anyway, so a container without a limit of
its own gets the task's memory as its limit: nothing it could do before is refused now.

ECS adds up what each container reserves (its ``memoryReservation``, else its ``memory``)
and refuses a task whose containers reserve more than the task has. So when a task holds
several containers, each container without a limit or a reservation of its own also gets a
reservation: an equal share of what the other containers leave unreserved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MIN_CONTAINER_MEMORY_MIB = 6  # Docker 20.10+ refuses less
ROUTER_RESERVATION_MIB = 50  # what the FireLens log router reserves (task_containers.add_log_router)


@dataclass(frozen=True)
class RequestedMemory:
    """What a container asks for: its own hard limit and soft reservation, either may be absent."""

    limit_mib: int | None
    reservation_mib: int | None


@dataclass(frozen=True)
class ContainerMemory:
    """The hard limit and (optional) reservation a container is registered with."""

    limit_mib: int
    reservation_mib: int | None


def container_memory(task_memory_mib: int, requested: Sequence[RequestedMemory]) -> list[ContainerMemory]:
    """Limits and reservations for ``requested`` containers (in order) of a task of ``task_memory_mib``.

    Raises ``ValueError`` when the containers reserve more than the task has, or when the
    share left for containers without a setting of their own is below 6 MiB each.
    """
    open_ended = [r.limit_mib is None and r.reservation_mib is None for r in requested]
    reserved = sum(r.reservation_mib or r.limit_mib or 0 for r in requested)
    if reserved > task_memory_mib:
        raise ValueError(f"containers reserve {reserved} MiB, more than the task's {task_memory_mib} MiB")
    share: int | None = None
    if len(requested) > 1 and any(open_ended):
        share = (task_memory_mib - reserved) // sum(open_ended)
        if share < MIN_CONTAINER_MEMORY_MIB:
            raise ValueError(
                f"{task_memory_mib - reserved} MiB of the task's {task_memory_mib} MiB are left for "
                f"{sum(open_ended)} container(s) without a memory setting; each needs at least "
                f"{MIN_CONTAINER_MEMORY_MIB} MiB"
            )
    result = []
    for r, is_open in zip(requested, open_ended, strict=True):
        limit = r.limit_mib or task_memory_mib
        reservation = share if is_open else r.reservation_mib
        if reservation is not None and reservation > limit:
            raise ValueError(f"a reservation of {reservation} MiB is above its hard limit of {limit} MiB")
        # ECS wants a limit strictly above the reservation; equal means simply the limit.
        result.append(ContainerMemory(limit, None if reservation == limit else reservation))
    return result
