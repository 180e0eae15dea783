"""Non-root containers in task-definition files (Security Hub ECS.20, Control Tower
CT.ECS.PR.3), held to the rule spec containers follow: every container names a ``user`` that
is not root, or the service lists it under ``run_as_root_containers`` with the reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from config.native.model import FileProblem, json_path
from config.native.references import CONTAINERS
from config.user_checks import is_root


def user_problems(
    body: dict[str, Any], service: str, root_reasons: Mapping[str, Any]
) -> Iterator[FileProblem]:
    """One problem per container of ``body`` that runs as root without a reason in
    ``services.<service>.run_as_root_containers`` (``root_reasons``), or that is listed there
    although it names a non-root user."""
    listed = f"services.{service}.run_as_root_containers"
    for index, container in enumerate(body[CONTAINERS]):
        name, user = container["name"], container.get("user")
        path = json_path((CONTAINERS, index, "user"))
        if name in root_reasons:
            if user is not None and not is_root(user):
                yield FileProblem(
                    path, f"{user!r} is not root, yet {listed} lists {name!r}: remove one of them"
                )
        elif user is None:
            yield FileProblem(
                path,
                f"required: a non-root user for {name!r} to run as, e.g. '1000', '1000:1000' or 'app' "
                f"(an image's default user is often root); or list {name!r} in {listed} with a reason",
            )
        elif is_root(user):
            yield FileProblem(
                path,
                f"{user!r} is root; use a non-root user, or list {name!r} in {listed} with a reason",
            )


def unknown_root_containers(body: dict[str, Any], root_reasons: Mapping[str, Any]) -> Iterator[str]:
    """A message for each name in ``run_as_root_containers`` that ``body`` has no container for."""
    containers = body.get(CONTAINERS)
    if not isinstance(containers, list):
        return
    names = [c["name"] for c in containers if isinstance(c, dict) and isinstance(c.get("name"), str)]
    for unknown in sorted(set(root_reasons) - set(names)):
        yield f"the file has no container {unknown!r}; its containers: {', '.join(names) or 'none'}"
