"""The pinned CDK CLI for an environment: ``deployer bootstrap`` and ``deployer cdk -- …``."""

from __future__ import annotations

import typer

from deployer.cdk.deploy import bootstrap_environment
from deployer.cdk.pinned_cli import context_args, run_cdk
from deployer.commands.common import CommandContext, EnvOption, PortOption

OFFLINE_SUBCOMMANDS = ("synth", "ls", "list")  # need no endpoint, so none is started for them


def bootstrap(env: EnvOption = "local", port: PortOption = None) -> None:
    """Run `cdk bootstrap` for the environment's account and region (once per account)."""
    raise typer.Exit(bootstrap_environment(CommandContext.load(env, port).clients))


def cdk(ctx: typer.Context, env: EnvOption = "local", port: PortOption = None) -> None:
    """Run the pinned CDK CLI for the environment: `deployer cdk --env dev -- diff --all`."""
    command = CommandContext.load(env, port)
    if ctx.args and ctx.args[0] not in OFFLINE_SUBCOMMANDS:
        command.start_local_endpoint()
    raise typer.Exit(run_cdk(command.spec, [*ctx.args, *context_args(command.spec, {})], port))
