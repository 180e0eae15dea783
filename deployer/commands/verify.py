"""``deployer verify``: read-only preflight checks before a deploy."""

from __future__ import annotations

from typing import Annotated

import typer

from deployer.aws.verify import run_checks
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.commands.output import labelled
from deployer.exit_codes import ExitCode
from deployer.inputs import parse_image_overrides


def verify(
    env: EnvOption = "local",
    image: Annotated[
        list[str] | None,
        typer.Option("--image", help="SERVICE=IMAGE_REF or SERVICE/CONTAINER=IMAGE_REF to check"),
    ] = None,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Preflight before a deploy: images exist, secrets exist, stacks are deployable, lock free."""
    ctx = CommandContext.load(env, port, as_json)
    images = parse_image_overrides(ctx.spec, image or [])
    ctx.require_local_endpoint()
    checks = run_checks(ctx.spec, ctx.clients, images)
    ctx.emit(
        [c.__dict__ for c in checks],
        *(
            labelled("ok  " if c.ok else "FAIL", "green" if c.ok else "red", f"{c.name}: {c.detail}")
            for c in checks
        ),
    )
    if not all(c.ok for c in checks):
        raise typer.Exit(ExitCode.FAILED)
