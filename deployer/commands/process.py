"""The process around the typer app: SIGTERM handled like Ctrl-C, usage errors (an unknown
option, a value out of range) reported as typer does and, under ``--json``, also as the JSON
failure document on stdout; then the exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NoReturn

import typer
from typer import rich_utils

# typer 0.29 vendors click as typer._click (its exceptions, the current context); the pin keeps it.
from typer._click import exceptions as click_errors

from deployer.commands.failures import Failure, Problem
from deployer.commands.output import emit_json
from deployer.exit_codes import ExitCode
from deployer.interrupts import handle_sigterm

PASS_THROUGH = "--"  # what follows belongs to the CDK CLI (`deployer cdk -- …`)


def run(app: typer.Typer, args: Sequence[str] | None = None) -> NoReturn:
    """Run ``app`` on ``args`` (default: the command line) and exit with its exit code."""
    handle_sigterm()
    arguments = list(sys.argv[1:] if args is None else args)
    try:
        code = app(args=arguments, standalone_mode=False)
    except click_errors.ClickException as error:
        rich_utils.rich_format_error(error)
        if wants_json(arguments):
            emit_json(usage_failure(error).to_dict())
        sys.exit(error.exit_code)
    except typer.Abort:
        rich_utils.rich_abort_error()
        sys.exit(ExitCode.FAILED)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def wants_json(arguments: Sequence[str]) -> bool:
    """True when ``--json`` is among the deployer's own arguments."""
    own = arguments[: arguments.index(PASS_THROUGH)] if PASS_THROUGH in arguments else arguments
    return "--json" in own


def usage_failure(error: click_errors.ClickException) -> Failure:
    """A usage error as a failure; ``path`` is the option or argument it names, when it names one."""
    param = getattr(error, "param", None)
    path = (param.opts[0] if param.opts else param.name) if param is not None else None
    message = error.format_message()
    return Failure(error.exit_code, "usage", "error:", message, [Problem(message, path)])
