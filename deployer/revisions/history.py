"""``history``: the retained revisions of a service's family, with their release labels."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from config import naming
from config.cdk_context import GIT_REVISION_LABEL, VERSION_LABEL
from config.schema import AppSpec
from deployer.aws.stack_state import NotDeployedError


@dataclass(frozen=True)
class Revision:
    arn: str
    revision: int
    status: str
    registered_at: str
    version: str = ""
    git_revision: str = ""
    images: list[str] = field(default_factory=list)
    live: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def live_revision(spec: AppSpec, ecs: Any, service: str) -> str | None:
    """The task definition the service is set to run (None if the service is missing).

    On AWS this is also its PRIMARY deployment's revision, after a rollback too.
    """
    found = ecs.describe_services(cluster=naming.cluster_name(spec), services=[service])["services"]
    return str(found[0]["taskDefinition"]) if found else None


def not_deployed(spec: AppSpec, service: str) -> NotDeployedError:
    """The error of a command on a service the environment's cluster does not have (yet)."""
    return NotDeployedError(
        f"service {service!r} is not deployed in {naming.cluster_name(spec)}: deploy it first "
        f"(deployer deploy --env {spec.environment.name} --service {service})"
    )


def revisions(spec: AppSpec, ecs: Any, service: str, include_inactive: bool = False) -> list[Revision]:
    """Revisions of the family, newest first (ACTIVE only unless ``include_inactive``)."""
    family = naming.task_family(spec, service)
    statuses = ["ACTIVE", "INACTIVE"] if include_inactive else ["ACTIVE"]
    arns: list[str] = []
    for status in statuses:
        paginator = ecs.get_paginator("list_task_definitions")
        for page in paginator.paginate(familyPrefix=family, status=status, sort="DESC"):
            arns += [
                a for a in page["taskDefinitionArns"] if a.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family
            ]
    live = live_revision(spec, ecs, service)
    result = [_describe(ecs, arn, live) for arn in arns]
    return sorted(result, key=lambda r: r.revision, reverse=True)


def _describe(ecs: Any, arn: str, live: str | None) -> Revision:
    definition = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
    containers = definition.get("containerDefinitions", [])
    labels: dict[str, str] = {}
    for container in containers:
        labels.update(container.get("dockerLabels") or {})
    registered = definition.get("registeredAt")
    return Revision(
        arn=arn,
        revision=int(definition.get("revision", arn.rsplit(":", 1)[-1])),
        status=str(definition.get("status", "")),
        registered_at=registered.isoformat() if hasattr(registered, "isoformat") else str(registered or ""),
        version=labels.get(VERSION_LABEL, ""),
        git_revision=labels.get(GIT_REVISION_LABEL, ""),
        images=[str(c.get("image", "?")) for c in containers],
        live=arn == live,
    )
