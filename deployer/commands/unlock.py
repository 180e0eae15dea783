"""``deployer unlock``: remove a deploy lock that a killed deploy left behind."""

from __future__ import annotations

from deployer.aws.lock import force_unlock
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption


def unlock(env: EnvOption = "local", port: PortOption = None, as_json: JsonOption = False) -> None:
    """Remove the environment's deploy lock left by a killed deploy (check it is gone first)."""
    ctx = CommandContext.load(env, port, as_json)
    removed = force_unlock(ctx.spec, ctx.client("ssm"))
    ctx.emit(
        {"environment": env, "removed": removed}, f"{env}: lock {'removed' if removed else 'was not held'}"
    )
