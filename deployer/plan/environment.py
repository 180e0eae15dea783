"""Plan an environment: every stack's change set classified in ECS terms, the replacement gate
applied, and the result as data or plain-text lines.

Each existing stack gets a CloudFormation change set that is read and deleted, never executed;
a stack that does not exist yet is all additions. The result's exit code is 6
(``REPLACEMENT_BLOCKED``) when a resource of a type in ``deployer.plan.classify.PROTECTED_TYPES``
would be replaced and no allowance names it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError
from deployer.plan.changesets import ChangeSetPlanner, StackPlan
from deployer.plan.classify import PlanRow, ResourceChange, apply_allowances, classify


@dataclass(frozen=True)
class PlanResult:
    """Every stack's plan and the classified rows, in stack order."""

    environment: str
    stacks: list[StackPlan]
    rows: list[PlanRow]

    @property
    def blocking(self) -> list[PlanRow]:
        return [row for row in self.rows if row.blocked and not row.allowed]

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.REPLACEMENT_BLOCKED if self.blocking else ExitCode.OK

    def summary(self) -> dict[str, list[str]]:
        """ECS-level totals: services that roll, new task-definition revisions, adds, removes."""
        return {
            "services_rolling": [r.rolls for r in self.rows if r.rolls],
            "new_revisions": [r.new_revision for r in self.rows if r.new_revision],
            "added": [
                f"{r.change.stack}/{r.change.logical_id}" for r in self.rows if r.change.action == "Add"
            ],
            "removed": [
                f"{r.change.stack}/{r.change.logical_id}" for r in self.rows if r.change.action == "Remove"
            ],
            "blocked": [f"{r.change.stack}/{r.change.logical_id}" for r in self.blocking],
            "allowed": [f"{r.change.stack}/{r.change.logical_id}" for r in self.rows if r.allowed],
        }

    def to_dict(self) -> dict[str, Any]:
        by_stack = {
            s.stack: [r.to_dict() for r in self.rows if r.change.stack == s.stack] for s in self.stacks
        }
        return {
            "environment": self.environment,
            "stacks": [
                {"stack": s.stack, "status": s.status, "changes": by_stack[s.stack]} for s in self.stacks
            ],
            "summary": self.summary(),
            "exit_code": int(self.exit_code),
        }


def plan_environment(
    spec: AppSpec, templates: Mapping[str, Mapping[str, Any]], planner: ChangeSetPlanner, allow: Sequence[str]
) -> PlanResult:
    """Plan every stack of ``spec`` (deploy order) and apply ``allow``; ``BadInputError`` on a stale one.

    ``AWS::CDK::Metadata`` rows are left out. On a ``local`` target so are modifications without
    any detail: moto marks every resource of an updated stack modified and says nothing more.
    """
    local = spec.environment.is_local
    stacks = []
    for name in naming.all_stack_names(spec):
        plan = planner.plan_stack(name, templates[name])
        kept = [c for c in plan.changes if _informative(c, local)]
        status = plan.status if kept or plan.status == "new" else "no changes"
        stacks.append(StackPlan(plan.stack, status, kept))
    rows = [classify(change, templates[s.stack]) for s in stacks for change in s.changes]
    rows, problems = apply_allowances(rows, allow)
    if problems:
        raise BadInputError("; ".join(problems))
    return PlanResult(spec.environment.name, stacks, rows)


def _informative(change: ResourceChange, local: bool) -> bool:
    if change.resource_type == "AWS::CDK::Metadata":
        return False
    return not (local and change.action == "Modify" and not change.replacement and not change.properties)


def render(result: PlanResult) -> list[str]:
    """Plain-text lines: each stack, its rows in ECS terms, then the totals and the verdict."""
    marks = {"Add": "+", "Remove": "-", "Modify": "~"}
    lines = [f"plan for {result.environment}"]
    for stack in result.stacks:
        rows = [r for r in result.rows if r.change.stack == stack.stack]
        if stack.status == "new":
            lines.append(f"{stack.stack}: new stack, adds {len(rows)} resources")
            rows = [r for r in rows if r.change.resource_type.startswith("AWS::ECS::")]
        else:
            lines.append(f"{stack.stack}: {stack.status if not rows else f'{len(rows)} change(s)'}")
        for row in rows:
            flag = " [BLOCKED]" if row.blocked and not row.allowed else " [allowed]" if row.allowed else ""
            lines.append(f"  {marks.get(row.change.action, '?')} {row.summary}{flag}")
    totals = result.summary()
    lines.append(
        f"services rolling: {', '.join(totals['services_rolling']) or 'none'}; "
        f"new task definition revisions: {', '.join(totals['new_revisions']) or 'none'}; "
        f"added: {len(totals['added'])}; removed: {len(totals['removed'])}"
    )
    for row in result.blocking:
        where = f"{row.change.stack}/{row.change.logical_id}"
        lines.append(
            f"blocked: {where} ({row.change.resource_type}): {row.summary}; if the downtime or data "
            f"loss is intended, rerun with --allow-replace {where}"
        )
    return lines
