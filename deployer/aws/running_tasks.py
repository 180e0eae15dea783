"""The tasks a cluster runs, described, and the image digests they run.

Read cluster-wide: ListTasks (desired status RUNNING, 100 a page) and DescribeTasks (100 a
call), so reading them costs about two calls per hundred tasks whatever the number of services.
A service's tasks carry the group ``service:<name>``.

ECS resolves an image tag to a digest when a deployment starts and every task of it runs that
digest (``containers[].imageDigest``; a container still pulling has none yet). The digest is
"which version runs" when the task definition names a tag: the tag may have been pushed again
since, and two digests for one container mean two builds run side by side (a rollout, or a tag
moved between deployments).
"""

from __future__ import annotations

from typing import Any

DESCRIBE_TASKS_MAX = 100  # DescribeTasks takes at most 100 tasks
SERVICE_GROUP = "service:"


def running_tasks(ecs: Any, cluster: str) -> list[dict[str, Any]]:
    """Every task of ``cluster`` whose desired status is RUNNING, as DescribeTasks gives it."""
    arns: list[str] = []
    for page in ecs.get_paginator("list_tasks").paginate(cluster=cluster, desiredStatus="RUNNING"):
        arns += page["taskArns"]
    tasks: list[dict[str, Any]] = []
    for start in range(0, len(arns), DESCRIBE_TASKS_MAX):
        tasks += ecs.describe_tasks(cluster=cluster, tasks=arns[start : start + DESCRIBE_TASKS_MAX])["tasks"]
    return tasks


def image_digests(tasks: list[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """Service → container → the distinct image digests its ``tasks`` report, sorted; a task
    that belongs to no service (a one-off, a job) and a container without a digest yet are left out."""
    found: dict[str, dict[str, set[str]]] = {}
    for task in tasks:
        group = str(task.get("group", ""))
        if not group.startswith(SERVICE_GROUP):
            continue
        containers = found.setdefault(group.removeprefix(SERVICE_GROUP), {})
        for container in task.get("containers", []):
            if container.get("imageDigest"):
                containers.setdefault(str(container["name"]), set()).add(str(container["imageDigest"]))
    return {
        service: {name: sorted(digests) for name, digests in containers.items()}
        for service, containers in found.items()
    }
