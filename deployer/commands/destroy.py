"""``deployer destroy``: delete an environment's stacks, in an order that cannot hang."""

from __future__ import annotations

from typing import Annotated

import typer

from deployer.aws.destroy import destroy_environment
from deployer.aws.lock import deploy_lock
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.inputs import BadInputError


def destroy(
    env: EnvOption = "local",
    yes: Annotated[
        bool, typer.Option("--yes", help="confirm: delete every stack of the environment")
    ] = False,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete the environment's stacks (services, then cluster, then network).

    EC2 instances are released from scale-in protection first, so the cluster stack never
    hangs on deletion. Retained resources (logs, keys, task-definition revisions) stay.
    """
    ctx = CommandContext.load(env, port, as_json)
    if not yes:
        raise BadInputError(f"destroy deletes every stack of {env!r}; add --yes to confirm")
    if ctx.local_endpoint_down():
        ctx.emit({"environment": env, "deleted": []}, "local endpoint is not running: nothing to destroy")
        return
    with deploy_lock(ctx.spec, ctx.client("ssm"), "destroy"):
        deleted = destroy_environment(
            ctx.spec, ctx.client("cloudformation"), ctx.client("autoscaling"), ctx.notes.print
        )
    ctx.emit({"environment": env, "deleted": deleted}, f"destroyed {len(deleted)} stack(s) of {env}")
