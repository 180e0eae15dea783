"""``deployer deploy``: synthesise (or take a cloud assembly) and deploy, then show the status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from deployer.cdk.assembly import read_assembly, refuse_release_inputs
from deployer.cdk.deploy import deploy_environment
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.commands.failures import OperationFailedError
from deployer.commands.status import show_status
from deployer.exit_codes import ExitCode
from deployer.inputs import parse_image_overrides, parse_release

ImageOption = Annotated[
    list[str] | None,
    typer.Option(
        "--image",
        help="SERVICE=IMAGE_REF (its main container) or SERVICE/CONTAINER=IMAGE_REF "
        "release input (repeatable)",
    ),
]
VersionOption = Annotated[str | None, typer.Option("--version", help="release version label (e.g. 1.4.2)")]
GitRevisionOption = Annotated[
    str | None, typer.Option("--git-revision", help="commit the images were built from")
]
ServicesOption = Annotated[
    list[str] | None, typer.Option("--service", "-s", help="deploy only these services' stacks")
]
ConcurrencyOption = Annotated[
    int, typer.Option("--concurrency", min=1, max=32, help="stacks deployed in parallel")
]
AssemblyOption = Annotated[
    Path | None,
    typer.Option(
        "--assembly",
        help="deploy this cloud assembly (cdk synth --output DIR) as it is (default: synthesise)",
    ),
]


def deploy(
    env: EnvOption = "local",
    image: ImageOption = None,
    version: VersionOption = None,
    git_revision: GitRevisionOption = None,
    service: ServicesOption = None,
    concurrency: ConcurrencyOption = 1,
    assembly: AssemblyOption = None,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Synthesise and deploy every stack with the pinned CDK CLI, then print the status.

    With --assembly the templates `cdk synth` wrote (and `deployer plan --assembly` gated) are
    deployed unchanged: synthesise once in CI, deploy that. For a `local` target the local
    endpoint is started (or reused) and bootstrapped first.
    """
    ctx = CommandContext.load(env, port, as_json)
    images = parse_image_overrides(ctx.spec, image or [])
    release = parse_release(version, git_revision)
    ctx.require_services(service or [], "--service ")
    refuse_release_inputs(assembly, images, release)
    if assembly is not None:
        read_assembly(assembly, ctx.spec)  # refuse another environment's or a damaged assembly up front
    deploy_then_status(
        ctx,
        images=images,
        release=release,
        only_services=service or None,
        concurrency=concurrency,
        assembly=assembly,
    )


def deploy_then_status(ctx: CommandContext, **options: Any) -> None:
    """``deploy_environment`` (CDK output to stderr under --json), then ``status``.

    A failed deploy raises ``OperationFailedError`` with the deploy's exit code.
    """
    code = deploy_environment(
        ctx.clients,
        options.pop("images", {}),
        ctx.notes,
        cdk_output_to_stderr=ctx.as_json,
        **options,
    )
    if code != ExitCode.OK:
        outcome = ExitCode(code).name.lower().replace("_", " ")
        raise OperationFailedError(
            f"deploy of {ctx.env} {outcome} (exit {int(code)}); the output above says why", code
        )
    show_status(ctx)
