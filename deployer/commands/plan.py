"""``deployer plan``: what a deploy would change, in ECS terms, and the replacement gate.

Defaults: the templates are synthesised in-process from the spec (with the same ``--image``,
``--version`` and ``--git-revision`` inputs a deploy takes), or read from a cloud assembly
directory (``--assembly cdk.out/<env>``) that ``cdk synth`` wrote. Exit 6
(``REPLACEMENT_BLOCKED``) when a protected resource would be replaced and no
``--allow-replace`` names it (see ``deployer.plan.environment``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from config.cdk_context import Release
from deployer.cdk.assembly import read_assembly, refuse_release_inputs
from deployer.cdk.synth import bootstrap_assets_bucket, synthesise_templates
from deployer.commands.common import CommandContext, EnvOption, PortOption
from deployer.commands.failures import fail
from deployer.commands.output import errors
from deployer.inputs import BadInputError, parse_image_overrides, parse_release
from deployer.plan.changesets import ChangeSetPlanner, PlanError
from deployer.plan.environment import plan_environment, render

ALLOW_PATTERN = r"^([A-Za-z][A-Za-z0-9-]{0,127}/)?[A-Za-z0-9]{1,255}$"

AllowOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-replace",
        metavar="[STACK/]LOGICAL_ID",
        help="accept the replacement of this resource (repeatable); must name a blocked replacement",
    ),
]
ImageOption = Annotated[
    list[str] | None,
    typer.Option("--image", help="SERVICE=IMAGE_REF or SERVICE/CONTAINER=IMAGE_REF release input"),
]
AssemblyOption = Annotated[
    Path | None,
    typer.Option(
        "--assembly", help="plan this cloud assembly directory (cdk synth --output) (default: synthesise)"
    ),
]


def plan(
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
    ctx = CommandContext.load(env, port, as_json)
    spec = ctx.spec
    allow = list(allow_replace or [])
    for entry in allow:
        if not re.match(ALLOW_PATTERN, entry):
            raise BadInputError(f"--allow-replace {entry!r}: expected LOGICAL_ID or STACK/LOGICAL_ID")
    images = parse_image_overrides(spec, image or [])
    release = parse_release(version, git_revision)
    refuse_release_inputs(assembly, images, release)
    if assembly:
        templates = read_assembly(assembly, spec)
    else:
        templates = synthesise_templates(spec, images, Release(**release) if release else None)
    if spec.environment.is_local:
        ctx.require_local_endpoint()
        errors.print(
            "note: the local endpoint (moto) reports additions and removals only, no modifications "
            "or replacements; the gate judges aws targets"
        )
    planner = ChangeSetPlanner(
        ctx.client("cloudformation"), s3=ctx.client("s3"), bucket=bootstrap_assets_bucket(spec)
    )
    try:
        result = plan_environment(spec, templates, planner, allow)
    except PlanError as error:
        fail(error)
    ctx.emit(result.to_dict(), *render(result))
    raise typer.Exit(result.exit_code)
