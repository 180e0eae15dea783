"""What every command shares: the options, the consoles, the one JSON emitter, the command
context (spec, port and AWS clients, built once per command) and the rule that turns expected
failures into a message and an exit code.

Output rule: a command's result goes to stdout, as JSON under ``--json`` (through
``emit_json``, and nothing else on stdout) or as text and tables otherwise; progress, notes and
CDK output go to stderr under ``--json``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console, RenderableType

from config import SpecError
from config.cdk_context import load_environment
from config.schema import AppSpec
from deployer.aws.lock import LockHeldError
from deployer.aws.session import Clients
from deployer.cdk.pinned_cli import CdkCliMissingError
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError
from deployer.local import endpoint as local_endpoint

EnvOption = Annotated[
    str, typer.Option("--env", "-e", help="environment name (config/environments/<env>.yaml)")
]
PortOption = Annotated[
    int | None,
    typer.Option(
        "--port", min=1, max=65535, help="local endpoint port (default: $DEPLOYER_LOCAL_PORT or 4566)"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of tables")]

# Not a terminal (CI logs, pipes): wide enough that tables do not fold their cells.
console = Console() if sys.stdout.isatty() else Console(width=160)
errors = Console(stderr=True, soft_wrap=True)  # one line per message in CI logs

ENDPOINT_DOWN = "the local endpoint is not running: make deploy (or deployer local up)"


def emit_json(payload: Any) -> None:
    """Print ``payload`` as the command's only stdout (for --json)."""
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


def emit(as_json: bool, payload: Any, *human: RenderableType, **print_options: Any) -> None:
    """A command's result: ``payload`` as JSON under --json, else ``human`` on the console."""
    if as_json:
        emit_json(payload)
        return
    for item in human:
        console.print(item, **print_options)


@dataclass
class CommandContext:
    """One command's environment: its spec, the local endpoint port, clients and output mode."""

    env: str
    spec: AppSpec
    port: int | None = None
    as_json: bool = False
    clients: Clients = field(init=False)

    def __post_init__(self) -> None:
        self.clients = Clients(self.spec, self.port)

    @classmethod
    def load(cls, env: str, port: int | None = None, as_json: bool = False) -> CommandContext:
        """Load and validate ``env``'s spec (``SpecError`` before any AWS call)."""
        return cls(env, load_environment(env), port, as_json)

    def client(self, service: str) -> Any:
        """The environment's boto3 client for ``service``, made once per command."""
        return self.clients(service)

    @property
    def notes(self) -> Console:
        """Where lines that are not the result go: stderr under --json, else the console."""
        return errors if self.as_json else console

    def emit(self, payload: Any, *human: RenderableType, **print_options: Any) -> None:
        """The command's result: ``payload`` as JSON under --json, else ``human`` on the console."""
        emit(self.as_json, payload, *human, **print_options)

    def require_services(self, names: Sequence[str], argument: str = "") -> None:
        """``BadInputError`` naming the unknown ones and the services when any is not a service."""
        unknown = [name for name in dict.fromkeys(names) if name not in self.spec.services]
        if unknown:
            listed = repr(unknown[0]) if len(unknown) == 1 else ", ".join(map(repr, unknown))
            raise BadInputError(
                f"{argument}unknown service {listed}; services: {', '.join(self.spec.services)}"
            )

    def require_service(self, service: str, argument: str = "") -> None:
        """``BadInputError`` naming the services when ``service`` is not one of them."""
        self.require_services([service], argument)

    def start_local_endpoint(self) -> None:
        """On a ``local`` target, start the local endpoint (or reuse the one running)."""
        if self.spec.environment.is_local:
            local_endpoint.up(self.clients.local_port)

    def local_endpoint_down(self) -> bool:
        """True on a ``local`` target whose endpoint is not running."""
        return self.spec.environment.is_local and not local_endpoint.status(self.clients.local_port).running

    def require_local_endpoint(self) -> None:
        """``EndpointError`` on a ``local`` target whose endpoint is not running."""
        if self.local_endpoint_down():
            raise local_endpoint.EndpointError(ENDPOINT_DOWN)


F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Turn expected failures into a one-paragraph message and an exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (SpecError, BadInputError) as error:
            errors.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(ExitCode.BAD_INPUT) from None
        except (ClientError, BotoCoreError) as error:
            errors.print(f"[red]AWS error:[/red] {error}", highlight=False)
            raise typer.Exit(ExitCode.FAILED) from None
        except (local_endpoint.EndpointError, CdkCliMissingError, LockHeldError) as error:
            fail(error)
        except KeyboardInterrupt:
            errors.print(
                "interrupted; nothing further was changed in AWS. Resume the wait with "
                "`deployer wait --env <env>`; a deployment in flight keeps going (its circuit "
                "breaker still rolls back on failure)"
            )
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except typer.Exit:
            raise
        except Exception as error:
            if os.environ.get("DEPLOYER_DEBUG"):
                raise
            errors.print(
                f"[red]internal error:[/red] {type(error).__name__}: {error}\n"
                "rerun with DEPLOYER_DEBUG=1 to see the traceback, and please report it",
                highlight=False,
            )
            raise typer.Exit(ExitCode.FAILED) from None

    return wrapper  # type: ignore[return-value]


def fail(error: Exception) -> NoReturn:
    """Print ``error`` as an error and exit 1 (an operation failed; the input was fine)."""
    errors.print(f"[red]error:[/red] {error}", highlight=False)
    raise typer.Exit(ExitCode.FAILED) from None
