"""Classify CloudFormation change-set rows in ECS terms, and decide which replacements block.

Pure functions over ``DescribeChangeSet`` responses and templates: no AWS calls. A row is
*blocked* when a resource of a type in ``PROTECTED_TYPES`` would be replaced
(``Replacement`` ``True`` or ``Conditional``): replacing those causes downtime (services,
clusters, capacity providers, load balancers, target groups) or loses data (log groups, file
systems, repositories, keys, queues). Everything else is reported, never blocked: a task
definition is always *replaced* on change, which is how ECS registers a new revision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

PROTECTED_TYPES: frozenset[str] = frozenset(
    {
        "AWS::ECS::Service",
        "AWS::ECS::Cluster",
        "AWS::ECS::CapacityProvider",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::Logs::LogGroup",
        "AWS::EFS::FileSystem",
        "AWS::ECR::Repository",
        "AWS::KMS::Key",
        "AWS::SQS::Queue",
    }
)
REPLACING = frozenset({"True", "Conditional"})
# UpdateService properties that start a new ECS deployment (tasks are replaced).
ROLLING_PROPERTIES = frozenset(
    {
        "TaskDefinition",
        "NetworkConfiguration",
        "CapacityProviderStrategy",
        "LaunchType",
        "PlatformVersion",
        "LoadBalancers",
        "ServiceRegistries",
        "ServiceConnectConfiguration",
        "VolumeConfigurations",
        "EnableExecuteCommand",
        "ForceNewDeployment",  # its whole purpose: a new deployment with the same settings
    }
)


@dataclass(frozen=True)
class ResourceChange:
    """One resource row of a change set (``Replacement`` is ``""`` where it does not apply)."""

    stack: str
    logical_id: str
    resource_type: str
    action: str  # Add | Modify | Remove | Import | Dynamic
    replacement: str = ""
    physical_id: str | None = None
    properties: tuple[str, ...] = ()  # names of the changed properties
    recreating: tuple[str, ...] = ()  # the changed properties that force the replacement


@dataclass(frozen=True)
class PlanRow:
    """A change with its ECS meaning; ``blocked`` unless ``allowed`` by ``--allow-replace``."""

    change: ResourceChange
    summary: str
    blocked: bool = False
    allowed: bool = False
    rolls: str | None = None  # the ECS service that starts a new deployment
    new_revision: str | None = None  # the task-definition family that gets a new revision

    def to_dict(self) -> dict[str, Any]:
        c = self.change
        return {
            "stack": c.stack,
            "logical_id": c.logical_id,
            "resource_type": c.resource_type,
            "action": c.action,
            "replacement": c.replacement or None,
            "properties": list(c.properties),
            "summary": self.summary,
            "blocked": self.blocked,
            "allowed": self.allowed,
            "service_rolls": self.rolls,
            "new_revision_of": self.new_revision,
        }


def changes_from_response(stack: str, response: Mapping[str, Any]) -> list[ResourceChange]:
    """The resource rows of one ``DescribeChangeSet`` page (hook and other rows are skipped)."""
    rows = []
    for change in response.get("Changes", []):
        if change.get("Type", "Resource") != "Resource" or "ResourceChange" not in change:
            continue
        raw = change["ResourceChange"]
        details = raw.get("Details", [])
        targets = [d.get("Target", {}) for d in details]
        names = [t.get("Name") or t.get("Attribute", "") for t in targets]
        recreating = [
            t.get("Name") or t.get("Attribute", "")
            for t in targets
            if t.get("RequiresRecreation") in ("Always", "Conditionally")
        ]
        rows.append(
            ResourceChange(
                stack=stack,
                logical_id=raw["LogicalResourceId"],
                resource_type=raw.get("ResourceType", ""),
                action=raw["Action"],
                replacement=raw.get("Replacement", "") if raw["Action"] == "Modify" else "",
                physical_id=raw.get("PhysicalResourceId"),
                properties=tuple(dict.fromkeys(n for n in names if n)),
                recreating=tuple(dict.fromkeys(n for n in recreating if n)),
            )
        )
    return rows


def changes_from_new_template(stack: str, template: Mapping[str, Any]) -> list[ResourceChange]:
    """Rows for a stack that does not exist yet: every resource is added."""
    return [
        ResourceChange(stack, logical_id, str(resource.get("Type", "")), "Add")
        for logical_id, resource in template.get("Resources", {}).items()
    ]


# ECS resource types, named as a person says them, with the property holding the physical name.
ECS_NAMES: dict[str, tuple[str, str]] = {
    "AWS::ECS::Service": ("service", "ServiceName"),
    "AWS::ECS::TaskDefinition": ("task definition", "Family"),
    "AWS::ECS::Cluster": ("cluster", "ClusterName"),
    "AWS::ECS::CapacityProvider": ("capacity provider", "Name"),
}


def classify(change: ResourceChange, template: Mapping[str, Any] | None = None) -> PlanRow:
    """``change`` in ECS terms; ``template`` (the new one) supplies names of added resources."""
    template = template or {}
    kind = change.resource_type
    replaced = change.action == "Modify" and change.replacement in REPLACING
    in_place = change.action == "Modify" and not replaced
    rolling = [p for p in change.properties if p in ROLLING_PROPERTIES]
    rolls = _name(change, template) if kind == "AWS::ECS::Service" and in_place and rolling else None
    revision = _name(change, template) if kind == "AWS::ECS::TaskDefinition" and replaced else None
    props = ", ".join(change.properties) or "no property details"
    causes = change.recreating or change.properties
    because = f" because {', '.join(causes)} changed" if causes else ""
    label, _ = ECS_NAMES.get(kind, (kind, ""))
    name = f"{label} {_name(change, template)}" if kind in ECS_NAMES else f"{kind} {change.logical_id}"
    if rolls:
        how = (
            "to a new task definition revision" if "TaskDefinition" in rolling else f"({', '.join(rolling)})"
        )
        summary = f"{name} rolls {how}"
    elif revision:
        summary = f"{name} gets a new revision{because}"
    elif change.action in ("Add", "Remove"):
        summary = f"{'adds' if change.action == 'Add' else 'removes'} {name}"
    elif replaced:
        summary = (
            f"{name} {'may be replaced' if change.replacement == 'Conditional' else 'is REPLACED'}{because}"
        )
    elif in_place:
        summary = f"{name} is updated in place ({props})"
    else:
        summary = f"{change.action} {name}"
    blocked = replaced and kind in PROTECTED_TYPES
    return PlanRow(change, summary, blocked=blocked, rolls=rolls, new_revision=revision)


def _name(change: ResourceChange, template: Mapping[str, Any]) -> str:
    """The physical name: the template's name property, else from the physical id, else the logical id."""
    key = ECS_NAMES.get(change.resource_type, ("", ""))[1]
    resource = template.get("Resources", {}).get(change.logical_id, {})
    value = resource.get("Properties", {}).get(key) if key else None
    if isinstance(value, str):
        return value
    if change.physical_id:
        name = change.physical_id.rsplit("/", 1)[-1]
        # A task definition's physical id is family:revision; the family is what stays.
        return name.rsplit(":", 1)[0] if change.resource_type == "AWS::ECS::TaskDefinition" else name
    return change.logical_id


def apply_allowances(rows: Iterable[PlanRow], allow: Iterable[str]) -> tuple[list[PlanRow], list[str]]:
    """Mark blocked rows named by ``allow`` (``LOGICAL_ID`` or ``STACK/LOGICAL_ID``) as allowed.

    Returns the rows and one problem per ``allow`` entry that names no blocked replacement
    (unknown id, or a change that is not a blocked replacement): a stale allowance must not
    silently cover a later replacement.
    """
    rows = list(rows)
    problems = []
    for entry in dict.fromkeys(allow):
        matches = [i for i, row in enumerate(rows) if _matches(row.change, entry)]
        if not matches:
            ids = sorted({r.change.logical_id for r in rows if r.blocked}) or ["none"]
            problems.append(
                f"--allow-replace {entry}: no such resource in the plan; blocked: {', '.join(ids)}"
            )
            continue
        blocked = [i for i in matches if rows[i].blocked]
        if not blocked:
            what = rows[matches[0]].summary
            problems.append(f"--allow-replace {entry}: not a blocked replacement ({what}); remove the option")
        for i in blocked:
            rows[i] = replace(rows[i], allowed=True)
    return rows, problems


def _matches(change: ResourceChange, entry: str) -> bool:
    stack, sep, logical_id = entry.rpartition("/")
    if sep:
        return change.stack == stack and change.logical_id == logical_id
    return change.logical_id == entry
