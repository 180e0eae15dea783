"""``deployer diagram``: a picture of an environment, drawn from its spec and the templates a
deploy would use.

Defaults: SVG, written to ``diagram-<env>.<format>`` in the current directory, whose path is
printed; ``--output -`` writes DOT or SVG to stdout. The templates are synthesised in-process
(no AWS call, nothing written to cdk.out). See ``deployer.diagram.render`` for the tools.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from deployer.cdk.synth import synthesise_templates
from deployer.commands.common import CommandContext, EnvOption
from deployer.commands.failures import fail
from deployer.diagram.read import read_picture
from deployer.diagram.render import RenderError, render
from deployer.inputs import BadInputError

FORMATS = ("svg", "png", "dot")
STDOUT = "-"

FormatOption = Annotated[str, typer.Option("--format", "-f", metavar="[svg|png|dot]", help="picture format")]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="file to write, or - for stdout (default: diagram-<env>.<format>)",
    ),
]


def diagram(
    env: EnvOption = "local",
    fmt: FormatOption = "svg",
    output: OutputOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of the path")] = False,
) -> None:
    """Draw the environment: VPC and subnets, load balancers and routes, the cluster's capacity,
    each service with its containers, and the network paths its security groups allow."""
    ctx = CommandContext.load(env, as_json=as_json)
    spec = ctx.spec
    if fmt not in FORMATS:
        raise BadInputError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    target = _target(output or f"diagram-{env}.{fmt}", fmt, as_json)
    try:
        content = render(read_picture(spec, synthesise_templates(spec)), fmt)
    except RenderError as error:
        fail(error)
    if target is None:
        sys.stdout.write(content.decode())
        return
    try:
        target.write_bytes(content)
    except OSError as error:
        raise BadInputError(f"--output {str(target)!r}: cannot write it ({error.strerror})") from None
    ctx.emit(
        {"environment": env, "format": fmt, "path": str(target)},
        str(target),
        soft_wrap=True,
    )


def _target(output: str, fmt: str, as_json: bool) -> Path | None:
    """The file to write, None for stdout; ``BadInputError`` before any work when it cannot be."""
    if output == STDOUT:
        if fmt == "png":
            raise BadInputError("--output -: png is binary; write it to a file (stdout takes dot or svg)")
        if as_json:
            raise BadInputError("--output - with --json: --json prints the path of a written file")
        return None
    path = Path(output)
    if path.is_dir():
        raise BadInputError(f"--output {output!r} is a directory; give a file name")
    if not path.parent.is_dir():
        raise BadInputError(f"--output {output!r}: directory {str(path.parent)!r} does not exist")
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise BadInputError(f"--output {output!r}: not writable")
    return path
