"""``deployer plan``: what a deploy would change, in ECS terms, and the replacement gate.

Defaults: the templates are synthesised in-process from the spec (with the same ``--image``,
``--version`` and ``--git-revision`` inputs a deploy takes), or read from a cloud assembly
directory (``--assembly cdk.out/<env>``) that ``cdk synth`` wrote. Each existing stack gets a
CloudFormation change set that is read and deleted, never executed; a stack that does not
exist yet is all additions. Exit 6 (``REPLACEMENT_BLOCKED``) when a resource of a type in
``plan_classify.PROTECTED_TYPES`` would be replaced and no ``--allow-replace`` names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from config import naming
from config.cdk_context import Release
from config.schema import AppSpec
from deployer.cdk.assembly import read_assembly, refuse_release_inputs
from deployer.commands.common import EnvOption, PortOption
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError
from deployer.plan.changesets import ChangeSetPlanner, PlanError, StackPlan
from deployer.plan.classify import PlanRow, ResourceChange, apply_allowances, classify

ALLOW_PATTERN = r"^([A-Za-z][A-Za-z0-9-]{0,127}/)?[A-Za-z0-9]{1,255}$"
DEFAULT_QUALIFIER = "hnb659fds"


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
    local = spec.environment.target == "local"
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


AllowOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-replace",
        metavar="[STACK/]LOGICAL_ID",
        help="accept the replacement of this resource (repeatable); must name a blocked replacement",
    ),
]
ImageOption = Annotated[list[str] | None, typer.Option("--image", help="SERVICE=IMAGE_REF release input")]
AssemblyOption = Annotated[
    Path | None,
    typer.Option(
        "--assembly", help="plan this cloud assembly directory (cdk synth --output) (default: synthesise)"
    ),
]


def plan_command(  # noqa: PLR0917 - a typer command's parameters are its command line
    env: EnvOption = "local",
    allow_replace: AllowOption = None,
    image: ImageOption = None,
    version: Annotated[str | None, typer.Option("--version", help="release version label")] = None,
    git_revision: Annotated[str | None, typer.Option("--git-revision", help="commit of the images")] = None,
    assembly: AssemblyOption = None,
    port: PortOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of text")] = False,
) -> None:
    """Show what a deploy would change per stack; exit 6 if it would replace a stateful resource.

    Change sets are created, read and deleted, never executed. Blocked types: ECS services,
    clusters and capacity providers, load balancers, target groups, log groups, EFS, ECR
    repositories, KMS keys, SQS queues.
    """
    from deployer.aws import session as aws_session
    from deployer.cli import console, emit_json, errors, load
    from deployer.inputs import parse_image_overrides, parse_release
    from deployer.local import endpoint as local_endpoint

    spec = load(env)
    allow = list(allow_replace or [])
    for entry in allow:
        if not re.match(ALLOW_PATTERN, entry):
            raise BadInputError(f"--allow-replace {entry!r}: expected LOGICAL_ID or STACK/LOGICAL_ID")
    images = parse_image_overrides(spec, image or [])
    release = parse_release(version, git_revision)
    refuse_release_inputs(assembly, images, release)
    templates = read_assembly(assembly, spec) if assembly else _synthesise(spec, images, release)
    if spec.environment.target == "local":
        if not local_endpoint.status(aws_session.local_port(port)).running:
            raise local_endpoint.EndpointError(
                "the local endpoint is not running: make deploy (or deployer local up)"
            )
        errors.print(
            "note: the local endpoint (moto) reports additions and removals only, no modifications "
            "or replacements; the gate judges aws targets"
        )
    planner = ChangeSetPlanner(
        aws_session.client(spec, "cloudformation", port),
        s3=aws_session.client(spec, "s3", port),
        bucket=f"cdk-{_qualifier()}-assets-{spec.environment.account}-{spec.environment.region}",
    )
    try:
        result = plan_environment(spec, templates, planner, allow)
    except PlanError as error:
        errors.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(ExitCode.FAILED) from None
    if as_json:
        emit_json(result.to_dict())
    else:
        for line in render(result):
            console.print(line, highlight=False, markup=False)
    raise typer.Exit(result.exit_code)


def _synthesise(
    spec: AppSpec, images: Mapping[str, str], release: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    from deployer.cdk.synth import synthesise_templates

    return synthesise_templates(spec, images, Release(**release) if release else None)


def _qualifier() -> str:
    from deployer.cdk.synth import cdk_context

    return str(cdk_context().get("@aws-cdk/core:bootstrapQualifier", DEFAULT_QUALIFIER))
