"""Non-root containers (Security Hub ECS.20, Control Tower CT.ECS.PR.3): every container names
a ``user`` that is not root, unless ``run_as_root`` says why it cannot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.container_schema import ContainerSpec

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]
ROOT_NAMES = ("root", "0")


def is_root(user: str) -> bool:
    """``root``, ``0``, ``root:staff``, ``0:0``: the user part names root."""
    return user.split(":", 1)[0] in ROOT_NAMES


def user_problems(loc: Loc, container: ContainerSpec) -> Iterator[Problem]:
    """The container at ``loc`` runs as a non-root user, or says why it runs as root."""
    if container.run_as_root is not None:
        if container.user is not None and not is_root(container.user):
            yield (
                (*loc, "run_as_root"),
                f"run_as_root with user {container.user!r}, which is not root: remove one of them",
                container.user,
            )
        return
    if container.user is None:
        yield (
            (*loc, "user"),
            "required: a non-root user to run as, e.g. '1000', '1000:1000' or 'app' (an image's "
            "default user is often root); or run_as_root: {reason: …} to run as root",
            None,
        )
    elif is_root(container.user):
        yield (
            (*loc, "user"),
            f"{container.user!r} is root; use a non-root user, or run_as_root: {{reason: …}} to run as root",
            container.user,
        )
