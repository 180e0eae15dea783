"""``prune``: deregister revisions beyond the newest N, keeping everything rollback needs."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.aws.running_tasks import running_tasks
from deployer.inputs import BadInputError
from deployer.revisions.history import Revision
from deployer.revisions.rollback import choose_target


def protected_revisions(spec: AppSpec, ecs: Any, service: str, found: Sequence[Revision]) -> dict[str, str]:
    """ARN → why it must stay: the live revision, the rollback target, revisions tasks run."""
    keep: dict[str, str] = {}
    for revision in found:
        if revision.live:
            keep[revision.arn] = "live"
    with contextlib.suppress(BadInputError):  # nothing older to roll back to
        keep.setdefault(choose_target(found, None).arn, "rollback target")
    for arn in _running_task_definitions(spec, ecs):
        keep.setdefault(arn, "used by a running task")
    return keep


def plan_prune(spec: AppSpec, ecs: Any, service: str, found: Sequence[Revision], keep: int) -> list[Revision]:
    """ACTIVE revisions to deregister: older than the newest ``keep``, and not protected."""
    if keep < 1:
        raise BadInputError(f"--keep {keep}: keep at least 1 revision")
    active = sorted((r for r in found if r.status == "ACTIVE"), key=lambda r: r.revision, reverse=True)
    protected = protected_revisions(spec, ecs, service, found)
    return [r for r in active[keep:] if r.arn not in protected]


def deregister(ecs: Any, revisions: Sequence[Revision]) -> None:
    """Deregister each revision (INACTIVE: it can no longer start tasks)."""
    for revision in revisions:
        ecs.deregister_task_definition(taskDefinition=revision.arn)


def _running_task_definitions(spec: AppSpec, ecs: Any) -> set[str]:
    return {str(task["taskDefinitionArn"]) for task in running_tasks(ecs, naming.cluster_name(spec))}
