"""``deployer``: operations on an environment of the spec (typer + rich).

This module builds the typer app and registers the commands of ``deployer.commands``; nothing
imports it but ``deployer.__main__``. Every command loads and validates the spec first; bad
input exits 2 before any AWS call (``deployer.commands.common.friendly_errors``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from deployer.commands import (
    cdk,
    cost,
    deploy,
    destroy,
    diagram,
    local,
    plan,
    process,
    revisions,
    run,
    status,
    unlock,
    validate,
    verify,
    wait,
)
from deployer.commands.failures import friendly_errors
from deployer.commands.import_copilot import import_app
from deployer.commands.workflow import workflow_app
from deployer.interrupts import DEADLINE_VARIABLE

app = typer.Typer(
    help="Deploy and operate the ECS environments described in config/environments/.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
local_app = typer.Typer(help="The local AWS endpoint (a moto server on loopback).", no_args_is_help=True)
app.add_typer(local_app, name="local")
app.add_typer(import_app, name="import")
app.add_typer(workflow_app, name="workflow")

PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}  # `cdk -- <cdk arguments>`

# In the order `deployer --help` lists them.
COMMANDS: list[tuple[str, Callable[..., Any]]] = [
    ("validate", validate.validate),
    ("schema", validate.schema),
    ("status", status.status),
    ("deploy", deploy.deploy),
    ("wait", wait.wait),
    ("history", revisions.history),
    ("rollback", revisions.rollback),
    ("prune", revisions.prune),
    ("run", run.run),
    ("diff", revisions.diff),
    ("render", revisions.render),
    ("bootstrap", cdk.bootstrap),
    ("cdk", cdk.cdk),
    ("destroy", destroy.destroy),
    ("verify", verify.verify),
    ("unlock", unlock.unlock),
    ("plan", plan.plan),
    ("cost", cost.cost),
    ("diagram", diagram.diagram),
]
LOCAL_COMMANDS: list[tuple[str, Callable[..., Any]]] = [
    ("up", local.up),
    ("down", local.down),
    ("status", local.status),
]

for name, command in COMMANDS:
    settings = PASS_THROUGH if name == "cdk" else None
    app.command(name, context_settings=settings)(friendly_errors(command))
for name, command in LOCAL_COMMANDS:
    local_app.command(name)(friendly_errors(command))


@app.callback()
def options(
    deadline: Annotated[
        float | None,
        typer.Option(
            "--deadline",
            min=1,
            envvar=DEADLINE_VARIABLE,
            help="seconds any command may run before it stops with exit 5 "
            "(default: 15 min; plan, bootstrap 1 h; deploy, rollback, destroy, cdk, wait, run 4 h)",
        ),
    ] = None,
) -> None:
    """Options of every command, read by ``friendly_errors`` from the click context."""


def main() -> None:
    process.run(app)
